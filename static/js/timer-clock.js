// The one timer clock of the board, the lobby and the console. We count down from `remaining` as
// the server said it just now, so a wrong clock on this device does not matter; a timer replayed
// by `sync` (an old `remaining`) uses its deadline and the offset learnt from a fresh one.
// No DOM here.

import { t } from "./i18n.js";

export const TIME_UP = t("Time's up");
const UP_FOR_MS = 60 * 1000; // "Time's up" shows for a minute, then the timer goes away

const ends = new Map(); // deadline -> end on this device's clock (ms)
let offset = 0;         // server clock minus ours (ms)

/** A timer as the server says it right now (join snapshot, live broadcast). */
export function observeTimer(timer, now = Date.now()) {
  if (!timer || !timer.deadline || !Number.isFinite(timer.remaining)) return;
  const end = now + timer.remaining * 1000;
  ends.set(timer.deadline, end);
  if (timer.remaining > 0) offset = Date.parse(timer.deadline) - end;
}

/** When the timer ends, on this device's clock (ms). */
export function timerEnd(timer) {
  return ends.get(timer.deadline) ?? Date.parse(timer.deadline) - offset;
}

export function secondsLeft(timer, now = Date.now()) {
  return Math.max(0, Math.ceil((timerEnd(timer) - now) / 1000));
}

/** "running", "ending" (the last minute), "up" (a minute of "Time's up"), then "over". */
export function timerPhase(timer, now = Date.now()) {
  if (!timer) return "over";
  const left = timerEnd(timer) - now;
  if (left > 60 * 1000) return "running";
  if (left > 0) return "ending";
  return -left < UP_FOR_MS ? "up" : "over";
}

/** "04:05", "00:09", "1:02:00". */
export function clockText(seconds) {
  const two = (n) => String(n).padStart(2, "0");
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h}:${two(m)}:${two(seconds % 60)}` : `${two(m)}:${two(seconds % 60)}`;
}

/** What a timer says: the time left, or "Time's up". */
export function timerText(timer, now = Date.now()) {
  const left = secondsLeft(timer, now);
  return left > 0 ? clockText(left) : TIME_UP;
}
