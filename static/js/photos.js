// Photos on notes and the spotlight, shared by the room page and the console: image URLs (with
// the viewer's credentials: a room that hides notes shows a photo only to its author and the
// facilitator), uploads with progress, the full-size viewer and the spotlight overlay.

import { ROOT } from "./connection.js";
import { h, icon, setText } from "./dom.js";
import { t } from "./i18n.js";

export const MAX_BYTES = 10 * 1024 * 1024;
const TOO_LARGE = t("This file is over %(most)s MB. Use a smaller photo.", { most: 10 });
const OFFLINE = t("The photo could not be sent. Check your connection and try again.");

let credentials = "";

/** Who is looking (a participant's token, or the facilitator key): sent with every image URL. */
export function setPhotoCredentials({ token, key }) {
  if (token) credentials = `?token=${encodeURIComponent(token)}`;
  else if (key) credentials = `?key=${encodeURIComponent(key)}`;
}

export function photoUrl(imageId, { thumb = false } = {}) {
  return `${ROOT}/i/${encodeURIComponent(imageId)}${thumb ? "-thumb" : ""}.webp${credentials}`;
}

/** The first file of a paste or a drop, or null. */
export function fileOf(transfer) {
  if (!transfer) return null;
  const files = Array.from(transfer.files || []);
  return files.find((f) => f.type.startsWith("image/")) || files[0] || null;
}

export const carriesFiles = (event) => Array.from(event.dataTransfer?.types || []).includes("Files");

/**
 * Upload one photo (form field `image`). onProgress(fraction) while it goes. Resolves to
 * {ok: true, photo: {image_id, url, thumb_url, width, height}} or {ok: false, error}.
 */
export function uploadPhoto({ url, headers = {} }, file, onProgress) {
  if (file.size > MAX_BYTES) return Promise.resolve({ ok: false, error: TOO_LARGE });
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { body = {}; }
      if (xhr.status === 201) resolve({ ok: true, photo: body });
      else resolve({ ok: false, error: body.error || (xhr.status === 413 ? TOO_LARGE : OFFLINE) });
    };
    xhr.onerror = () => resolve({ ok: false, error: OFFLINE });
    const form = new FormData();
    form.append("image", file, file.name || "photo");
    xhr.send(form);
  });
}

/**
 * Photos given by the file picker, a paste or a drop, for the room page and the console alike:
 * `attach(target, file)` gets the element the photo came to and the file.
 * picker: selector of file inputs; pasteIn(el) / droppable(el): whether a paste or drop there counts.
 */
