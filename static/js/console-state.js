// The facilitator console's one state object and the pure functions that change it. No DOM, no
// sockets. Every open room keeps its board ({room, groups, notes, seq}) exactly as the server
// sends it: the join snapshot, then its ops in seq order, through the one board reducer
// (board-state.js). What only the console has lives here: several rooms at once (rooms added
// and closed), and people, drawn only from the server's placements (join snapshot, `placed`).

import { applyBoardOp, groupNotes, sortedGroups, spotlightOf } from "./board-state.js";

export { sortedGroups } from "./board-state.js";

export const LOBBY = ""; // the lobby's place key (the server says room: null)

export function createConsoleState({ key, cities }) {
  return {
    key,
    cities: cities || [],
    workshop: null,
    order: [],      // codes of the open rooms, in the workshop's order
    rooms: {},      // code -> { room, groups, notes, seq }
    closed: [],     // rooms closed while this console was open: [{ code, name, theme }]
    people: {},     // participant id -> { id, name, city, room: code or null, online }
    pending: new Map(), // ops sent, waiting for their answer (session.js)
    connection: "connecting",
    joined: false,
    errors: {},     // place -> message of a refusal, shown where it happened
    done: {},       // place -> short confirmation ("Sent to every room.")
    busy: {},       // place -> true while an op sent from there waits for its answer
    ui: {
      editing: null, confirmDelete: null, renaming: null, confirmGroupDelete: null,
      roomForm: {},       // room code -> "rename" | "timer" | "votes" | "add-group" | "close"
      addRoom: false, confirmRecall: false, created: null,
    },
  };
}

function roomInfo(previous, incoming) {
  const room = { ...(previous || {}), ...incoming };
  delete room.groups;
  delete room.workshop;
  return room;
}

/** The state after the facilitator's join acknowledgement: everything is replaced. */
export function loadWorkshop(s, ack) {
  const { workshop, boards } = ack;
  const rooms = {};
  for (const info of workshop.rooms) {
    // A room answered with its missed ops (`catch_up: "ops"`) keeps what this console holds;
    // the session applies the ops.
    const kept = ack.catch_up && ack.catch_up[info.code] === "ops" ? s.rooms[info.code] : null;
    const board = (boards || {})[info.code] || kept || { groups: [], notes: [], seq: 0 };
    rooms[info.code] = {
      room: roomInfo(kept ? kept.room : null, { ...board.room, ...info }),
      groups: (board.groups || []).slice(),
      notes: (board.notes || []).slice(),
      seq: board.seq || 0,
      spotlight: spotlightOf(board.spotlight, board.seq || 0),
    };
  }
  return applyPlacements({
    ...s,
    workshop: { id: workshop.id, title: workshop.title, cities: workshop.cities, lobby_code: workshop.lobby_code },
    cities: workshop.cities || s.cities,
    order: workshop.rooms.map((r) => r.code),
    rooms,
    closedBefore: (workshop.closed_rooms || []).map((r) => r.code), // closed before this console opened
    people: {},
    joined: true,
  }, workshop.participants || []);
}

/** Where people are, as the server says (`placed`, or the join snapshot's participants). */
export function applyPlacements(s, people) {
  if (!people || !people.length) return s;
  const next = { ...s.people };
  for (const p of people) next[p.id] = { id: p.id, name: p.name, city: p.city, room: p.room || null, online: Boolean(p.online) };
  return { ...s, people: next };
}

/** The console's side of the session (see session.js): every open room of the workshop. */
export const consoleModel = {
  load: (s, ack) => tidyUi({ ...loadWorkshop(s, ack), errors: {} }),
  rooms: (s) => s.order,
  seq: (s, code) => (s.rooms[code] ? s.rooms[code].seq : null),
  since: (s) => Object.fromEntries(Object.entries(s.rooms).map(([code, room]) => [code, room.seq])),
  isNew: (s, op) => op.type === "room.add" && Boolean(op.created) && !s.rooms[op.room],
  unknownRoom: (s, code) => Boolean(code) && !s.closed.some((r) => r.code === code)
    && !(s.closedBefore || []).includes(code),
  apply: applyOp,
  placed: (s, payload) => applyPlacements(s, payload.people),
};

