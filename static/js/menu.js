// A small popup menu: one open at a time, arrow keys move, Escape closes and gives focus back.

import { h, icon } from "./dom.js";

let current = null; // { menu, button, onClose }

export function closeMenu({ restoreFocus = false } = {}) {
  if (!current) return;
  const { menu, button } = current;
  current = null;
  menu.remove();
  button.setAttribute("aria-expanded", "false");
  if (restoreFocus && button.isConnected) button.focus();
  // Views that held back a redraw while the menu was open (it would have thrown the menu away)
  // redraw now.
  document.dispatchEvent(new Event("menuclose"));
}

/** Whether the open menu belongs to a button inside `container`. */
export function menuOpenIn(container) {
  return Boolean(current && container.contains(current.button));
}

export function isMenuOpen() {
  return Boolean(current);
}

/** items: [{label, icon?, dataset?, className?, onPick}]. Lives in the button's `.menu-anchor`. */
export function openMenu(button, { label, items }) {
  const wasOpen = current && current.button === button;
  closeMenu();
  if (wasOpen) return; // a second click on the same button closes it
  const buttons = items.map((item) => {
    const b = h("button", { type: "button", role: "menuitem", tabindex: "-1", class: `menu-item ${item.className || ""}`, dataset: item.dataset || {} },
      item.icon ? icon(item.icon) : null, h("span", { text: item.label }));
    b.addEventListener("click", (event) => {
      event.stopPropagation();
      // The focus goes back to the menu's button (the picked item disappears with the menu);
      // onPick may then move it on, e.g. to a form it opens.
      closeMenu({ restoreFocus: true });
      item.onPick();
    });
    return b;
  });
  const menu = h("div", { class: "menu", role: "menu", "aria-label": label },
    h("p", { class: "menu-label", "aria-hidden": "true", text: label }), buttons);
  menu.addEventListener("keydown", (event) => {
    const i = buttons.indexOf(document.activeElement);
    const go = (j) => { event.preventDefault(); focusItem(buttons[(j + buttons.length) % buttons.length]); };
    if (event.key === "ArrowDown") go(i + 1);
    else if (event.key === "ArrowUp") go(i - 1);
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(buttons.length - 1);
    else if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); closeMenu({ restoreFocus: true }); }
    else if (event.key === "Tab") closeMenu({ restoreFocus: false });
  });
  const anchor = button.closest(".menu-anchor") || button.parentElement;
  anchor.append(menu);
  place(menu, button);
  button.setAttribute("aria-expanded", "true");
  current = { menu, button };
  if (buttons[0]) focusItem(buttons[0]);
}

/** Focus a menu item. The menu is fixed beside its button, so focusing must not scroll the
 * column it was appended to (that scroll would move the menu or close it, see below): only
 * the menu itself scrolls, when it is taller than its room. */
function focusItem(item) {
  item.focus({ preventScroll: true });
  const menu = item.parentElement; // positioned (fixed): the items' offsetParent
  const first = !item.previousElementSibling?.matches(".menu-item"); // its label above it too
  if (item.offsetTop < menu.scrollTop) menu.scrollTop = first ? 0 : item.offsetTop;
  else if (item.offsetTop + item.offsetHeight > menu.scrollTop + menu.clientHeight) {
    menu.scrollTop = item.offsetTop + item.offsetHeight - menu.clientHeight;
  }
}

/** Fixed next to the button, so scrolling columns never clip it. */
function place(menu, button) {
  const r = button.getBoundingClientRect();
  const w = menu.offsetWidth;
  const hgt = menu.offsetHeight;
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const below = vh - r.bottom;
  const top = below >= hgt + 8 || below >= r.top ? r.bottom + 4 : Math.max(8, r.top - hgt - 4);
  const left = Math.min(Math.max(8, r.right - w), vw - w - 8);
  menu.style.top = `${Math.round(Math.max(8, Math.min(top, vh - hgt - 8)))}px`;
  menu.style.left = `${Math.round(Math.max(8, left))}px`;
}

// Clicks elsewhere and resizing close the menu. A scroll moves it with its button, and closes it
// once the button is out of sight. A scroll is not always the user's: the browser keeps what
// is on screen in place when something above changes height (a message that goes away, a room
// that grows), and a menu must not vanish under the facilitator's hand for that.
window.addEventListener("resize", () => closeMenu());
document.addEventListener("scroll", (event) => {
  if (!current || current.menu.contains(event.target)) return;
  const r = current.button.getBoundingClientRect();
  const seen = current.button.isConnected && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
  if (seen) place(current.menu, current.button);
  else closeMenu();
}, true);
document.addEventListener("pointerdown", (event) => {
  if (current && !current.menu.contains(event.target) && !current.button.contains(event.target)) closeMenu();
});
