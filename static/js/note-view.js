// The one sticky-note view, for the room page and the console (option `console`): built once per
// note id, then updated in place, so an open editor or keyboard focus survive every change that
// arrives. Also the colour picker. Buttons carry a class (room page) and a data-action (console).

import { COLORS, TEMP_PREFIX } from "./board-state.js";
import { h, icon, setText, toggle } from "./dom.js";
import { photoEditor, renderEditorPhoto, updateNotePhoto } from "./photos.js";
import { detailsEditor, showDetailsLine } from "./note-details.js";
import { t, tn } from "./i18n.js";

const COLOR_NAMES = { yellow: t("Yellow"), pink: t("Pink"), green: t("Green"), blue: t("Blue"), orange: t("Orange"), purple: t("Purple") };
const HIDDEN_TEXT = t("Private: shown when the facilitator reveals the notes");
// A note longer than this shows its first lines and a "Show more" button.
const LONG_CHARS = 280;
const LONG_LINES = 6;
const isLong = (text) => text.length > LONG_CHARS || text.split("\n").length > LONG_LINES;
let counter = 0;
export const uid = (prefix) => `${prefix}-${++counter}`;

/** A keyboard-reachable radio group of the six note colours. */
export function colorPicker(selected = "yellow", legend = t("Note colour")) {
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

/** A button the room page finds by its class and the console by its data-action. */
export function actionButton(action, text, { className = "btn", ...attrs } = {}) {
  return h("button", { type: "button", class: `${className} ${action}`, dataset: { action }, text, ...attrs });
}

function iconButton(action, label, iconName) {
  return h("button", { type: "button", class: `icon-btn ${action}`, dataset: { action }, "aria-label": label, title: label }, icon(iconName));
}

/** options: console (a compact note the facilitator may change whoever wrote it). */
export function createNote(note, { console = false } = {}) {
  const parts = {
    text: h("p", { class: "note-text" }),
    more: h("button", { type: "button", class: "link-btn note-more", hidden: true, "aria-expanded": "false", text: t("Show more") }),
    from: h("p", { class: "note-from", hidden: true }),
    details: h("p", { class: "note-details", hidden: true }),
    author: h("span", { class: "note-author" }),
    city: h("span", { class: "note-city" }),
    tags: h("span", { class: "note-tags", hidden: true }),
    status: h("span", { class: "note-status", text: t("Sending…") }),
    votes: h("span", { class: "note-votes-slot", hidden: true }),
    vote: null, unvote: null, tally: null,
    move: iconButton("note-move", t("Move to…"), "move"),
    actions: h("span", { class: "note-actions" }),
    error: h("p", { class: "error-message", role: "alert", hidden: true }),
    edit: null, del: null, editor: null, confirm: null, photo: null,
  };
  parts.move.setAttribute("aria-haspopup", "menu");
  // The console shows any note of the workshop to every room (spotlight.show).
  if (console) parts.actions.append(iconButton("note-spotlight", t("Show in the spotlight"), "spotlight"));
  parts.move.setAttribute("aria-expanded", "false");
  parts.actions.append(h("span", { class: "menu-anchor" }, parts.move));
  const el = h("li", { class: console ? "note cnote" : "note", tabindex: "-1", dataset: { noteId: note.id } },
    parts.from,
    parts.text,
    parts.more,
    parts.details,
    h("div", { class: "note-foot" },
      parts.votes,
      h("span", { class: "note-meta" }, h("span", { class: "visually-hidden", text: t("By") + " " }), parts.author, " ", parts.city, " ", parts.tags),
      parts.status, parts.actions),
    parts.error);
  const item = { el, parts, color: null, console, expanded: false };
  parts.more.addEventListener("click", () => {
    item.expanded = !item.expanded;
    showLength(item);
  });
  return item;
}

/** A long note is clamped to its first lines until "Show more". */
function showLength(item) {
  const { parts } = item;
  const long = !parts.text.hidden && isLong(parts.text.textContent);
  toggle(parts.text, "clamped", long && !item.expanded);
  parts.more.hidden = !long;
  setText(parts.more, item.expanded ? t("Show less") : t("Show more"));
  parts.more.setAttribute("aria-expanded", String(item.expanded));
}

/** "Also for": the workshop's other cities, ticked for those the note is filed under. */
function citiesFor(note, cities) {
  const others = cities.filter((city) => city !== note.city);
  if (!others.length) return null;
  const tags = new Set(note.tags || []);
  return h("fieldset", { class: "note-tag-picker" },
    h("legend", { text: t("Also for these cities") }),
    ...others.map((city) => {
      const box = h("input", { type: "checkbox", name: "tag", value: city });
      box.checked = tags.has(city);
      return h("label", { class: "tag-choice" }, box, h("span", { text: city }));
    }));
}

function editorFor(note, cities, small) {
  const input = h("textarea", { class: "note-edit-input", rows: "3", maxlength: "1000", "aria-label": t("Note text") });
  input.value = note.text || "";
  return h("form", { class: "note-editor", dataset: { form: "note-edit", updatedAt: note.updated_at || "" } },
    input,
    photoEditor(note),
    colorPicker(note.color, t("Note colour")),
    detailsEditor(note),
    cities ? citiesFor(note, cities) : null,
    h("div", { class: "row-buttons" },
      h("button", { type: "submit", class: `btn btn-primary note-save${small}`, text: t("Save") }),
      actionButton("note-cancel", t("Cancel"), { className: `btn${small}`, dataset: { action: "note-edit-cancel" } })),
    h("p", { class: "hint", text: t("Enter saves · Esc cancels") }));
}

function confirmFor(note, byline, small) {
  const question = byline && note.author ? t("Delete this note by %(author)s?", { author: note.author }) : t("Delete this note?");
  return h("div", { class: "confirm note-confirm", role: "group", "aria-label": question },
    h("span", { class: "confirm-text", text: question }),
    actionButton("note-delete-confirm", t("Delete"), { className: `btn btn-danger${small}` }),
    actionButton("note-delete-cancel", t("Cancel"), { className: `btn${small}` }));
}

/**
 * While voting is open: a dot button with the note's total (`canVote`); else the total alone.
 * `voted`: how many of my dots are on it; `several`: the round lets me put more than one here,
 * then a second button takes one back.
 */
function updateVotes(parts, note, { voting, voted, several, locked, temp, canVote, showVotes }) {
  const votes = note.votes || 0;
  parts.votes.hidden = !(voting || showVotes) && !votes;
  if (parts.votes.hidden) return;
  if (!parts.vote) {
    parts.vote = h("button", { type: "button", class: "note-vote" }, icon("dot"), h("span"));
    parts.unvote = h("button", { type: "button", class: "note-unvote", dataset: { action: "note-unvote" }, text: "−1" });
    parts.tally = h("span", { class: "note-tally" }, icon("dot"), h("span"));
    parts.votes.append(parts.vote, parts.unvote, parts.tally);
  }
  const { vote, unvote, tally } = parts;
  const total = tn("%(num)s vote", "%(num)s votes", votes);
  const mine = voted || 0;
  vote.hidden = !(voting && canVote);
  tally.hidden = !vote.hidden;
  toggle(tally, "has-votes", votes > 0);
  if (several) {
    const title = t("Put one of your dots on this note");
    vote.title = title;
    vote.setAttribute("aria-label", mine
      ? tn("%(action)s (%(votes)s, %(num)s of them yours)", "%(action)s (%(votes)s, %(num)s of them yours)", mine, { action: title, votes: total })
      : t("%(action)s (%(votes)s)", { action: title, votes: total }));
    vote.removeAttribute("aria-pressed");
    toggle(vote, "voted", mine > 0);
  } else {
    const title = mine ? t("Take back your vote") : t("Vote for this note");
    vote.title = title;
    vote.setAttribute("aria-label", t("%(action)s (%(votes)s)", { action: title, votes: total }));
    vote.setAttribute("aria-pressed", String(mine > 0));
    toggle(vote, "voted", false);
  }
  unvote.hidden = vote.hidden || !several || !mine;
  unvote.title = t("Take back one of your dots");
  unvote.setAttribute("aria-label", tn("Take back one of your dots (%(num)s on this note)", "Take back one of your dots (%(num)s on this note)", mine));
  vote.disabled = unvote.disabled = Boolean(locked || temp);
  setText(vote.lastChild, String(votes));
  setText(tally.lastChild, total);
}

/**
 * Bring a note element up to date. options: mine (may edit and delete it: the author, or the
 * facilitator), pending, editing, confirming, error, voting, voted (my dots on it), several
 * (the round allows several per note), locked, showVotes (a round left totals), cities (the
 * console's "also for" choice in the editor), photo (a photo uploading from the editor, photos.js).
 */
export function updateNote(item, note, options) {
  const { mine, pending, editing, confirming, error, voting, voted, several, locked, showVotes, cities } = options;
  const { el, parts } = item;
  const small = item.console ? " btn-small" : "";
  const temp = note.id.startsWith(TEMP_PREFIX);
  if (item.color !== note.color) {
    if (item.color) el.classList.remove(`note-${item.color}`);
    el.classList.add(`note-${note.color}`);
    item.color = note.color;
  }
  toggle(el, "pending", pending);
  toggle(el, "mine", mine && !item.console);
  toggle(el, "editing", editing);
  const hidden = note.text == null;
  toggle(el, "note-hidden", hidden);
  setText(parts.text, hidden ? HIDDEN_TEXT : note.text);
  updateNotePhoto(parts, note, parts.text);
  showDetailsLine(parts.details, hidden ? null : note.details);
  parts.details.hidden = !parts.details.textContent || editing;
  setText(parts.author, note.author || t("Facilitator"));
  setText(parts.city, note.city || "");
  parts.city.hidden = !note.city;
  const tags = note.tags || [];
  setText(parts.tags, tags.length ? t("also for %(cities)s", { cities: tags.join(", ") }) : "");
  parts.tags.hidden = !tags.length;
  parts.status.hidden = !pending;
  el.draggable = !editing && !temp && !locked;
  parts.move.disabled = temp || Boolean(locked);
  updateVotes(parts, note, { voting, voted, several, locked, temp, canVote: !item.console, showVotes });

  // Edit and Delete for whoever may change the note.
  if (mine && !parts.edit) {
    parts.edit = iconButton("note-edit", t("Edit note"), "edit");
    parts.del = iconButton("note-delete", t("Delete note"), "trash");
    parts.actions.append(parts.edit, parts.del);
  } else if (!mine && parts.edit) {
    parts.edit.remove(); parts.del.remove();
    parts.edit = parts.del = null;
  }
  if (parts.edit) parts.edit.disabled = parts.del.disabled = temp || Boolean(locked);

  if (editing && !parts.editor) {
    parts.editor = editorFor(note, cities, small);
    parts.text.after(parts.editor);
  } else if (!editing && parts.editor) {
    parts.editor.remove();
    parts.editor = null;
  }
  if (parts.editor) renderEditorPhoto(parts.editor, options.photo || null); // a photo uploading from the editor
  parts.text.hidden = editing;
  showLength(item);
  // Moved in from another room: highlighted, and says where from.
  const movedIn = note.moved_from != null;
  toggle(el, "moved-in", movedIn);
  setText(parts.from, !movedIn ? "" : note.moved_from ? t("from %(room)s", { room: note.moved_from }) : t("from another room"));
  parts.from.hidden = !movedIn;

  if (confirming && !parts.confirm) {
    parts.confirm = confirmFor(note, item.console, small);
    parts.error.before(parts.confirm);
  } else if (!confirming && parts.confirm) {
    parts.confirm.remove();
    parts.confirm = null;
  }
  setText(parts.error, error || "");
  parts.error.hidden = !error;
}
