// The console's DOM from its state: header, room grid, people panel, links. Elements are keyed by
// room, group and note id and updated in place.

import { ROOT } from "./connection.js";
import { h, setText } from "./dom.js";
import { createRoomView } from "./console-room.js";
import { renderPeople } from "./console-people.js";
import { t } from "./i18n.js";

const STATUS_TEXT = {
  connecting: t("Connecting…"), connected: t("Connected"), reconnecting: t("Reconnecting…"),
  offline: t("Offline: changes you make now will not be sent"),
};
const EXPORTS = [["csv", "CSV"], ["md", "Markdown"], ["html", t("Printable")], ["json", "JSON"]];

export function createRenderer(dom) {
  const noteItems = new Map();
  const roomView = createRoomView(noteItems);

  function linkItem(code, room, roomUrl) {
    const url = roomUrl(code);
    const inputId = `room-link-${code}`;
    return h("li", { class: "room-link", dataset: { roomCode: code } },
      h("span", { class: "room-link-name", text: room.name }),
      h("span", { class: "room-link-theme", text: room.theme }),
      h("div", { class: "copy-row" },
        h("label", { class: "visually-hidden", for: inputId, text: t("Join link for %(room)s", { room: room.name }) }),
        h("input", { id: inputId, class: "link-field", value: url, readonly: true }),
        h("button", { type: "button", class: "btn btn-small", dataset: { action: "copy", copyTarget: inputId }, text: t("Copy") }),
        h("a", { class: "btn btn-small", href: url, target: "_blank", rel: "noopener" }, t("Open"), h("span", { class: "visually-hidden", text: ` ${room.name}` }))),
      h("p", { class: "flash-ok", role: "status", dataset: { flash: `copy:${inputId}` } }),
      h("p", { class: "exports" }, t("Download:") + " ", EXPORTS.flatMap(([ext, name]) => [
        h("a", { href: `${ROOT}/r/${encodeURIComponent(code)}/export.${ext}`, ...(ext === "html" ? { target: "_blank", rel: "noopener" } : {}) },
          name, h("span", { class: "visually-hidden", text: " " + t("of %(room)s", { room: room.name }) })), " "])));
  }

  function closedItem(room) {
    return h("li", { class: "room-link room-closed", dataset: { roomCode: room.code } },
      h("span", { class: "room-link-name", text: room.name }),
      h("span", { class: "room-link-theme", text: t("%(theme)s · closed", { theme: room.theme }) }),
      h("p", { class: "exports" }, t("Download:") + " ", EXPORTS.flatMap(([ext, name]) => [
        h("a", { href: `${ROOT}/r/${encodeURIComponent(room.code)}/export.${ext}` }, name, h("span", { class: "visually-hidden", text: " " + t("of %(room)s", { room: room.name }) })), " "])));
  }

  function renderLinks(s) {
    const key = JSON.stringify([s.order.map((c) => [c, s.rooms[c].room.name, s.rooms[c].room.theme]), s.closed.length]);
    if (dom.roomLinks.dataset.key === key) return;
    dom.roomLinks.dataset.key = key;
    // Keep the element that has focus (a Copy button) when only another room changed.
    const old = new Map(Array.from(dom.roomLinks.children).map((li) => [li.dataset.roomCode, li]));
    const items = s.order.map((code) => {
      const li = old.get(code);
      const { room } = s.rooms[code];
      if (li && li.dataset.name === room.name + "\n" + room.theme && li.querySelector("button")) return li;
      const made = linkItem(code, room, dom.roomUrl);
      made.dataset.name = room.name + "\n" + room.theme;
      return made;
    });
    dom.roomLinks.replaceChildren(...items, ...s.closed.map(closedItem));
  }

  function renderPlaces(s) {
    for (const el of dom.errorSlots()) {
      const message = s.errors[el.dataset.error] || "";
      setText(el, message);
      el.hidden = !message;
    }
    for (const el of dom.flashSlots()) setText(el, s.done[el.dataset.flash] || "");
  }

  function render(s, now) {
    setText(dom.status, STATUS_TEXT[s.connection] || s.connection);
    dom.status.dataset.status = s.connection;
    dom.root.dataset.connection = s.connection;
    if (s.workshop && s.workshop.title) setText(dom.title, s.workshop.title);
    renderPlaces(s);
    dom.addRoomForm.hidden = !s.ui.addRoom;
    for (const b of dom.addRoomToggles) b.setAttribute("aria-expanded", String(Boolean(s.ui.addRoom)));
    for (const b of dom.allButtons) b.disabled = !s.joined || Boolean(s.busy.all);
    renderCreated(s);
    if (!s.joined) return;

    const els = s.order.map((code) => roomView.renderRoom(code, s, now));
    if (dom.grid.dataset.state !== "ready") dom.grid.replaceChildren();
    // Room cards keep their place; only new ones are added, closed ones removed.
    for (const [i, el] of els.entries()) if (dom.grid.children[i] !== el) dom.grid.insertBefore(el, dom.grid.children[i] || null);
    roomView.prune(s.order);
    dom.grid.dataset.state = "ready";
    dom.grid.dataset.rooms = String(s.order.length);
    const live = new Set();
    for (const code of s.order) for (const n of s.rooms[code].notes) live.add(n.id);
    for (const [id, item] of noteItems) if (!live.has(id)) { item.el.remove(); noteItems.delete(id); }
    renderPeople(dom, s);
    renderLinks(s);
    dom.root.dataset.state = "ready";
  }

  function renderCreated(s) {
    const c = s.ui.created;
    const key = c ? c.code : "";
    if (dom.created.dataset.key === key) return;
    dom.created.dataset.key = key;
    if (!c) { dom.created.replaceChildren(); return; }
    const url = dom.roomUrl(c.code);
    dom.created.replaceChildren(h("div", { class: "created-card" },
      h("p", { class: "created-text" }, h("strong", { text: t("“%(room)s” is open.", { room: c.name }) }), " " + t("Its own link:")),
      h("div", { class: "copy-row" },
        h("label", { class: "visually-hidden", for: "created-link", text: t("Join link for %(room)s", { room: c.name }) }),
        h("input", { id: "created-link", class: "link-field", value: url, readonly: true }),
        h("button", { type: "button", class: "btn btn-small", dataset: { action: "copy", copyTarget: "created-link" }, text: t("Copy") }),
        h("button", { type: "button", class: "btn btn-small", dataset: { action: "created-dismiss" }, text: t("Dismiss") })),
      h("p", { class: "flash-ok", role: "status", dataset: { flash: "copy:created-link" } })));
  }

  function tick(s, now) {
    for (const code of s.order) roomView.tick(code, s, now);
  }

  return { render, tick, noteEl: (id) => noteItems.get(id)?.el || null, roomEl: roomView.el };
}