/** Apply one room's op, in that room's seq order (the session checks it). */
export function applyOp(s, op) {
  const code = op.room;
  if (!s.rooms[code]) return op.type === "room.add" && op.created ? addRoom(s, op.created, op.seq) : s;
  const board = applyBoardOp(s.rooms[code], op, null);
  let next = { ...s, rooms: { ...s.rooms, [code]: { ...board, room: roomInfo(board.room, {}) } } };
  if (op.state && op.state.closed) next = closeRoom(next, code);
  return tidyUi(next);
}

export function addRoom(s, created, seq) {
  if (s.rooms[created.code]) return s;
  const board = { room: roomInfo(null, created), groups: (created.groups || []).slice(), notes: [], seq: seq || 1 };
  return { ...s, order: s.order.concat(created.code), rooms: { ...s.rooms, [created.code]: board } };
}

function closeRoom(s, code) {
  const { room } = s.rooms[code];
  const rooms = { ...s.rooms };
  delete rooms[code];
  const roomForm = { ...s.ui.roomForm };
  delete roomForm[code];
  return {
    ...s, rooms,
    order: s.order.filter((c) => c !== code),
    closed: s.closed.concat({ code, name: room.name, theme: room.theme }),
    ui: { ...s.ui, roomForm },
  };
}

function mapNotes(board, fn) {
  return { ...board, notes: board.notes.map(fn) };
}

/** A newer version of one note (from a refused edit's answer), wherever it is. */
export function replaceNote(s, note) {
  for (const code of s.order) {
    const board = s.rooms[code];
    if (board.notes.some((n) => n.id === note.id)) {
      return { ...s, rooms: { ...s.rooms, [code]: mapNotes(board, (n) => (n.id === note.id ? { ...n, ...note } : n)) } };
    }
  }
  return s;
}

// ---- look-ups ----------------------------------------------------------------------------------

export function findNote(s, noteId) {
  for (const code of s.order) {
    const board = s.rooms[code];
    const note = board.notes.find((n) => n.id === noteId);
    if (note) {
      const inGroup = groupNotes(board.notes, note.group_id);
      return { code, note, index: inGroup.findIndex((n) => n.id === noteId), count: inGroup.length };
    }
  }
  return null;
}

export function findGroup(s, groupId) {
  for (const code of s.order) {
    const group = s.rooms[code].groups.find((g) => g.id === groupId);
    if (group) return { code, group };
  }
  return null;
}

export const byName = (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** Everyone connected somewhere right now. */
export function onlineIds(s) {
  return new Set(Object.values(s.people).filter((p) => p.online).map((p) => p.id));
}

/** The people assigned to a place (LOBBY or a room code), by name. */
export function peopleIn(s, place) {
  const room = place === LOBBY ? null : place;
  return Object.values(s.people).filter((p) => (p.room || null) === room).sort(byName);
}

/** The people in a room (or the lobby) with a page open now: "who is here". */
export function peopleHere(s, place) {
  return peopleIn(s, place).filter((p) => p.online);
}

// ---- UI bits -----------------------------------------------------------------------------------

function setIn(s, field, key, value) {
  const map = { ...s[field] };
  if (value) map[key] = value;
  else delete map[key];
  return { ...s, [field]: map };
}

export const setError = (s, key, message) => setIn(s, "errors", key, message);
export const setNote = (s, key, message) => setIn(s, "done", key, message);
export const setBusy = (s, key, on) => setIn(s, "busy", key, on);

export function setUi(s, patch) {
  return { ...s, ui: { ...s.ui, ...patch } };
}

export function setRoomForm(s, code, kind) {
  const roomForm = { ...s.ui.roomForm };
  if (kind) roomForm[code] = kind;
  else delete roomForm[code];
  return setUi(s, { roomForm });
}

/** Close editors and confirmations whose note or group is gone. */
export function tidyUi(s) {
  const note = (id) => Boolean(id && findNote(s, id));
  const group = (id) => Boolean(id && findGroup(s, id));
  const { editing, confirmDelete, renaming, confirmGroupDelete } = s.ui;
  if ((editing && !note(editing)) || (confirmDelete && !note(confirmDelete))
      || (renaming && !group(renaming)) || (confirmGroupDelete && !group(confirmGroupDelete))) {
    return setUi(s, {
      editing: note(editing) ? editing : null,
      confirmDelete: note(confirmDelete) ? confirmDelete : null,
      renaming: group(renaming) ? renaming : null,
      confirmGroupDelete: group(confirmGroupDelete) ? confirmGroupDelete : null,
    });
  }
  return s;
}
