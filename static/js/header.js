// The room's state in the header (timer, lock, private writing, votes left, the facilitator's
// message) and the Export menu. Rendered from state; the timer ticks on its own.

import { setText, toggle } from "./dom.js";
import { secondsLeft, timerPhase, timerText } from "./timer-clock.js";
import { t, tn } from "./i18n.js";

/** Which rule this round follows, said on the board. */
export function votesRule(voting) {
  return voting.several_per_note ? t("You may put several dots on one note.") : t("One dot per note.");
}

export function votesText(left, budget) {
  if (left === 0) return t("No votes left (of %(budget)s)", { budget });
  return tn("%(left)s of %(num)s vote left", "%(left)s of %(num)s votes left", budget, { left });
}

export const LOCKED = t("Locked by the facilitator: you can read the board, not change it.");
export const PRIVATE = t("Private writing: others’ notes are hidden until the facilitator reveals them.");

/** onTimeUp() is called once when a timer reaches zero. */
export function createHeader(dom, { onTimeUp }) {
  let ticking = 0;
  let shownTimer = null;
  let upFor = null;

  function tick() {
    if (!shownTimer) return;
    const phase = timerPhase(shownTimer);
    setText(dom.timerText, timerText(shownTimer));
    dom.timer.dataset.phase = phase;
    dom.timer.hidden = phase === "over"; // "Time's up" clears itself after a minute
    if (phase === "over") {
      clearInterval(ticking);
      ticking = 0;
    }
    if (phase === "up" || phase === "over") {
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
      setText(dom.votesRule, votesRule(room.voting));
      toggle(dom.votesLeft, "empty", left === 0);
    }
    dom.roomStatus.hidden = !(room.timer || room.locked || room.hidden || left != null);
    // The explanations in full above the board, for narrow screens (see board.css).
    const notice = [room.locked && LOCKED, room.hidden && PRIVATE, room.voting && t("Voting: %(rule)s", { rule: votesRule(room.voting) })]
      .filter(Boolean).join(" ");
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
