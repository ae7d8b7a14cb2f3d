// Jittered back-off for retrying a refused join (rate_limited): a whole venue behind one
// address must not retry in lock-step after a wifi blip. Pure: unit-tested with node --test.

export const JOIN_RETRY_MS = 1000;
export const JOIN_RETRY_MAX_MS = 15000;

/** The delay before retry number `attempt` (0, 1, 2...): doubling, capped, then 50% to 150%. */
export function joinRetryDelay(attempt, random = Math.random) {
  const base = Math.min(JOIN_RETRY_MAX_MS, JOIN_RETRY_MS * 2 ** attempt);
  return Math.round(base * (0.5 + random()));
}
