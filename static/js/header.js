// The room's state in the header (timer, lock, private writing, votes left, the facilitator's
// message) and the Export menu. Rendered from state; the timer ticks on its own.

import { setText, toggle } from "./dom.js";

// ---- timer clock
// We count down from `remaining` as received, so this device's clock may be wrong. A timer replayed
// by `sync` (old `remaining`) uses the deadline and the clock offset learnt from a fresh one.
const ends = new Map(); // deadline -> end on this device's clock (ms)
let offset = 0;         // server clock minus ours (ms)

/** A timer as the server says it right now (join snapshot, live broadcast). */
export function observeTimer(timer) {
  if (!timer || !timer.deadline) return;
  const end = Date.now() + timer.remaining * 1000;
  ends.set(timer.deadline, end);
  if (timer.remaining > 0) offset = Date.parse(timer.deadline) - end;
}

export function secondsLeft(timer, now = Date.now()) {
  const end = ends.get(timer.deadline) ?? Date.parse(timer.deadline) - offset;
  return Math.max(0, Math.ceil((end - now) / 1000));
}

export function clockText(seconds) {
  const two = (n) => String(n).padStart(2, "0");
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h}:${two(m)}:${two(seconds % 60)}` : `${two(m)}:${two(seconds % 60)}`;
}

export function votesText(left, budget) {
  if (left === 0) return `No votes left (of ${budget})`;
  return `${left} of ${budget} ${budget === 1 ? "vote" : "votes"} left`;
}

export const LOCKED = "Locked by the facilitator: you can read the board, not change it.";
export const PRIVATE = "Private writing: others' notes are hidden until the facilitator reveals them.";

/** onTimeUp() is called once when a timer reaches zero. */
export function createHeader(dom, { onTimeUp }) {
  let ticking = 0;
  let shownTimer = null;
  let upFor = null;

  function tick() {
    if (!shownTimer) return;
    const left = secondsLeft(shownTimer);
    setText(dom.timerText, left > 0 ? clockText(left) : "Time's up");
    dom.timer.dataset.phase = left === 0 ? "up" : left <= 60 ? "ending" : "running";
    if (left === 0) {
      clearInterval(ticking);
      ticking = 0;
      if (upFor !== shownTimer.deadline) {
        upFor = shownTimer.deadline;
        onTimeUp();
      }
    }
  }

  function renderTimer(timer) {
    dom.timer.hidden = !timer;
    if (!timer) {
      clearInterval(ticking);
      ticking = 0;
      shownTimer = null;
      return;
    }
    if (!shownTimer || shownTimer.deadline !== timer.deadline) {
      shownTimer = timer;
      // Already over when first seen (a reload after the end): no announcement.
      if (secondsLeft(timer) === 0) upFor = timer.deadline;
      clearInterval(ticking);
      ticking = setInterval(tick, 250);
    }
    tick();
  }

  function render(state, left) {
    const room = state.room;
    renderTimer(room.timer);
    dom.lockState.hidden = !room.locked;
    dom.hiddenState.hidden = !room.hidden;
    dom.votesLeft.hidden = left == null;
    if (left != null) {
      setText(dom.votesText, votesText(left, room.voting.votes_per_participant));
      toggle(dom.votesLeft, "empty", left === 0);
    }
    dom.roomStatus.hidden = !(room.timer || room.locked || room.hidden || left != null);
    // The explanations in full above the board, for narrow screens (see board.css).
    const notice = [room.locked && LOCKED, room.hidden && PRIVATE].filter(Boolean).join(" ");
    setText(dom.notice, notice);
    dom.notice.hidden = !notice;
    const banner = state.ui.banner;
    dom.banner.hidden = !banner;
    setText(dom.bannerText, banner ? banner.message : "");
    // Private notes cannot be exported: the links come back after the reveal.
    dom.exportLinks.hidden = Boolean(room.hidden);
    dom.exportHidden.hidden = !room.hidden;
  }

  return { render };
}

/** The Export menu is a <details>: Escape and clicks elsewhere close it. */
export function wireExportMenu(details) {
  if (!details) return;
  const summary = details.querySelector("summary");
  details.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && details.open) {
      details.open = false;
      summary.focus();
    }
  });
  document.addEventListener("pointerdown", (event) => {
    if (details.open && !details.contains(event.target)) details.open = false;
  });
  details.addEventListener("click", (event) => {
    if (event.target.closest("a")) setTimeout(() => { details.open = false; }, 0);
  });
}
