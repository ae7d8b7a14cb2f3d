// DOM for one sticky note and the colour picker. Built once per note id, then updated in place.

import { COLORS, TEMP_PREFIX } from "./state.js";
import { h, icon, setText, toggle } from "./dom.js";

const COLOR_NAMES = { yellow: "Yellow", pink: "Pink", green: "Green", blue: "Blue", orange: "Orange", purple: "Purple" };
let counter = 0;
export const uid = (prefix) => `${prefix}-${++counter}`;

/** A keyboard-reachable radio group of the six note colours. */
export function colorPicker(selected = "yellow", legend = "Note colour") {
  const name = uid("color");
  return h("fieldset", { class: "colors" },
    h("legend", { class: "visually-hidden", text: legend }),
    COLORS.map((color) => h("label", { class: "swatch", title: COLOR_NAMES[color] },
      h("input", { type: "radio", name, value: color, class: "swatch-input", checked: color === selected }),
      h("span", { class: `swatch-dot note-${color}` }, icon("check")),
      h("span", { class: "visually-hidden", text: COLOR_NAMES[color] }))));
}

export function pickedColor(container) {
  const input = container.querySelector(".swatch-input:checked");
  return input ? input.value : "yellow";
}

function iconButton(className, label, iconName) {
  return h("button", { type: "button", class: `icon-btn ${className}`, "aria-label": label, title: label }, icon(iconName));
}

export function createNote(note) {
  const parts = {
    text: h("p", { class: "note-text" }),
    author: h("span", { class: "note-author" }),
    city: h("span", { class: "note-city" }),
    status: h("span", { class: "note-status", text: "Sending…" }),
    votes: h("span", { class: "note-votes-slot", hidden: true }),
    vote: null, tally: null,
    move: iconButton("note-move", "Move to…", "move"),
    actions: h("span", { class: "note-actions" }),
    error: h("p", { class: "error-message", role: "alert", hidden: true }),
    edit: null, del: null, editor: null, confirm: null,
  };
  parts.move.setAttribute("aria-haspopup", "menu");
  parts.move.setAttribute("aria-expanded", "false");
  parts.actions.append(h("span", { class: "menu-anchor" }, parts.move));
  const el = h("li", { class: "note", tabindex: "-1", dataset: { noteId: note.id } },
    parts.text,
    h("div", { class: "note-foot" },
      parts.votes,
      h("span", { class: "note-meta" }, h("span", { class: "visually-hidden", text: "By " }), parts.author, " ", parts.city),
      parts.status, parts.actions),
    parts.error);
  return { el, parts, color: null };
}

function editorFor(note) {
  const input = h("textarea", { class: "note-edit-input", rows: "3", maxlength: "1000", "aria-label": "Note text" });
  input.value = note.text;
  return h("form", { class: "note-editor" },
    input,
    colorPicker(note.color, "Note colour"),
    h("div", { class: "row-buttons" },
      h("button", { type: "submit", class: "btn btn-primary note-save", text: "Save" }),
      h("button", { type: "button", class: "btn note-cancel", text: "Cancel" })),
    h("p", { class: "hint", text: "Enter saves · Esc cancels" }));
}

function confirmFor() {
  return h("div", { class: "confirm note-confirm", role: "group", "aria-label": "Delete this note?" },
    h("span", { class: "confirm-text", text: "Delete this note?" }),
    h("button", { type: "button", class: "btn btn-danger note-delete-confirm", text: "Delete" }),
    h("button", { type: "button", class: "btn note-delete-cancel", text: "Cancel" }));
}

/** While voting is open: a dot button with the note's total; after it, the total alone. */
function updateVotes(parts, note, { voting, voted, locked, temp }) {
  const votes = note.votes || 0;
  parts.votes.hidden = !voting && !votes;
  if (parts.votes.hidden) return;
  if (!parts.vote) {
    parts.vote = h("button", { type: "button", class: "note-vote" }, icon("dot"), h("span"));
    parts.tally = h("span", { class: "note-tally" }, icon("dot"), h("span"));
    parts.votes.append(parts.vote, parts.tally);
  }
  const { vote, tally } = parts;
  const total = `${votes} ${votes === 1 ? "vote" : "votes"}`;
  const title = voted ? "Take back your vote" : "Vote for this note";
  vote.hidden = !voting;
  tally.hidden = Boolean(voting);
  vote.title = title;
  vote.setAttribute("aria-label", `${title} (${total})`);
  vote.setAttribute("aria-pressed", String(Boolean(voted)));
  vote.disabled = Boolean(locked || temp);
  setText(vote.lastChild, String(votes));
  setText(tally.lastChild, total);
}

/** Bring a note element up to date with the note and the UI state. */
export function updateNote(item, note, { mine, pending, editing, confirming, error, voting, voted, locked }) {
  const { el, parts } = item;
  const temp = note.id.startsWith(TEMP_PREFIX);
  if (item.color !== note.color) {
    if (item.color) el.classList.remove(`note-${item.color}`);
    el.classList.add(`note-${note.color}`);
    item.color = note.color;
  }
  toggle(el, "pending", pending);
  toggle(el, "mine", mine);
  toggle(el, "editing", editing);
  const hidden = note.text == null;
  toggle(el, "note-hidden", hidden);
  setText(parts.text, hidden ? "Private: shown when the facilitator reveals the notes" : note.text);
  setText(parts.author, note.author);
  setText(parts.city, note.city);
  parts.status.hidden = !pending;
  el.draggable = !editing && !temp && !locked;
  parts.move.disabled = temp || Boolean(locked);
  updateVotes(parts, note, { voting, voted, locked, temp });

  // Edit and Delete only for the author's own notes.
  if (mine && !parts.edit) {
    parts.edit = iconButton("note-edit", "Edit note", "edit");
    parts.del = iconButton("note-delete", "Delete note", "trash");
    parts.actions.append(parts.edit, parts.del);
  } else if (!mine && parts.edit) {
    parts.edit.remove(); parts.del.remove();
    parts.edit = parts.del = null;
  }
  if (parts.edit) parts.edit.disabled = parts.del.disabled = temp || Boolean(locked);

  if (editing && !parts.editor) {
    parts.editor = editorFor(note);
    parts.text.after(parts.editor);
  } else if (!editing && parts.editor) {
    parts.editor.remove();
    parts.editor = null;
  }
  parts.text.hidden = editing;

  if (confirming && !parts.confirm) {
    parts.confirm = confirmFor();
    parts.error.before(parts.confirm);
  } else if (!confirming && parts.confirm) {
    parts.confirm.remove();
    parts.confirm = null;
  }
  setText(parts.error, error || "");
  parts.error.hidden = !error;
}
