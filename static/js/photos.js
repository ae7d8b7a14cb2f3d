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
  const card = h("div", { class: "spotlight-card note-yellow" }, title, img, text,
    h("p", { class: "spotlight-meta" }, author, " ", city, " ", group));
  const el = h("div", { class: "spotlight", role: "dialog", "aria-modal": "true", "aria-labelledby": "spotlight-title", hidden: true },
    h("div", { class: "spotlight-inner" }, close, card));
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

/** In a note's editor: its photo's description, and a way to take the photo off the note. */
export function photoEditor(note) {
  if (!note.image_id) return null;
  const input = h("input", { class: "note-alt-input", maxlength: "300", autocomplete: "off" });
  input.value = note.alt || "";
  const remove = h("input", { type: "checkbox", class: "note-photo-remove" });
  return h("div", { class: "note-photo-edit" },
    h("label", { class: "note-alt-label" }, h("span", { text: t("Photo description") }), input),
    h("label", { class: "tag-choice" }, remove, h("span", { text: t("Take the photo off this note") })));
}

/** What the editor changes about the note's photo: {} , {image_id: null} or {alt}. */
export function photoChange(form, note) {
  if (!note.image_id) return {};
  if (form.querySelector(".note-photo-remove")?.checked) return { image_id: null };
  const alt = form.querySelector(".note-alt-input")?.value.trim() ?? (note.alt || "");
  return alt !== (note.alt || "") ? { alt } : {};
}
