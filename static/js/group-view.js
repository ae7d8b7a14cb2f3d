// The one group view (a column of notes with its name, count, menu, rename form and delete
// confirmation), for the room page (with a composer) and the console (compact, `look: "console"`).
// Built once per group id, then updated in place; its notes come from the one note view.

import { h, icon, setText, toggle } from "./dom.js";
import { actionButton, colorPicker, createNote, uid, updateNote } from "./note-view.js";

const LOOKS = {
  board: { section: "group", head: "group-head", heading: "h2", title: "group-title", menu: "group-menu",
    count: "group-count", empty: "empty-hint", emptyText: "Type an idea and press Enter", form: "rename-form", small: "",
    remove: "Delete", question: "Delete the group" },
  console: { section: "cgroup", head: "cgroup-head", heading: "h4", title: "cgroup-name", menu: "cgroup-menu",
    count: "cgroup-count", empty: "cgroup-empty", emptyText: "No notes yet", form: "rename-form croom-form", small: " btn-small",
    remove: "Remove", question: "Remove the group" },
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
    count: h("span", { class: "group-count-number" }),
    menu: h("button", { type: "button", class: `icon-btn ${L.menu}`, dataset: { action: "group-menu" }, "aria-haspopup": "menu", "aria-expanded": "false" }, icon("more")),
    caption: h("p", { class: "quad-caption", hidden: true }),
    rename: null, confirm: null,
    groupError: h("p", { class: "error-message", role: "alert", hidden: true }),
    list: h("ol", { class: "notes" }),
    empty: h("p", { class: L.empty, text: L.emptyText }),
    composer: null, composerError: null, label: null, form: null,
  };
  parts.head = h("div", { class: L.head },
    h("div", { class: "group-title-wrap" }, h(L.heading, { class: L.title }, parts.name), parts.caption),
    h("span", { class: L.count }, parts.count, h("span", { class: "visually-hidden", text: " notes" })),
    h("span", { class: "menu-anchor" }, parts.menu));
  if (composer) {
    const composerId = uid("composer");
    parts.composer = h("textarea", { class: "composer", id: composerId, rows: "2", maxlength: "1000", placeholder: "Add a note…", enterkeyhint: "send" });
    parts.composerError = h("p", { class: "error-message", role: "alert", hidden: true });
    parts.label = h("label", { class: "visually-hidden", for: composerId });
    parts.photo = photoSlot();
    parts.form = h("form", { class: "composer-form" },
      parts.label,
      h("div", { class: "composer-row" }, parts.composer,
        h("div", { class: "composer-buttons" },
          h("button", { type: "submit", class: "icon-btn btn-add", "aria-label": "Add note", title: "Add note" }, icon("plus")),
          h("button", { type: "button", class: "icon-btn composer-photo", "aria-label": "Add a photo", title: "Add a photo (or paste or drop one)" }, icon("image")))),
      h("input", { type: "file", accept: "image/*", class: "composer-file", hidden: true, tabindex: "-1", "aria-hidden": "true" }),
      parts.photo.el,
      colorPicker("yellow"),
      parts.composerError);
  }
  const dataset = roomCode ? { groupId: group.id, roomCode } : { groupId: group.id };
  const el = h("section", { class: L.section, "aria-labelledby": nameId, dataset },
    parts.head, parts.groupError, parts.form, parts.list, parts.empty);
  return { el, parts };
}

/** The photo going on the next note: progress while it uploads, then its thumbnail and the
 * description the board asks for; a refusal says why. */
function photoSlot() {
  const altId = uid("photo-alt");
  const parts = {
    img: h("img", { class: "composer-photo-img", alt: "", hidden: true }),
    progress: h("progress", { class: "composer-photo-progress", max: "100", value: "0" }),
    status: h("p", { class: "composer-photo-status", role: "status" }),
    alt: h("input", { class: "composer-alt", id: altId, maxlength: "300", autocomplete: "off",
      placeholder: "e.g. A tram crossing the old market square" }),
    altWrap: null,
    remove: h("button", { type: "button", class: "btn btn-small composer-photo-remove", text: "Remove photo" }),
  };
  parts.altWrap = h("div", { class: "composer-alt-wrap" },
    h("label", { for: altId, class: "composer-alt-label", text: "Describe the photo for people who cannot see it" }), parts.alt);
  parts.el = h("div", { class: "composer-photo-slot", hidden: true },
    parts.img, h("div", { class: "composer-photo-body" }, parts.status, parts.progress, parts.altWrap, parts.remove));
  return parts;
}