export function listenForPhotos({ root, dropZone = root, picker, pasteIn, droppable, attach }) {
  root.addEventListener("change", (e) => {
    if (!e.target.matches(picker)) return;
    attach(e.target, e.target.files[0]);
    e.target.value = "";
  });
  root.addEventListener("paste", (e) => {
    if (!pasteIn(e.target)) return;
    const file = fileOf(e.clipboardData);
    if (!file) return;
    e.preventDefault();
    attach(e.target, file);
  });
  dropZone.addEventListener("dragover", (e) => {
    if (!carriesFiles(e) || !droppable(e.target)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  });
  dropZone.addEventListener("drop", (e) => {
    if (!carriesFiles(e) || !droppable(e.target)) return;
    e.preventDefault();
    attach(e.target, fileOf(e.dataTransfer));
  });
}

export const STILL_UPLOADING = t("Wait a moment: the photo is still uploading.");

/**
 * Upload `file` as the photo waiting at `key` (a composer's group id, "note:<id>" for a note's
 * editor, "room:<code>" for the console's photo note). `store` keeps the waiting photos: get(key)
 * and put(key, photo or null), where a photo is {name, file, status: "uploading" | "ready" |
 * "error", progress (0 to 1), imageId, thumb, error}. Resolves to the last photo put, or null
 * when it was removed or replaced meanwhile.
 */
export async function attachPhoto(store, key, target, file) {
  const upload = { name: file.name || "", status: "uploading", progress: 0, file };
  store.put(key, upload);
  const answer = await uploadPhoto(target, file, (progress) => {
    if (store.get(key)?.file === file) store.put(key, { ...store.get(key), progress });
  });
  if (store.get(key)?.file !== file) return null;
  const done = answer.ok
    ? { ...upload, status: "ready", progress: 1, imageId: answer.photo.image_id, thumb: photoUrl(answer.photo.image_id, { thumb: true }) }
    : { ...upload, status: "error", error: answer.error };
  store.put(key, done);
  return done;
}

let slots = 0;

/**
 * The photo going on a note before it is there (a composer's next note, a note's editor, the
 * console's photo note): progress while it uploads, then its thumbnail and the description the
 * board asks for; a refusal says why. `ready`: what it says once the photo is up.
 */
export function photoSlot({ ready = t("Photo ready: it goes on your next note. Write its caption above.") } = {}) {
  const altId = `photo-alt-${++slots}`;
  const parts = {
    ready,
    img: h("img", { class: "composer-photo-img", alt: "", hidden: true }),
    progress: h("progress", { class: "composer-photo-progress", max: "100", value: "0", "aria-label": t("Upload progress") }),
    status: h("p", { class: "composer-photo-status", role: "status" }),
    alt: h("input", { class: "composer-alt", id: altId, maxlength: "300", autocomplete: "off",
      placeholder: t("e.g. A tram crossing the old market square") }),
    altWrap: null,
    remove: h("button", { type: "button", class: "btn btn-small composer-photo-remove", dataset: { action: "photo-remove" }, text: t("Remove photo") }),
  };
  parts.altWrap = h("div", { class: "composer-alt-wrap" },
    h("label", { for: altId, class: "composer-alt-label", text: t("Describe the photo for people who cannot see it") }), parts.alt);
  parts.el = h("div", { class: "composer-photo-slot", hidden: true },
    parts.img, h("div", { class: "composer-photo-body" }, parts.status, parts.progress, parts.altWrap, parts.remove));
  return parts;
}

export function renderPhotoSlot(p, photo) {
  p.el.hidden = !photo;
  if (!photo) {
    if (p.alt.value) p.alt.value = "";
    return;
  }
  const uploading = photo.status === "uploading";
  p.progress.hidden = !uploading;
  if (uploading) p.progress.value = Math.round((photo.progress || 0) * 100);
  const percent = `${Math.round((photo.progress || 0) * 100)}%`;
  const status = uploading
    ? (photo.name ? t("Uploading %(name)s… %(percent)s", { name: photo.name, percent }) : t("Uploading the photo… %(percent)s", { percent }))
    : photo.status === "error" ? photo.error : p.ready;
  setText(p.status, status);
  p.status.classList.toggle("error-message", photo.status === "error");
  p.img.hidden = photo.status !== "ready";
  if (photo.status === "ready" && p.img.getAttribute("src") !== photo.thumb) p.img.setAttribute("src", photo.thumb);
  p.altWrap.hidden = photo.status === "error";
  setText(p.remove, photo.status === "error" ? t("Dismiss") : t("Remove photo"));
}

/** The photo on a note: a thumbnail button that opens the full photo. Updated in place. */
export function updateNotePhoto(parts, note, before) {
  const id = note.image_id || null;
  if (!id) {
    if (parts.photo) { parts.photo.remove(); parts.photo = null; }
    return;
  }
  if (!parts.photo) {
    parts.photo = h("button", { type: "button", class: "note-photo", dataset: { action: "note-photo" }, title: t("Show the photo full size") },
      h("img", { class: "note-photo-img", loading: "lazy", decoding: "async" }),
      h("span", { class: "visually-hidden", text: " " + t("(show full size)") }));
    before.before(parts.photo);
  }
  const img = parts.photo.firstChild;
  const src = photoUrl(id, { thumb: true });
  if (img.getAttribute("src") !== src) img.setAttribute("src", src);
  img.alt = note.alt || t("Photo (no description)");
}

let viewer = null;

/** Show a note's photo full size, with its caption, over the page (Escape or Close ends it). */
export function openPhotoViewer(note, returnFocus) {
  if (!note || !note.image_id) return;
  if (!viewer) {
    const img = h("img", { class: "photo-viewer-img" });
    const caption = h("p", { class: "photo-viewer-caption" });
    const close = h("button", { type: "button", class: "icon-btn photo-viewer-close", "aria-label": t("Close the photo"), title: t("Close") }, icon("x"));
    const el = h("dialog", { class: "photo-viewer", "aria-label": t("Photo") }, close, h("figure", {}, img, h("figcaption", {}, caption)));
    close.addEventListener("click", () => el.close());
    el.addEventListener("click", (e) => { if (e.target === el) el.close(); });
    el.addEventListener("close", () => { if (viewer.returnFocus?.isConnected) viewer.returnFocus.focus(); });
    document.body.append(el);
    viewer = { el, img, caption };
  }
  viewer.returnFocus = returnFocus || document.activeElement;
  viewer.img.src = photoUrl(note.image_id);
  viewer.img.alt = note.alt || t("Photo (no description)");
  setText(viewer.caption, note.text || "");
  if (!viewer.el.open) viewer.el.showModal();
}

/**
 * The spotlight: one note large over a dimmed page, with its photo, text, author and city, and a
 * Close button (it fills the screen on a phone). render(spotlight, open): spotlight as the
 * server sends it ({note, room, group}) or null; open: false once this person closed it.
 */
export function createSpotlight({ onClose }) {
  const title = h("p", { class: "spotlight-title", id: "spotlight-title", text: t("The facilitator is showing") });
  const img = h("img", { class: "spotlight-img", hidden: true });
  const text = h("p", { class: "spotlight-text" });
  const author = h("span", { class: "spotlight-author" });
  const city = h("span", { class: "note-city spotlight-city" });
  const group = h("span", { class: "spotlight-group" });
  const close = h("button", { type: "button", class: "btn spotlight-close" }, icon("x"), h("span", { text: t("Close") }));
  const card = h("div", { class: "spotlight-card note-yellow" }, h("div", { class: "spotlight-head" }, title, close), img, text,
    h("p", { class: "spotlight-meta" }, author, " ", city, " ", group));
  const el = h("div", { class: "spotlight", role: "dialog", "aria-modal": "true", "aria-labelledby": "spotlight-title", hidden: true },
    h("div", { class: "spotlight-inner" }, card));
  close.addEventListener("click", () => onClose());
  el.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); onClose(); } });
  el.addEventListener("click", (e) => { if (e.target === el) onClose(); });
  document.body.append(el);
  let shown = null;
  let color = "yellow";

  return {
    el,
    render(spotlight, open) {
      const note = spotlight && spotlight.note;
      const visible = Boolean(note && open);
      if (!visible) {
        if (!el.hidden) {
          el.hidden = true;
          document.body.classList.remove("has-spotlight");
          if (shown?.returnFocus?.isConnected) shown.returnFocus.focus({ preventScroll: true });
        }
        shown = null;
        return;
      }
      card.classList.replace(`note-${color}`, `note-${note.color || "yellow"}`);
      color = note.color || "yellow";
      if (note.image_id) {
        const src = photoUrl(note.image_id);
        if (img.getAttribute("src") !== src) img.setAttribute("src", src);
        img.alt = note.alt || t("Photo (no description)");
      }
      img.hidden = !note.image_id;
      setText(text, note.text || "");
      setText(author, note.author || t("Facilitator"));
      setText(city, note.city || "");
      city.hidden = !note.city;
      // The group it comes from, unless it only repeats the city (a photo wall's groups).
      const from = spotlight.group && spotlight.group.name !== note.city ? spotlight.group.name : "";
      setText(group, from ? `· ${from}` : "");
      if (el.hidden) {
        shown = { returnFocus: document.activeElement };
        el.hidden = false;
        document.body.classList.add("has-spotlight");
        close.focus({ preventScroll: true });
      }
    },
  };
}

