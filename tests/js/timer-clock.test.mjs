// The one timer clock (static/js/timer-clock.js): the same words on the board and the console.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clockText, observeTimer, TIME_UP, timerPhase, timerText } from "../../static/js/timer-clock.js";

test("counts down from what the server said, whatever this device's clock says", () => {
  const now = 1_000_000;
  // The server's deadline is in another clock (this device is an hour wrong).
  const timer = { deadline: new Date(now + 3600_000 + 300_000).toISOString(), remaining: 300 };
  observeTimer(timer, now);
  assert.equal(timerText(timer, now), "05:00");
  assert.equal(timerPhase(timer, now), "running");
  assert.equal(timerPhase(timer, now + 250_000), "ending");
  assert.equal(timerText(timer, now + 300_000), TIME_UP);
  assert.equal(timerPhase(timer, now + 330_000), "up");
  assert.equal(timerPhase(timer, now + 361_000), "over"); // "Time's up" clears itself after a minute
});

test("clock text", () => {
  assert.equal(clockText(9), "00:09");
  assert.equal(clockText(3720), "1:02:00");
  assert.equal(TIME_UP, "Time's up");
});
