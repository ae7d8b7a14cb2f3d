// The facilitator console's one state object and the pure functions that change it. No DOM, no
// sockets. Every open room keeps its board ({room, groups, notes, seq}) exactly as the server
// sends it: the join snapshot, then its ops in seq order. Groups and notes go through the
// participant board's reduceBoard; room-level ops (state, rooms added or closed, people moved
// between rooms) are handled here.

import { groupNotes, reduceBoard } from "./state.js";

export const LOBBY = ""; // presence key of the lobby (the server says room: null)

export function createConsoleState({ key, cities }) {
  return {
    key,
    cities: cities || [],
    workshop: null,
    order: [],      // codes of the open rooms, in the workshop's order
    rooms: {},      // code -> { room, groups, notes, seq }
    closed: [],     // rooms closed while this console was open: [{ code, name, theme }]
    people: {},     // participant id -> { id, name, city, room: code or null }
    presence: {},   // LOBBY or room code -> [{ id, name, city }] connected right now
    clockOffset: 0, // the server's clock minus ours (ms), learnt from live timers
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

/** A room state as the server sends it, with its timer's end on this computer's clock. */
function roomInfo(previous, incoming, now, live, offset = 0) {
  const room = { ...(previous || {}), ...incoming };
  delete room.groups;
  delete room.workshop;
  // A live message's `remaining` was computed by the server just now, so it does not depend on
  // this computer's clock; a replayed one (sync) only has its deadline to go by.
  if (!room.timer) room.timerEnd = null;
  else if (live && Number.isFinite(room.timer.remaining)) room.timerEnd = now + room.timer.remaining * 1000;
  else room.timerEnd = (Date.parse(room.timer.deadline) - offset) || now;
  return room;
}

/** The state after the facilitator's join acknowledgement: everything is replaced. */
export function loadWorkshop(s, ack, now) {
  const { workshop, boards, presence } = ack;
  const rooms = {};
  for (const info of workshop.rooms) {
    const board = boards[info.code] || { groups: [], notes: [], seq: 0 };
    rooms[info.code] = {
      room: roomInfo(null, { ...board.room, ...info }, now, true),
      groups: (board.groups || []).slice(),
      notes: (board.notes || []).slice(),
      seq: board.seq || 0,
    };
  }
  const people = {};
  for (const p of workshop.participants || []) people[p.id] = { ...p };
  let next = {
    ...s,
    workshop: { id: workshop.id, title: workshop.title, cities: workshop.cities, lobby_code: workshop.lobby_code },
    cities: workshop.cities || s.cities,
    order: workshop.rooms.map((r) => r.code),
    rooms,
    people,
    presence: {},
    joined: true,
  };
  for (const place of presence || []) next = applyPresence(next, place);
  return next;
}

export function applyPresence(s, payload) {
  const place = payload.room || LOBBY;
  const list = (payload.participants || []).slice();
  const people = { ...s.people };
  for (const p of list) {
    const known = people[p.id];
    // Joining a room records it as the person's room; the lobby keeps what they were assigned.
    const room = place === LOBBY ? (known ? known.room : null) : place;
    people[p.id] = { ...(known || {}), ...p, room };
  }
  return { ...s, people, presence: { ...s.presence, [place]: list } };
}

/** Assignments from an ack: { participant_id: code or null }. */
export function applyAssignments(s, assignments) {
  if (!assignments) return s;
  const people = { ...s.people };
  for (const [id, room] of Object.entries(assignments)) {
    if (people[id]) people[id] = { ...people[id], room };
  }
  return { ...s, people };
}

function mapNotes(board, fn) {
  return { ...board, notes: board.notes.map(fn) };
}

function applyToBoard(board, op, now, live, offset) {
  const code = board.room.code;
  switch (op.type) {
    case "note.move":
      if (op.to_room && op.to_room !== code) {
        return { ...board, ...reduceBoard(board, { type: "note.delete", note_id: op.note.id, group_id: op.from_group_id }) };
      }
      break;
    case "note.vote":
    case "note.unvote":
      return mapNotes(board, (n) => (n.id === op.note_id ? { ...n, votes: op.votes } : n));
    case "note.tag":
      return mapNotes(board, (n) => (n.id === op.note.id ? { ...n, ...op.note } : n));
    case "voting.open":
      board = mapNotes(board, (n) => (n.votes ? { ...n, votes: 0 } : n));
      break;
    default:
      break;
  }
  if (op.state) board = { ...board, room: roomInfo(board.room, { ...op.state, code }, now, live, offset) };
  if (op.note || op.group || op.notes || op.note_id || op.group_id) {
    board = keepTags(board, { ...board, ...reduceBoard(board, op) });
  }
  return board;
}

/** Notes in ops carry their cities only after note.tag: keep what the console already knew. */
function keepTags(before, after) {
  const known = new Map(before.notes.map((n) => [n.id, n.tags]));
  return mapNotes(after, (n) => (n.tags === undefined && known.get(n.id) ? { ...n, tags: known.get(n.id) } : n));
}

/**
 * Apply one room's op (broadcast, op ack or sync result). Returns { state, gap }: `gap` is the
 * code of a room that must be synced first (a missed seq, or a room this console never saw).
 */
export function applyOp(s, op, now, live = true) {
  const code = op.room;
  if (!code) return { state: s, gap: null };
  let board = s.rooms[code];
  if (!board) {
    if (op.type === "room.add" && op.created) return { state: addRoom(s, op.created, op.seq, now), gap: null };
    if (s.closed.some((r) => r.code === code)) return { state: s, gap: null };
    return { state: s, gap: code };
  }
  if (!(op.seq > board.seq)) return { state: s, gap: null };
  if (op.seq > board.seq + 1) return { state: s, gap: code };
  board = { ...applyToBoard(board, op, now, live, s.clockOffset), seq: op.seq };
  let next = { ...s, rooms: { ...s.rooms, [code]: board } };
  const { timer, timerEnd } = board.room;
  if (live && op.state && timer && timer.remaining > 0) next.clockOffset = Date.parse(timer.deadline) - timerEnd;
  if (op.participant) {
    const known = next.people[op.participant.id] || {};
    next = { ...next, people: { ...next.people, [op.participant.id]: { ...known, ...op.participant, room: op.to_room || null } } };
  }
  if (op.state && op.state.closed) next = closeRoom(next, code);
  return { state: next, gap: null };
}

export function addRoom(s, created, seq, now) {
  if (s.rooms[created.code]) return s;
  const board = { room: roomInfo(null, created, now, true), groups: (created.groups || []).slice(), notes: [], seq: seq || 1 };
  return { ...s, order: s.order.concat(created.code), rooms: { ...s.rooms, [created.code]: board } };
}

function closeRoom(s, code) {
  const { room } = s.rooms[code];
  const rooms = { ...s.rooms };
  delete rooms[code];
  const people = { ...s.people };
  for (const p of Object.values(people)) if (p.room === code) people[p.id] = { ...p, room: null };
  const roomForm = { ...s.ui.roomForm };
  delete roomForm[code];
  return {
    ...s, rooms, people,
    order: s.order.filter((c) => c !== code),
    closed: s.closed.concat({ code, name: room.name, theme: room.theme }),
    ui: { ...s.ui, roomForm },
  };
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

export function sortedGroups(board) {
  return board.groups.slice().sort((a, b) => a.position - b.position);
}

export const byName = (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** Everyone connected somewhere right now. */
export function onlineIds(s) {
  return new Set(Object.values(s.presence).flat().map((p) => p.id));
}

/** The people assigned to a place (LOBBY or a room code), by name. */
export function peopleIn(s, place) {
  const room = place === LOBBY ? null : place;
  return Object.values(s.people).filter((p) => (p.room || null) === room).sort(byName);
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

/** "4:05", "0:09", "1:02:00". */
export function clock(seconds) {
  const t = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export function secondsLeft(room, now) {
  return room.timerEnd ? Math.max(0, (room.timerEnd - now) / 1000) : null;
}
