// The one group view (a column of notes with its name, count, menu, rename form and delete
// confirmation), for the room page (with a composer) and the console (compact, `look: "console"`).
// Built once per group id, then updated in place; its notes come from the one note view.

import { h, icon, setText, toggle } from "./dom.js";
import { actionButton, colorPicker, createNote, uid, updateNote } from "./note-view.js";
import { photoSlot, renderPhotoSlot } from "./photos.js";
import { fill, t, tn } from "./i18n.js";

const LOOKS = {
  board: { section: "group", head: "group-head", heading: "h2", title: "group-title", menu: "group-menu",
    count: "group-count", empty: "empty-hint", emptyText: t("Type an idea and press Enter"), form: "rename-form", small: "",
    remove: t("Delete group"), question: t("Delete the group “%(group)s”?") },
  console: { section: "cgroup", head: "cgroup-head", heading: "h4", title: "cgroup-name", menu: "cgroup-menu",
    count: "cgroup-count", empty: "cgroup-empty", emptyText: t("No notes yet"), form: "rename-form croom-form", small: " btn-small",
    remove: t("Remove"), question: t("Remove the group “%(group)s”?") },
};

function showError(el, message) {
  setText(el, message || "");
  el.hidden = !message;
}

/** Put `els` in this order inside `parent`, moving only what is out of place; drop the rest. */
export function arrange(parent, els) {
  let prev = null;
  for (const el of els) {
    const expected = prev ? prev.nextElementSibling : parent.firstElementChild;
    if (expected !== el) parent.insertBefore(el, expected);
    prev = el;
  }
  for (const child of Array.from(parent.children)) if (!els.includes(child)) child.remove();
}

/** options: look ("board" or "console"), roomCode (console), composer (room page). */
export function createGroup(group, { look = "board", roomCode, composer = false } = {}) {
  const L = LOOKS[look];
  const nameId = uid("group-name");
  const parts = {
    look: L,
    name: h("span", { class: "group-name", id: nameId }),
    count: h("span", { class: "group-count-number", "aria-hidden": "true" }),
    countWords: h("span", { class: "visually-hidden" }),
    menu: h("button", { type: "button", class: `icon-btn ${L.menu}`, dataset: { action: "group-menu" }, "aria-haspopup": "menu", "aria-expanded": "false" }, icon("more")),
    caption: h("p", { class: "quad-caption", hidden: true }),
    rename: null, confirm: null,
    groupError: h("p", { class: "error-message", role: "alert", hidden: true }),
    list: h("ol", { class: "notes" }),
    empty: h("p", { class: L.empty, text: L.emptyText }),
    more: h("button", { type: "button", class: "btn btn-small group-more", dataset: { action: "group-more" }, hidden: true }),
    composer: null, composerError: null, label: null, form: null,
  };
  parts.head = h("div", { class: L.head },
    h("div", { class: "group-title-wrap" }, h(L.heading, { class: L.title }, parts.name), parts.caption),
    h("span", { class: L.count }, parts.count, parts.countWords),
    h("span", { class: "menu-anchor" }, parts.menu));
  if (composer) {
    const composerId = uid("composer");
    parts.composer = h("textarea", { class: "composer", id: composerId, rows: "2", maxlength: "1000", placeholder: t("Add a note…"), enterkeyhint: "send" });
    parts.composerError = h("p", { class: "error-message", role: "alert", hidden: true });
    parts.label = h("label", { class: "visually-hidden", for: composerId });
    parts.photo = photoSlot();
    parts.form = h("form", { class: "composer-form" },
      parts.label,
      h("div", { class: "composer-row" }, parts.composer,
        h("div", { class: "composer-buttons" },
          h("button", { type: "submit", class: "icon-btn btn-add", "aria-label": t("Add note"), title: t("Add note") }, icon("plus")),
          h("button", { type: "button", class: "icon-btn composer-photo", "aria-label": t("Add a photo"), title: t("Add a photo (or paste or drop one)") }, icon("image")))),
      h("input", { type: "file", accept: "image/*", class: "composer-file", hidden: true, tabindex: "-1", "aria-hidden": "true" }),
      parts.photo.el,
      colorPicker("yellow"),
      parts.composerError);
  }
  const dataset = roomCode ? { groupId: group.id, roomCode } : { groupId: group.id };
  const el = h("section", { class: L.section, "aria-labelledby": nameId, dataset },
    parts.head, parts.groupError, parts.form, parts.list, parts.more, parts.empty);
  return { el, parts };
}

function renameForm(group, L) {
  const input = h("input", { name: "name", class: "rename-input", maxlength: "80", "aria-label": t("New name for %(group)s", { group: group.name }), autocomplete: "off", required: true });
  input.value = group.name;
  return h("form", { class: L.form, dataset: { form: "group-rename" } }, input,
    h("div", { class: "row-buttons" },
      h("button", { type: "submit", class: `btn btn-primary${L.small}`, text: t("Save") }),
      actionButton("rename-cancel", t("Cancel"), { className: `btn${L.small}`, dataset: { action: "group-rename-cancel" } })));
}

