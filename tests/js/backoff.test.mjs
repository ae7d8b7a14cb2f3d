// Jittered back-off for a refused join (static/js/backoff.js), issue 15 finding 11.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JOIN_RETRY_MAX_MS, joinRetryDelay } from "../../static/js/backoff.js";

test("retries double from a second, capped, each spread from half to one and a half times", () => {
  assert.equal(joinRetryDelay(0, () => 0.5), 1000);
  assert.equal(joinRetryDelay(1, () => 0.5), 2000);
  assert.equal(joinRetryDelay(2, () => 0), 2000);
  assert.equal(joinRetryDelay(2, () => 0.999999), 6000);
  assert.equal(joinRetryDelay(20, () => 0.5), JOIN_RETRY_MAX_MS);
});

test("150 people retrying at once are spread over time, not in lock-step", () => {
  const delays = Array.from({ length: 150 }, () => joinRetryDelay(0));
  assert.ok(new Set(delays).size > 100);
  assert.ok(Math.min(...delays) >= 500 && Math.max(...delays) <= 1500);
});