function renderPhotoSlot(p, photo) {
  p.el.hidden = !photo;
  if (!photo) {
    if (p.alt.value) p.alt.value = "";
    return;
  }
  const uploading = photo.status === "uploading";
  p.progress.hidden = !uploading;
  if (uploading) p.progress.value = Math.round((photo.progress || 0) * 100);
  const status = uploading ? `Uploading ${photo.name || "the photo"}… ${Math.round((photo.progress || 0) * 100)}%`
    : photo.status === "error" ? photo.error : "Photo ready: it goes on your next note. Write its caption above.";
  setText(p.status, status);
  p.status.classList.toggle("error-message", photo.status === "error");
  p.img.hidden = photo.status !== "ready";
  if (photo.status === "ready" && p.img.getAttribute("src") !== photo.thumb) p.img.setAttribute("src", photo.thumb);
  p.altWrap.hidden = photo.status === "error";
  setText(p.remove, photo.status === "error" ? "Dismiss" : "Remove photo");
}

function renameForm(group, L) {
  const input = h("input", { name: "name", class: "rename-input", maxlength: "80", "aria-label": `New name for ${group.name}`, autocomplete: "off", required: true });
  input.value = group.name;
  return h("form", { class: L.form, dataset: { form: "group-rename" } }, input,
    h("div", { class: "row-buttons" },
      h("button", { type: "submit", class: `btn btn-primary${L.small}`, text: "Save" }),
      actionButton("rename-cancel", "Cancel", { className: `btn${L.small}`, dataset: { action: "group-rename-cancel" } })));
}

function groupConfirm(group, target, count, L) {
  const where = count ? ` Its ${count === 1 ? "note moves" : `${count} notes move`} to “${target}”.` : "";
  return h("div", { class: "confirm group-confirm", role: "group", "aria-label": `${L.question} “${group.name}”?` },
    h("span", { class: "confirm-text", text: `${L.question} “${group.name}”?${where}` }),
    actionButton("group-delete-confirm", `${L.remove}${L.small ? "" : " group"}`, { className: `btn btn-danger${L.small}` }),
    actionButton("group-delete-cancel", "Cancel", { className: `btn${L.small}` }));
}

/**
 * Bring a group up to date. view: { notes (in order), groups (all, in order), renaming,
 * confirming, error, composerError, locked, temp, quadrant ({area, caption} on a 2×2 map),
 * noteItems (id -> note view, shared by the page), noteOptions(note) -> updateNote's options,
 * console (compact notes), arrived (a new note is marked as just arrived) }.
 */
export function renderGroup(item, group, view) {
  const { el, parts } = item;
  const L = parts.look;
  const { notes, groups, locked, temp, quadrant } = view;
  setText(parts.name, group.name);
  setText(parts.count, String(notes.length));
  parts.list.setAttribute("aria-label", `Notes in ${group.name}`);
  parts.menu.setAttribute("aria-label", `Options for group ${group.name}`);
  parts.menu.title = "Group options";
  parts.menu.disabled = Boolean(temp || locked);
  if (parts.composer) {
    parts.label.textContent = `New note in ${group.name}`;
    parts.composer.placeholder = locked ? "Locked by the facilitator" : "Add a note…";
    parts.form.querySelectorAll("button, input, textarea").forEach((x) => { x.disabled = Boolean(temp || locked); });
    showError(parts.composerError, view.composerError);
    renderPhotoSlot(parts.photo, view.photo);
  }
  toggle(el, "pending", Boolean(temp));
  // A locked board disables every button on its notes: the list itself then takes the keyboard,
  // so a long list can still be scrolled and read (WCAG 2.1.1). Kept focusable (-1) after the
  // unlock, so a reader inside it keeps the focus.
  parts.list.tabIndex = locked ? 0 : -1;
  // An empty board says what to do, unless nothing can be added (a locked board).
  parts.empty.hidden = notes.length > 0 || Boolean(locked && parts.composer);

  el.style.gridArea = el.dataset.quadrant = quadrant ? quadrant.area : ""; // grid areas in board.css
  setText(parts.caption, quadrant ? quadrant.caption : "");
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

  const noteEls = notes.map((note) => {
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
