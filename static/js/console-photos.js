// The console's photos: a photo note the facilitator adds to a room ("Add a photo note…" in a
// room's More menu, or a photo dropped on a room), and a photo added to any note from its editor.
// Uploads go to POST /f/<key>/images through photos.js, the module the room page uses too.

import { ROOT } from "./connection.js";
import { focusEl, h, icon } from "./dom.js";
import { colorPicker, pickedColor } from "./note-view.js";
import { attachPhoto, listenForPhotos, photoSlot, renderPhotoSlot, STILL_UPLOADING } from "./photos.js";
import { setRoomForm, setUi, sortedGroups } from "./console-state.js";
import { t } from "./i18n.js";

const slots = new WeakMap(); // a photo note form -> {slot, pick}
const isEnter = (e) => e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229;

/** A room's photo note form: the group, the photo (picked, pasted or dropped), its description, the caption. */
export function photoNoteForm(board) {
  const field = (text, input) => h("label", { class: "field" }, h("span", { class: "field-label-small", text }), input);
  const group = h("select", { name: "group" }, sortedGroups(board).map((g) => h("option", { value: g.id, text: g.name })));
  const pick = h("button", { type: "button", class: "btn btn-small console-photo-pick", dataset: { action: "console-photo-pick" } },
    icon("image"), h("span", { text: t("Choose a photo…") }));
  const file = h("input", { type: "file", accept: "image/*", class: "console-photo-file", hidden: true, tabindex: "-1", "aria-hidden": "true" });
  const slot = photoSlot({ ready: t("Photo ready: write its caption, then add the note.") });
  const caption = h("textarea", { name: "text", class: "console-photo-caption", rows: "2", maxlength: "1000" });
  const form = h("form", { class: "croom-form console-photo-form", dataset: { form: "room-photo" } },
    h("p", { class: "field-help", text: t("A note with a photo, from you. Choose a photo, or paste or drop one here.") }),
    field(t("Group"), group),
    h("div", { class: "console-photo-pick-row" }, pick, file),
    slot.el,
    field(t("Caption"), caption),
    colorPicker("yellow"),
    h("div", { class: "row-buttons" },
      h("button", { type: "submit", class: "btn btn-small btn-primary", text: t("Add the note") }),
      h("button", { type: "button", class: "btn btn-small", dataset: { action: "room-form-cancel" }, text: t("Cancel") })));
  slots.set(form, { slot, pick });
  return form;
}

/** Show the photo waiting in a room's photo note form (or none). */
export function renderPhotoNoteForm(form, photo) {
  const parts = slots.get(form);
  if (!parts) return;
  renderPhotoSlot(parts.slot, photo);
  parts.pick.hidden = Boolean(photo && photo.status !== "error");
}

/**
 * The console's photo actions. Returns {clicks, forms} for the console's action tables, open(code)
 * for the More menu, and forget(key) (a note's editor opens without an old photo).
 */
export function consolePhotos({ root, grid, getState, set, send, flashOk, flashError, renderer }) {
  const target = () => ({ url: `${ROOT}/f/${encodeURIComponent(getState().key)}/images` });
  const photoOf = (key) => getState().ui.photos?.[key] || null;
  function put(key, photo) {
    const photos = { ...(getState().ui.photos || {}) };
    if (photo) photos[key] = photo;
    else delete photos[key];
    set(setUi(getState(), { photos }));
  }
  const forget = (key) => { if (photoOf(key)) put(key, null); };
  /** Where a photo picked, pasted or dropped at `el` goes: a note's editor or a room's photo form. */
  function keyOf(el) {
    if (el.closest(".note-editor")) return `note:${el.closest("[data-note-id]").dataset.noteId}`;
    const code = el.closest("[data-room-code]")?.dataset.roomCode;
    return code ? `room:${code}` : null;
  }
  const formOf = (key) => (key.startsWith("note:")
    ? renderer.noteEl(key.slice(5))?.querySelector(".note-editor")
    : renderer.roomEl(key.slice(5))?.querySelector(".console-photo-form"));

  function open(code) {
    forget(`room:${code}`);
    set(setRoomForm(getState(), code, "photo"));
  }

  async function attach(key, file) {
    if (!file || !key) return;
    if (key.startsWith("room:") && getState().ui.roomForm[key.slice(5)] !== "photo") open(key.slice(5));
    const done = await attachPhoto({ get: photoOf, put }, key, target(), file);
    if (done) focusEl(formOf(key)?.querySelector(done.status === "ready" ? ".composer-alt" : ".composer-photo-remove"));
  }

  const pickFile = (b) => b.parentElement.querySelector('input[type="file"]').click();
  const clicks = {
    "console-photo-pick": pickFile,
    "note-photo-pick": pickFile,
    "photo-remove": (b) => {
      const key = keyOf(b);
      put(key, null);
      focusEl(formOf(key)?.querySelector(".console-photo-pick, .note-photo-pick"));
    },
  };

  const forms = {
    "room-photo": (form, code) => {
      const key = `room:${code}`;
      const place = `room:${code}`;
      const photo = photoOf(key);
      const caption = form.elements.text;
      if (photo && photo.status === "uploading") { flashError(place, STILL_UPLOADING); return; }
      if (!photo || photo.status !== "ready") {
        flashError(place, t("Choose a photo first."));
        focusEl(form.querySelector(".console-photo-pick"));
        return;
      }
      const text = caption.value.trim();
      if (!text) {
        flashError(place, t("Write a caption for the photo, then add the note."));
        caption.focus();
        return;
      }
      const select = form.elements.group;
      const groupName = select.selectedOptions[0]?.textContent || "";
      send({
        type: "note.add", room: code, group_id: select.value, text, color: pickedColor(form),
        image_id: photo.imageId, alt: form.querySelector(".composer-alt").value.trim(),
      }, place, { onOk: () => {
        forget(key);
        set(setRoomForm(getState(), code, null));
        flashOk(place, t("Your photo note is on “%(group)s”.", { group: groupName }));
        focusEl(renderer.roomEl(code)?.querySelector('[data-action="room-more"]'));
      } });
    },
  };

  // A photo from the file picker, a paste (in the form or a note's editor), or a drop on a room.
  listenForPhotos({
    root,
    dropZone: grid,
    picker: ".console-photo-file, .note-photo-file",
    pasteIn: (el) => Boolean(el.closest(".console-photo-form, .note-editor")),
    droppable: (el) => Boolean(el.closest("[data-room-code]")),
    attach: (el, file) => attach(keyOf(el), file),
  });
  root.addEventListener("keydown", (e) => {
    if (e.target.matches(".console-photo-caption") && isEnter(e)) {
      e.preventDefault();
      e.target.form.requestSubmit();
    }
  });

  return { clicks, forms, open, forget, photoOf };
}
