// One room of the console as a compact live board: its name, state badges, who is there, its
// controls, and its groups and notes. Built once per room code, then updated in place.

import { groupNotes, inReadingOrder, mapLayout, quadrantAt, sortedGroups } from "./board-state.js";
import { h, icon, setText, toggle } from "./dom.js";
import { arrange, createGroup, renderGroup } from "./group-view.js";
import { peopleHere } from "./console-state.js";
import { photoNoteForm, renderPhotoNoteForm } from "./console-photos.js";
import { timerPhase, timerText } from "./timer-clock.js";
import { t, tn } from "./i18n.js";

const PATHS = {
  lock: "M7 11V8a5 5 0 0 1 10 0v3M5 11h14v10H5z",
  hide: "M3 3l18 18M10.6 5.1A10 10 0 0 1 12 5c6.5 0 10 7 10 7a17 17 0 0 1-3.3 4.3M6.6 6.6A17 17 0 0 0 2 12s3.5 7 10 7a10 10 0 0 0 5.4-1.6",
  clock: "M12 7v5l3 2M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
  vote: "M9 12l2 2 4-4M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
};

export function cicon(name) {
  return PATHS[name] ? icon(name, PATHS) : icon(name);
}

const tool = () => h("button", { type: "button", class: "btn btn-small tool", dataset: { action: "" } });
/** Point a tool button at its current action (Lock or Unlock...), rebuilding it only on change. */
function setTool(button, action, iconName, text, on, menu = false) {
  toggle(button, "on", on);
  if (button.dataset.action === action && button.textContent === text) return;
  button.dataset.action = action;
  button.title = text;
  button.replaceChildren(cicon(iconName), h("span", { class: "tool-label", text }));
  if (menu) button.setAttribute("aria-haspopup", "menu");
  else { button.removeAttribute("aria-haspopup"); button.removeAttribute("aria-expanded"); }
}
const showError = (el, message) => { setText(el, message || ""); el.hidden = !message; };

function createRoom(code) {
  const nameId = `room-${code}-name`;
  const p = {
    name: h("h3", { class: "croom-name", id: nameId }),
    theme: h("p", { class: "croom-theme" }),
    badges: h("ul", { class: "badges", "aria-label": t("Room state") }),
    locked: h("li", { class: "badge badge-locked" }, cicon("lock"), t("Locked")),
    hidden: h("li", { class: "badge badge-hidden" }, cicon("hide"), t("Notes hidden")),
    voting: h("li", { class: "badge badge-voting" }, cicon("vote"), h("span")),
    timer: h("li", { class: "badge badge-timer" }, cicon("clock"), h("span", { class: "timer-text" })),
    here: h("span", { class: "croom-here" }),
    count: h("span", { class: "croom-count" }),
    people: h("ul", { class: "croom-people" }),
    lock: tool(),
    hide: tool(),
    vote: tool(),
    time: tool(),
    more: h("button", { type: "button", class: "icon-btn tool-more", dataset: { action: "room-more" }, "aria-haspopup": "menu", "aria-expanded": "false" }, icon("more")),
    formSlot: h("div", { class: "croom-form-slot" }),
    form: null, formKind: null,
    error: h("p", { class: "error-message", role: "alert", hidden: true }),
    ok: h("p", { class: "flash-ok", role: "status" }),
    groups: h("div", { class: "cgroups" }),
    groupItems: new Map(),
  };
  p.badges.append(p.locked, p.hidden, p.voting, p.timer);
  const el = h("article", { class: "croom", "aria-labelledby": nameId, dataset: { roomCode: code, dropRoom: code } },
    h("header", { class: "croom-head" }, h("div", { class: "croom-titles" }, p.name, p.theme), p.badges),
    h("div", { class: "croom-stats" }, p.count, h("span", { "aria-hidden": "true", text: " · " }), p.here, p.people),
    h("div", { class: "croom-tools", role: "group" }, p.lock, p.hide,
      h("span", { class: "menu-anchor" }, p.vote), h("span", { class: "menu-anchor" }, p.time),
      h("span", { class: "menu-anchor" }, p.more)),
    p.formSlot, p.error, p.ok,
    h("div", { class: "croom-board" }, p.groups));
  return { el, parts: p };
}

function label(text, input) {
  return h("label", { class: "field" }, h("span", { class: "field-label-small", text }), input);
}