/**
 * In a note's editor: "Add a photo" (or "Replace the photo"), with the upload's progress and
 * description; for a note with a photo, its description and a way to take it off the note.
 * The editor's waiting photo is rendered by renderEditorPhoto.
 */
export function photoEditor(note) {
  const has = Boolean(note.image_id);
  const slot = photoSlot({ ready: t("Photo ready: it goes on this note when you save.") });
  const pick = h("button", { type: "button", class: "btn btn-small note-photo-pick", dataset: { action: "note-photo-pick" } },
    icon("image"), h("span", { text: has ? t("Replace the photo") : t("Add a photo") }));
  const file = h("input", { type: "file", accept: "image/*", class: "note-photo-file", hidden: true, tabindex: "-1", "aria-hidden": "true" });
  let current = null;
  if (has) {
    const input = h("input", { class: "note-alt-input", maxlength: "300", autocomplete: "off" });
    input.value = note.alt || "";
    const remove = h("input", { type: "checkbox", class: "note-photo-remove" });
    current = h("div", { class: "note-photo-current" },
      h("label", { class: "note-alt-label" }, h("span", { text: t("Photo description") }), input),
      h("label", { class: "tag-choice" }, remove, h("span", { text: t("Take the photo off this note") })));
  }
  const el = h("div", { class: "note-photo-edit" }, current, h("div", { class: "note-photo-pick-row" }, pick, file), slot.el);
  editorSlots.set(el, { slot, current, pick });
  return el;
}
const editorSlots = new WeakMap();

/** Show the photo waiting in a note's editor (or none): it replaces the note's photo on Save. */
export function renderEditorPhoto(editor, waiting) {
  const el = editor.querySelector(".note-photo-edit");
  const parts = el && editorSlots.get(el);
  if (!parts) return;
  renderPhotoSlot(parts.slot, waiting);
  if (parts.current) parts.current.hidden = Boolean(waiting && waiting.status !== "error");
  parts.pick.hidden = Boolean(waiting && waiting.status !== "error");
}

/**
 * What the editor changes about the note's photo: {}, {image_id: null}, {alt}, or a new photo
 * {image_id, alt} (`waiting`, uploaded from the editor). null while that photo still uploads.
 */
export function photoChange(form, note, waiting = null) {
  if (waiting && waiting.status === "uploading") return null;
  if (waiting && waiting.status === "ready") {
    return { image_id: waiting.imageId, alt: form.querySelector(".composer-alt")?.value.trim() || "" };
  }
  if (!note.image_id) return {};
  if (form.querySelector(".note-photo-remove")?.checked) return { image_id: null };
  const alt = form.querySelector(".note-alt-input")?.value.trim() ?? (note.alt || "");
  return alt !== (note.alt || "") ? { alt } : {};
}
