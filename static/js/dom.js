// Tiny DOM helpers. User text only ever goes in through textContent, value or text nodes.

/** h(tag, {class, text (textContent), dataset, boolean or other attributes}, ...children) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

/** Set text only when it changed (keeps selections and avoids needless layout). */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export function toggle(el, className, on) {
  if (el.classList.contains(className) !== Boolean(on)) el.classList.toggle(className, Boolean(on));
}

// Inline SVG icons (24×24, stroked with currentColor).
const ICONS = {
  plus: "M12 5v14M5 12h14",
  move: "M5 9l-3 3 3 3M9 5l3-3 3 3M15 19l-3 3-3-3M19 9l3 3-3 3M2 12h20M12 2v20",
  edit: "M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4",
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  up: "M12 19V5M6 11l6-6 6 6",
  down: "M12 5v14M6 13l6 6 6-6",
  right: "M5 12h14M13 6l6 6-6 6",
  check: "M5 12l5 5L20 7",
  dot: "M12 6.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11z",
  download: "M12 4v11M7 10l5 5 5-5M5 20h14",
  clock: "M12 8v5l3 2M12 21a8 8 0 1 0 0-16a8 8 0 1 0 0 16zM9 2h6",
  lock: "M6 11h12v10H6zM8 11V8a4 4 0 0 1 8 0v3",
  eyeoff: "M3 3l18 18M10.6 6.1A9.8 9.8 0 0 1 12 6c5 0 9 6 9 6a15 15 0 0 1-2.4 3M6.6 6.6C4.3 8.1 3 12 3 12s4 6 9 6a8.7 8.7 0 0 0 4.4-1.2M9.9 9.9a3 3 0 0 0 4.2 4.2",
  megaphone: "M4 10v4h3l6 4V6L7 10zM16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12",
  x: "M6 6l12 12M18 6L6 18",
  image: "M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15.5 9.5h.01",
  spotlight: "M12 2v3M4.9 4.9l2.1 2.1M2 12h3M19 12h3M17 7l2.1-2.1M12 8a5 5 0 0 0-3 9v3h6v-3a5 5 0 0 0-3-9z",
};
const SVG = "http://www.w3.org/2000/svg";

/** An inline SVG icon from `ICONS` (or another table of 24×24 path data). */
export function icon(name, paths = ICONS) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon icon-${name}`);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", paths[name]);
  svg.append(path);
  return svg;
}

/** Replace each <i data-icon="name"> placeholder in `root` with its icon. */
export function fillIcons(root) {
  root.querySelectorAll("i[data-icon]").forEach((i) => i.replaceWith(icon(i.dataset.icon)));
}

// People as avatars: initials and a stable tint per person.
const AVATAR_TINTS = 6;
export function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  // The first letter or digit of each word: "Jean <b>Dupont</b>" gives "JD", not "J<".
  const first = (w) => Array.from(w).find((ch) => /[\p{L}\p{N}]/u.test(ch)) || "";
  return letters.map(first).join("").toUpperCase() || "?";
}

export function tint(id) {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % AVATAR_TINTS;
}

/** Focus an element without scrolling the page under the user's finger, if it still exists. */
export function focusEl(el) {
  if (el && el.isConnected) el.focus({ preventScroll: false });
}
