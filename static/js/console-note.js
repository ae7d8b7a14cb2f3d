// One compact sticky note in the console: built once per note id, then updated in place (so an
// open editor or keyboard focus survive every change that arrives). The facilitator may move,
// edit, recolour and delete any note.

import { h, icon, setText, toggle } from "./dom.js";
import { colorPicker } from "./note-view.js";

function iconButton(action, label, iconName) {
  return h("button", { type: "button", class: `icon-btn note-${action}`, "aria-label": label, title: label, dataset: { action: `note-${action}` } }, icon(iconName));
}

export function createNote(note) {
  const parts = {
    text: h("p", { class: "note-text" }),
    author: h("span", { class: "note-author" }),
    city: h("span", { class: "note-city" }),
    tags: h("span", { class: "note-tags", hidden: true }),
    votes: h("span", { class: "note-votes", hidden: true }),
    move: iconButton("move", "Move to…", "move"),
    edit: iconButton("edit", "Edit or recolour", "edit"),
    del: iconButton("delete", "Delete note", "trash"),
    error: h("p", { class: "error-message", role: "alert", hidden: true }),
    editor: null, confirm: null,
  };
  parts.move.setAttribute("aria-haspopup", "menu");
  parts.move.setAttribute("aria-expanded", "false");
  const el = h("li", { class: "note cnote", tabindex: "-1", dataset: { noteId: note.id } },
    parts.text,
    h("div", { class: "note-foot" },
      h("span", { class: "note-meta" }, h("span", { class: "visually-hidden", text: "By " }), parts.author, " ", parts.city, " ", parts.tags),
      parts.votes,
      h("span", { class: "note-actions" }, h("span", { class: "menu-anchor" }, parts.move), parts.edit, parts.del)),
    parts.error);
  return { el, parts, color: null };
}

/** "Also for": the workshop's other cities, ticked for those the note is filed under. */
function citiesFor(note, cities) {
  const others = cities.filter((city) => city !== note.city);
  if (!others.length) return null;
  const tags = new Set(note.tags || []);
  return h("fieldset", { class: "note-tag-picker" },
    h("legend", { text: "Also for these cities" }),
    ...others.map((city) => {
      const box = h("input", { type: "checkbox", name: "tag", value: city });
      box.checked = tags.has(city);
      return h("label", { class: "tag-choice" }, box, h("span", { text: city }));
    }));
}

function editorFor(note, cities) {
  const input = h("textarea", { class: "note-edit-input", rows: "3", maxlength: "1000", "aria-label": "Note text" });
  input.value = note.text || "";
  return h("form", { class: "note-editor", dataset: { form: "note-edit", updatedAt: note.updated_at || "" } },
    input,
    colorPicker(note.color, "Note colour"),
    citiesFor(note, cities),
    h("div", { class: "row-buttons" },
      h("button", { type: "submit", class: "btn btn-primary btn-small", text: "Save" }),
      h("button", { type: "button", class: "btn btn-small", dataset: { action: "note-edit-cancel" }, text: "Cancel" })));
}

function confirmFor(note) {
  return h("div", { class: "confirm note-confirm", role: "group", "aria-label": "Delete this note?" },
    h("span", { class: "confirm-text", text: `Delete this note by ${note.author}?` }),
    h("button", { type: "button", class: "btn btn-danger btn-small", dataset: { action: "note-delete-confirm" }, text: "Delete" }),
    h("button", { type: "button", class: "btn btn-small", dataset: { action: "note-delete-cancel" }, text: "Cancel" }));
}

/** Bring a note element up to date. `showVotes`: voting is open, or a round left totals. */
export function updateNote(item, note, { busy, editing, confirming, error, showVotes, cities = [] }) {
  const { el, parts } = item;
  if (item.color !== note.color) {
    if (item.color) el.classList.remove(`note-${item.color}`);
    el.classList.add(`note-${note.color}`);
    item.color = note.color;
  }
  toggle(el, "pending", busy);
  toggle(el, "editing", editing);
  setText(parts.text, note.text == null ? "(hidden)" : note.text);
  setText(parts.author, note.author || "Facilitator");
  setText(parts.city, note.city || "");
  parts.city.hidden = !note.city;
  const tags = note.tags || [];
  setText(parts.tags, tags.length ? `also for ${tags.join(", ")}` : "");
  parts.tags.hidden = !tags.length;
  const votes = note.votes || 0;
  parts.votes.hidden = !(showVotes || votes);
  setText(parts.votes, `${votes} ${votes === 1 ? "vote" : "votes"}`);
  toggle(parts.votes, "has-votes", votes > 0);
  el.draggable = !editing;

  if (editing && !parts.editor) {
    parts.editor = editorFor(note, cities);
    parts.text.after(parts.editor);
  } else if (!editing && parts.editor) {
    parts.editor.remove();
    parts.editor = null;
  }
  parts.text.hidden = editing;

  if (confirming && !parts.confirm) {
    parts.confirm = confirmFor(note);
    parts.error.before(parts.confirm);
  } else if (!confirming && parts.confirm) {
    parts.confirm.remove();
    parts.confirm = null;
  }
  setText(parts.error, error || "");
  parts.error.hidden = !error;
}