function roomForm(kind, room) {
  const buttons = (submit, danger) => h("div", { class: "row-buttons" },
    h("button", { type: "submit", class: `btn btn-small ${danger ? "btn-danger" : "btn-primary"}`, text: submit }),
    h("button", { type: "button", class: "btn btn-small", dataset: { action: "room-form-cancel" }, text: t("Cancel") }));
  const form = (...children) => h("form", { class: "croom-form", dataset: { form: `room-${kind}` } }, ...children);
  if (kind === "rename") {
    const name = h("input", { name: "name", maxlength: "80", required: true, autocomplete: "off" });
    const theme = h("input", { name: "theme", maxlength: "80", required: true, autocomplete: "off" });
    name.value = room.name || "";
    theme.value = room.theme || "";
    return form(label(t("Room name"), name), label(t("Theme"), theme), buttons(t("Rename")));
  }
  if (kind === "timer" || kind === "votes") {
    const input = h("input", { name: "value", type: "number", class: "num-input", min: "1", max: kind === "timer" ? "360" : "50", step: "1", required: true, inputmode: "numeric" });
    input.value = kind === "timer" ? "20" : "3";
    // Dot voting: may a person put several of their dots on one note (as scrumlr and Parabol allow)?
    const several = kind === "votes" ? h("label", { class: "check-field" },
      h("input", { type: "checkbox", name: "several" }), h("span", { text: t("Let a person put several dots on one note") })) : null;
    return form(h("div", { class: "form-inline" },
      label(kind === "timer" ? t("Minutes") : t("Votes per person"), input), several,
      buttons(kind === "timer" ? t("Start timer") : t("Open voting"))));
  }
  if (kind === "end-voting") {
    return form(h("p", { class: "confirm-text", text: t("End voting in “%(room)s”? The totals stay on the notes; nobody can vote until you open a new round.", { room: room.name }) }),
      buttons(t("End voting"), true));
  }
  if (kind === "add-group") {
    const input = h("input", { name: "name", maxlength: "80", required: true, autocomplete: "off", placeholder: t("New group name") });
    return form(label(t("Name of the new group"), input), buttons(t("Add group")));
  }
  return form(h("p", { class: "confirm-text", text: t("Close “%(room)s”? Its board is kept for the outputs; the people in it go back to the lobby.", { room: room.name }) }),
    buttons(t("Close room"), true));
}

const NOTES_SHOWN = 6; // per group on a room card, then "N more"

function personChip(p) {
  return h("li", { class: "person-chip", draggable: "true", dataset: { participantId: p.id }, title: t("Drag %(name)s onto another room", { name: p.name }) },
    h("span", { class: "person-name", text: p.name }), " ", h("span", { class: "person-city", text: `(${p.city})` }));
}