function groupConfirm(group, target, count, L) {
  const question = fill(L.question, { group: group.name });
  const where = count ? tn("Its %(num)s note moves to “%(target)s”.", "Its %(num)s notes move to “%(target)s”.", count, { target }) : "";
  return h("div", { class: "confirm group-confirm", role: "group", "aria-label": question },
    h("span", { class: "confirm-text", text: where ? `${question} ${where}` : question }),
    actionButton("group-delete-confirm", L.remove, { className: `btn btn-danger${L.small}` }),
    actionButton("group-delete-cancel", t("Cancel"), { className: `btn${L.small}` }));
}

/**
 * Bring a group up to date. view: { notes (in order), groups (all, in order), renaming,
 * confirming, error, composerError, locked, temp, quadrant ({area, caption} on a 2×2 map),
 * noteItems (id -> note view, shared by the page), noteOptions(note) -> updateNote's options,
 * console (compact notes), arrived (a new note is marked as just arrived), limit (show this many
 * notes, then an "N more" button, unless `expanded`) }.
 */
export function renderGroup(item, group, view) {
  const { el, parts } = item;
  const L = parts.look;
  const { notes, groups, locked, temp, quadrant } = view;
  setText(parts.name, group.name);
  setText(parts.count, String(notes.length));
  // Screen readers hear the count with its word in the right plural ("5 notatek").
  setText(parts.countWords, tn("%(num)s note", "%(num)s notes", notes.length));
  parts.list.setAttribute("aria-label", t("Notes in %(group)s", { group: group.name }));
  parts.menu.setAttribute("aria-label", t("Options for group %(group)s", { group: group.name }));
  parts.menu.title = t("Group options");
  parts.menu.disabled = Boolean(temp || locked);
  if (parts.composer) {
    parts.label.textContent = t("New note in %(group)s", { group: group.name });
    parts.composer.placeholder = locked ? t("Locked by the facilitator") : t("Add a note…");
    parts.form.querySelectorAll("button, input, textarea").forEach((x) => { x.disabled = Boolean(temp || locked); });
    showError(parts.composerError, view.composerError);
    renderPhotoSlot(parts.photo, view.photo);
  }
  toggle(el, "pending", Boolean(temp));
  // A locked board disables every button on its notes: the list itself then takes the keyboard,
  // so a long list can still be scrolled and read (WCAG 2.1.1). Kept focusable (-1) after the
  // unlock, so a reader inside it keeps the focus.
  parts.list.tabIndex = locked ? 0 : -1;
  el.dataset.position = String(groups.findIndex((g) => g.id === group.id)); // on a map, not its place in the page
  // An empty board says what to do, unless nothing can be added (a locked board).
  parts.empty.hidden = notes.length > 0 || Boolean(locked && parts.composer);

  el.style.gridArea = el.dataset.quadrant = quadrant ? quadrant.area : ""; // grid areas in board.css
  setText(parts.caption, quadrant ? t(quadrant.caption) : "");
  parts.caption.hidden = !quadrant;

  if (view.renaming && !parts.rename) {
    parts.rename = renameForm(group, L);
    parts.head.after(parts.rename);
  } else if (!view.renaming && parts.rename) {
    parts.rename.remove();
    parts.rename = null;
  }
  parts.head.hidden = Boolean(view.renaming);

  if (view.confirming && !parts.confirm) {
    const first = groups.find((g) => g.id !== group.id);
    parts.confirm = groupConfirm(group, first ? first.name : "", notes.length, L);
    parts.groupError.before(parts.confirm);
  } else if (!view.confirming && parts.confirm) {
    parts.confirm.remove();
    parts.confirm = null;
  }
  showError(parts.groupError, view.error);

  // Never a row cut in half: a long group shows its first notes, then "N more".
  const cut = view.limit && !view.expanded && notes.length > view.limit + 1 ? view.limit : notes.length;
  parts.more.hidden = cut === notes.length && !(view.expanded && view.limit && notes.length > view.limit + 1);
  const rest = notes.length - cut;
  setText(parts.more, rest ? tn("%(num)s more", "%(num)s more", rest) : t("Show fewer"));
  parts.more.setAttribute("aria-expanded", String(cut === notes.length));
  parts.more.setAttribute("aria-label", rest
    ? tn("Show %(num)s more note in %(group)s", "Show %(num)s more notes in %(group)s", rest, { group: group.name })
    : t("Show fewer notes in %(group)s", { group: group.name }));
  const noteEls = notes.slice(0, cut).map((note) => {
    let n = view.noteItems.get(note.id);
    if (!n) {
      n = createNote(note, { console: Boolean(view.console) });
      view.noteItems.set(note.id, n);
      if (view.arrived) n.el.classList.add("arrived");
    }
    updateNote(n, note, view.noteOptions(note));
    return n.el;
  });
  arrange(parts.list, noteEls);
}
