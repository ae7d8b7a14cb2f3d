// The breakout panel: who waits in the lobby and who is in each room, as the server places them
// (never guessed from who is connected where). Names can be dragged onto a
// room (here or on the room's board), or moved with their "Move to room…" menu.

import { h, icon, setText } from "./dom.js";
import { LOBBY, onlineIds, peopleHere, peopleIn } from "./console-state.js";
import { menuOpenIn, openMenu } from "./menu.js";
import { t } from "./i18n.js";

const PERSON_TYPE = "application/x-breakout-participant";

function personItem(p, online) {
  const move = h("button", { type: "button", class: "icon-btn person-move", dataset: { action: "person-move" }, "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": t("Move %(name)s to a room", { name: p.name }), title: t("Move to room…") }, icon("right"));
  return h("li", { class: `person${online ? "" : " away"}`, draggable: "true", dataset: { participantId: p.id } },
    h("span", { class: "person-label" },
      h("span", { class: "person-name", text: p.name }),
      h("span", { class: "person-city", text: p.city }),
      online ? null : h("span", { class: "person-away", text: t("away") })),
    h("span", { class: "menu-anchor" }, move));
}

function countText(people, online) {
  const here = people.filter((p) => online.has(p.id)).length;
  const away = people.length - here;
  return away ? " " + t("(%(here)s + %(away)s away)", { here, away }) : ` (${here})`;
}

function placeSection(place, title, people, online, emptyText) {
  const headId = `place-${place || "lobby"}`;
  return h("section", { class: `place${place === LOBBY ? " place-lobby" : ""}`, "aria-labelledby": headId, dataset: { dropRoom: place } },
    h("h3", { class: "place-title", id: headId }, h("span", { text: title }), h("span", { class: "count", text: countText(people, online) })),
    people.length
      ? h("ul", { class: "people-list" }, people.map((p) => personItem(p, online.has(p.id))))
      : h("p", { class: "place-empty", text: emptyText }));
}

export function renderPeople(dom, s) {
  const online = onlineIds(s);
  // People connected now come first; those who left (closed their page) follow, greyed.
  const inPlace = (place) => {
    const all = peopleIn(s, place);
    return all.filter((p) => online.has(p.id)).concat(all.filter((p) => !online.has(p.id)));
  };
  const lobby = inPlace(LOBBY);
  const everyone = Object.keys(s.people).length;
  setText(dom.peopleCount, `(${everyone})`);
  const waiting = peopleHere(s, LOBBY).length;
  setText(dom.summary, s.joined ? t("%(online)s online · %(waiting)s in the lobby", { online: online.size, waiting }) : "");
  const places = [placeSection(LOBBY, t("Lobby"), lobby, online, t("Nobody is waiting."))]
    .concat(s.order.map((code) => placeSection(code, s.rooms[code].room.name, inPlace(code), online, t("Nobody yet. Drop a name here."))));
  // Rebuild only when something shown changed, so focus and an open menu survive other updates.
  const key = JSON.stringify([lobby.map((p) => [p.id, p.name, p.city, online.has(p.id)]),
    s.order.map((c) => [c, s.rooms[c].room.name, inPlace(c).map((p) => [p.id, p.name, p.city, online.has(p.id)])])]);
  // While a person's "Move to room…" menu is open, the list waits (a rebuild would take the menu
  // away under the facilitator's hand); it redraws when the menu closes.
  if (dom.places.dataset.key !== key && !menuOpenIn(dom.places)) {
    const active = document.activeElement;
    const focusId = active && dom.places.contains(active) ? active.closest("[data-participant-id]")?.dataset.participantId : null;
    dom.places.dataset.key = key;
    dom.places.replaceChildren(...places);
    if (focusId) dom.places.querySelector(`[data-participant-id="${CSS.escape(focusId)}"] .person-move`)?.focus();
  }
  for (const button of dom.distribute) button.disabled = !s.joined || Boolean(s.busy.people);
  dom.recallConfirm.hidden = !s.ui.confirmRecall;
}

/** "Move to room…" for one person: every open room, and the lobby. */
export function openPersonMenu(button, s, assign) {
  const id = button.closest("[data-participant-id]").dataset.participantId;
  const person = s.people[id];
  if (!person) return;
  const items = s.order.filter((code) => code !== person.room).map((code) => ({
    label: s.rooms[code].room.name, icon: "right", dataset: { targetRoom: code }, onPick: () => assign(id, code),
  }));
  if (person.room) items.push({ label: t("Back to the lobby"), icon: "up", dataset: { targetRoom: "" }, onPick: () => assign(id, null) });
  openMenu(button, { label: t("Move %(name)s to…", { name: person.name }), items });
}

/** Drag names (from the panel or a room's "here" list) onto a room or the lobby. */
export function enablePersonDrag(root, assign) {
  let marked = null;
  const unmark = () => { if (marked) marked.classList.remove("person-drop"); marked = null; };
  const isPerson = (event) => Array.from(event.dataTransfer?.types || []).includes(PERSON_TYPE);

  root.addEventListener("dragstart", (event) => {
    const chip = event.target.closest && event.target.closest("[data-participant-id]");
    if (!chip || event.target.closest(".note")) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData(PERSON_TYPE, chip.dataset.participantId);
    event.dataTransfer.setData("text/plain", chip.textContent.trim());
  });
  root.addEventListener("dragover", (event) => {
    if (!isPerson(event)) return;
    const place = event.target.closest && event.target.closest("[data-drop-room]");
    if (!place) { unmark(); return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (marked !== place) { unmark(); marked = place; place.classList.add("person-drop"); }
  });
  root.addEventListener("dragleave", (event) => {
    if (!event.relatedTarget || !root.contains(event.relatedTarget)) unmark();
  });
  root.addEventListener("drop", (event) => {
    if (!isPerson(event)) return;
    const place = event.target.closest && event.target.closest("[data-drop-room]");
    unmark();
    if (!place) return;
    event.preventDefault();
    const id = event.dataTransfer.getData(PERSON_TYPE);
    // A refusal shows where the name was dropped: on the room's card, or in the panel.
    const where = place.classList.contains("croom") ? `room:${place.dataset.dropRoom}` : "people";
    if (id) assign(id, place.dataset.dropRoom || null, where);
  });
  root.addEventListener("dragend", unmark);
}
