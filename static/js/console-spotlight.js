// The console's spotlight controls: "Spotlight" on any note shows it in every open room;
// a bar then says what is shown, with Previous / Next (through the notes of that note's group)
// and End spotlight. What is shown comes from the rooms' boards (spotlight.show / .hide ops).

import { groupNotes } from "./board-state.js";
import { h, icon, setText } from "./dom.js";
import { findNote } from "./console-state.js";
import { openPhotoViewer } from "./photos.js";
import { t } from "./i18n.js";

/** The spotlight shown now: the most recent one of the open rooms, or null. */
export function currentSpotlight(s) {
  let best = null;
  for (const code of s.order) {
    const shown = s.rooms[code].spotlight;
    if (shown && (!best || shown.note.id !== best.note.id)) best = shown;
  }
  return best;
}

/** The notes of the spotlighted note's group, in board order, and where it is among them. */
function stepsOf(s, shown) {
  const board = s.rooms[shown.room];
  if (!board) return null;
  const here = board.notes.find((n) => n.id === shown.note.id);
  const groupId = here ? here.group_id : shown.note.group_id;
  const notes = groupNotes(board.notes, groupId).filter((n) => n.text != null);
  return { notes, index: notes.findIndex((n) => n.id === shown.note.id) };
}

export function createSpotlightBar(before) {
  const text = h("span", { class: "spotlight-bar-text" });
  const where = h("span", { class: "spotlight-bar-where" });
  const button = (action, label, iconName) => h("button", { type: "button", class: "btn btn-small", dataset: { action } },
    iconName ? icon(iconName) : null, h("span", { text: label }));
  const prev = button("spotlight-prev", t("Previous"), null);
  const next = button("spotlight-next", t("Next"), null);
  const end = button("spotlight-end", t("End spotlight"), "x");
  const el = h("section", { class: "spotlight-bar", "aria-label": t("Spotlight"), hidden: true },
    icon("spotlight"),
    h("p", { class: "spotlight-bar-line" }, h("strong", { text: t("In the spotlight:") + " " }), text, " ", where),
    h("div", { class: "spotlight-bar-buttons" }, prev, next, end),
    h("p", { class: "error-message", role: "alert", dataset: { error: "spotlight" }, hidden: true }));
  before.before(el);

  return {
    render(s) {
      const shown = currentSpotlight(s);
      el.hidden = !shown;
      if (!shown) return;
      const note = shown.note;
      const author = note.author || t("Facilitator");
      setText(text, note.city
        ? t("“%(text)s” by %(author)s (%(city)s)", { text: note.text, author, city: note.city })
        : t("“%(text)s” by %(author)s", { text: note.text, author }));
      const steps = stepsOf(s, shown);
      const place = steps && steps.index >= 0
        ? t("%(group)s: %(index)s of %(count)s", { group: shown.group ? shown.group.name : "", index: steps.index + 1, count: steps.notes.length })
        : "";
      setText(where, place ? `· ${place}` : "");
      const busy = Boolean(s.busy.spotlight);
      prev.disabled = busy || !steps || steps.index <= 0;
      next.disabled = busy || !steps || steps.index < 0 || steps.index >= steps.notes.length - 1;
      end.disabled = busy;
    },
  };
}

/** Click handlers for the console's action table (data-action -> fn(button)). */
export function spotlightClicks({ getState, send, noteOf }) {
  const show = (noteId) => send({ type: "spotlight.show", note_id: noteId }, "spotlight");
  const step = (by) => {
    const s = getState();
    const shown = currentSpotlight(s);
    const steps = shown && stepsOf(s, shown);
    const target = steps && steps.notes[steps.index + by];
    if (target) show(target.id);
  };
  return {
    "note-spotlight": (b) => {
      const noteId = noteOf(b);
      send({ type: "spotlight.show", note_id: noteId }, `note:${noteId}`);
    },
    "note-photo": (b) => {
      const at = findNote(getState(), noteOf(b));
      if (at) openPhotoViewer(at.note, b);
    },
    "spotlight-prev": () => step(-1),
    "spotlight-next": () => step(1),
    "spotlight-end": () => send({ type: "spotlight.hide" }, "spotlight"),
  };
}