export function createRoomView(noteItems) {
  const rooms = new Map();

  function renderConsoleGroup(item, group, notes, board, s, groups, quadrant) {
    const showVotes = Boolean(board.room.voting) || notes.some((n) => n.votes);
    renderGroup(item, group, {
      notes, groups, console: true, noteItems, quadrant,
      limit: NOTES_SHOWN, expanded: Boolean(s.ui.openGroups && s.ui.openGroups[group.id]),
      renaming: s.ui.renaming === group.id,
      confirming: s.ui.confirmGroupDelete === group.id,
      error: s.errors[`group:${group.id}`],
      noteOptions: (note) => ({
        mine: true, // the facilitator may change any note
        pending: Boolean(s.busy[`note:${note.id}`]),
        photo: s.ui.photos?.[`note:${note.id}`] || null,
        editing: s.ui.editing === note.id,
        confirming: s.ui.confirmDelete === note.id,
        error: s.errors[`note:${note.id}`],
        showVotes, cities: s.cities,
      }),
    });
  }

  function renderRoom(code, s, now) {
    let item = rooms.get(code);
    if (!item) { item = createRoom(code); rooms.set(code, item); }
    const { parts: p } = item;
    const board = s.rooms[code];
    const { room } = board;
    const here = peopleHere(s, code);
    setText(p.name, room.name);
    setText(p.theme, room.theme);
    p.locked.hidden = !room.locked;
    p.hidden.hidden = !room.hidden;
    p.voting.hidden = !room.voting;
    if (room.voting) setText(p.voting.lastChild, room.voting.several_per_note
      ? t("Voting · %(votes)s each · several per note", { votes: room.voting.votes_per_participant })
      : t("Voting · %(votes)s each", { votes: room.voting.votes_per_participant }));
    tick(code, s, now);
    setText(p.here, here.length ? t("%(count)s here:", { count: here.length }) + " " : t("nobody here yet"));
    setText(p.count, tn("%(num)s note", "%(num)s notes", board.notes.length));
    p.people.setAttribute("aria-label", t("People in %(room)s", { room: room.name }));
    const key = JSON.stringify(here.map((x) => [x.id, x.name, x.city]));
    if (p.people.dataset.key !== key) {
      p.people.dataset.key = key;
      p.people.replaceChildren(...here.map(personChip));
    }
    p.people.hidden = !here.length;
    const busy = s.busy[`room:${code}`];
    setTool(p.lock, room.locked ? "room-unlock" : "room-lock", "lock", room.locked ? t("Unlock") : t("Lock"), room.locked);
    setTool(p.hide, room.hidden ? "room-reveal" : "room-hide", "hide", room.hidden ? t("Reveal notes") : t("Hide notes"), room.hidden);
    setTool(p.vote, room.voting ? "room-voting-close" : "room-voting", "vote", room.voting ? t("End voting…") : t("Voting…"), Boolean(room.voting));
    // Busy while the room's op is on its way: aria-disabled, not disabled, since disabling the
    // button just pressed would throw its keyboard focus out to the page.
    for (const b of [p.lock, p.hide, p.vote, p.time]) {
      if (busy) b.setAttribute("aria-disabled", "true");
      else b.removeAttribute("aria-disabled");
    }
    p.more.setAttribute("aria-label", t("More for %(room)s: rename, add a group or a photo note, link, close", { room: room.name }));
    p.more.title = t("More");
    toggle(item.el, "is-locked", room.locked);
    toggle(item.el, "is-busy", Boolean(busy));

    const kind = s.ui.roomForm[code] || null;
    if (kind !== p.formKind) {
      p.formKind = kind;
      p.form = kind === "photo" ? photoNoteForm(board) : kind ? roomForm(kind, room) : null;
      p.formSlot.replaceChildren(...(p.form ? [p.form] : []));
      const first = p.form && p.form.querySelector("input, button");
      if (first) first.focus();
    }
    if (kind === "photo") renderPhotoNoteForm(p.form, s.ui.photos?.[`room:${code}`] || null);
    showError(p.error, s.errors[`room:${code}`]);
    setText(p.ok, s.done[`room:${code}`] || "");

    const groups = sortedGroups(board);
    const layout = mapLayout(room, groups.length);
    toggle(p.groups, "cgroups-matrix", Boolean(layout));
    // A map room's groups in reading order: the 2×2 grid as drawn on the room page.
    const els = inReadingOrder(layout, groups).map((group) => {
      let g = p.groupItems.get(group.id);
      if (!g) { g = createGroup(group, { look: "console", roomCode: code }); p.groupItems.set(group.id, g); }
      renderConsoleGroup(g, group, groupNotes(board.notes, group.id), board, s, groups,
        quadrantAt(layout, groups.indexOf(group)));
      return g.el;
    });
    arrange(p.groups, els);
    for (const id of p.groupItems.keys()) if (!groups.some((g) => g.id === id)) p.groupItems.delete(id);
    return item.el;
  }

  function tick(code, s, now) {
    const item = rooms.get(code);
    const board = s.rooms[code];
    if (!item || !board) return;
    const { timer } = board.room;
    const phase = timerPhase(timer, now);
    // "Time's up" clears itself after a minute, as on the board; then the tool offers a new timer.
    item.parts.timer.hidden = phase === "over";
    const ticking = phase !== "over";
    setTool(item.parts.time, ticking ? "room-timer-stop" : "room-timer", "clock", ticking ? t("Stop timer") : t("Timer…"), ticking, !ticking);
    if (!timer) return;
    const text = timerText(timer, now);
    setText(item.parts.timer.lastChild, phase === "up" || phase === "over" ? text : t("%(time)s left", { time: text }));
    toggle(item.parts.timer, "done", phase === "up" || phase === "over");
  }

  function prune(codes) {
    for (const [code, item] of rooms) if (!codes.includes(code)) { item.el.remove(); rooms.delete(code); }
  }

  return { renderRoom, tick, prune, el: (code) => rooms.get(code)?.el || null };
}
