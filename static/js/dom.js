// Tiny DOM helpers. User text only ever goes in through textContent, value or text nodes.

/**
 * h("button", {class: "x", type: "button", "aria-label": "Close"}, child, "text")
 * Attributes: `class`, `text` (textContent), `dataset` (object), booleans (true = present),
 * anything else via setAttribute. Children: nodes or strings (strings become text nodes).
 */
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
};
const SVG = "http://www.w3.org/2000/svg";

export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon icon-${name}`);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

/** Focus an element without scrolling the page under the user's finger, if it still exists. */
export function focusEl(el) {
  if (el && el.isConnected) el.focus({ preventScroll: false });
}
