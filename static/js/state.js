// The one board state and the pure functions that change it. `groups`, `notes`, `seq` mirror the
// server (join snapshot, then ops in seq order). Local changes awaiting an ack live in `pending`
// (op_id -> entry), laid over the server state by `view()`: a rollback drops the entry.

export const COLORS = ["yellow", "pink", "green", "blue", "orange", "purple"];
export const TEMP_PREFIX = "tmp:";

const byPosition = (a, b) => a.position - b.position;

export function groupNotes(notes, groupId) {
  return notes.filter((n) => n.group_id === groupId).sort(byPosition);
}

/** Give each listed item its index as position, copying only the ones that change. */
function renumber(items) {
  return items.map((item, i) => (item.position === i ? item : { ...item, position: i }));
}

/** Remove `note` from where it was, insert it at `position` in its group, close up both groups. */
function placeNote(notes, note, position) {
  const old = notes.find((n) => n.id === note.id);
  const others = notes.filter((n) => n.id !== note.id);
  const target = groupNotes(others, note.group_id);
  const index = Math.max(0, Math.min(Number.isFinite(position) ? position : target.length, target.length));
  target.splice(index, 0, note);
  const touched = renumber(target);
  if (old && old.group_id !== note.group_id) touched.push(...renumber(groupNotes(others, old.group_id)));
  const ids = new Set(touched.map((n) => n.id));
  return others.filter((n) => !ids.has(n.id)).concat(touched);
}

function closeUp(notes, groupId) {
  const rest = notes.filter((n) => n.group_id !== groupId);
  return rest.concat(renumber(groupNotes(notes, groupId)));
}

/** Apply one broadcast-shaped op to {groups, notes}; returns new arrays, never mutates. */
export function reduceBoard(board, op) {
  let { groups, notes } = board;
  switch (op.type) {
    case "note.add":
    case "note.move":
      notes = placeNote(notes, op.note, op.note.position);
      break;
    case "note.update":
      notes = notes.map((n) => (n.id === op.note.id ? { ...n, ...op.note } : n));
      break;
    case "note.delete": {
      const gone = notes.find((n) => n.id === op.note_id);
      if (gone) notes = closeUp(notes.filter((n) => n.id !== op.note_id), gone.group_id);
      break;
    }
    case "note.vote":
    case "note.unvote":
      notes = notes.map((n) => (n.id === op.note_id && n.votes !== op.votes ? { ...n, votes: op.votes } : n));
      break;
    case "voting.open": // a fresh round: every total starts again from 0
      notes = notes.map((n) => (n.votes ? { ...n, votes: 0 } : n));
      break;
    case "group.add": {
      const list = groups.filter((g) => g.id !== op.group.id).sort(byPosition);
      const at = Number.isFinite(op.group.position) ? op.group.position : list.length;
      list.splice(Math.min(at, list.length), 0, op.group);
      groups = renumber(list);
      break;
    }
    case "group.rename":
      groups = groups.map((g) => (g.id === op.group.id ? { ...g, ...op.group } : g));
      break;
    case "group.delete": {
      groups = renumber(groups.filter((g) => g.id !== op.group_id).sort(byPosition));
      const moved = op.notes || groupNotes(notes, op.group_id).map((n, i) => ({
        ...n, group_id: op.moved_to, position: groupNotes(notes, op.moved_to).length + i,
      }));
      const byId = new Map(moved.map((n) => [n.id, n]));
      notes = notes.map((n) => byId.get(n.id) || n);
      for (const n of notes.filter((x) => x.group_id === op.group_id)) {
        notes = placeNote(notes, { ...n, group_id: op.moved_to }, Infinity);
      }
      notes = closeUp(notes, op.moved_to);
      break;
    }
    case "group.sort": {
      const rank = new Map((op.order || []).map((id, i) => [id, i]));
      const sorted = groupNotes(notes, op.group_id)
        .sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || a.position - b.position);
      notes = notes.filter((n) => n.group_id !== op.group_id).concat(renumber(sorted));
      break;
    }
    case "room.reveal":
      if (Array.isArray(op.notes)) notes = op.notes.slice();
      break;
    default:
      return board; // an op type that changes no group or note (lock, timer, messages...)
  }
  return { groups, notes };
}

export function createState({ code, workshopId, cities, template }) {
  return {
    room: { code, name: "", theme: "", template: template || "blank", workshop: { id: workshopId, title: "" },
      locked: false, hidden: false, voting: null, timer: null },
    cities: cities || [],
    groups: [],
    notes: [],
    myVotes: [],
    seq: 0,
    me: null,
    presence: [],
    pending: new Map(),
    connection: "connecting",
    joined: false,
    ui: { editing: null, renaming: null, confirmDelete: null, confirmGroupDelete: null, errors: {}, banner: null },
  };
}

/** The state after a join acknowledgement: the board snapshot replaces whatever we had. */
export function loadBoard(state, participant, board) {
  return {
    ...state,
    room: { ...state.room, ...board.room },
    groups: board.groups.slice(),
    notes: board.notes.slice(),
    myVotes: (board.my_votes || []).slice(),
    seq: board.seq,
    me: { id: participant.id, name: participant.name, city: participant.city },
    joined: true,
  };
}

/** My votes after an op: a fresh round clears them, my own votes and unvotes count. */
function nextVotes(myVotes, op, me) {
  const mine = me && op.voter_id === me.id;
  switch (op.type) {
    case "voting.open": return myVotes.length ? [] : myVotes;
    case "note.vote": return mine && !myVotes.includes(op.note_id) ? myVotes.concat(op.note_id) : myVotes;
    case "note.unvote": return mine ? myVotes.filter((id) => id !== op.note_id) : myVotes;
    case "note.delete": return myVotes.includes(op.note_id) ? myVotes.filter((id) => id !== op.note_id) : myVotes;
    case "note.move": // a note sent to another room loses its votes
      return op.to_room && myVotes.includes(op.note.id) ? myVotes.filter((id) => id !== op.note.id) : myVotes;
    default: return myVotes;
  }
}

/** Apply a server op; ops already applied are ignored, the caller syncs on a gap first. */
export function applyOp(state, op) {
  if (!(op.seq > state.seq)) return state;
  let change = op;
  // A facilitator moved a note to another room: here it is simply gone.
  if (op.type === "note.move" && op.to_room && op.to_room !== state.room.code) {
    change = { type: "note.delete", note_id: op.note.id, group_id: op.from_group_id };
  }
  let { groups, notes } = reduceBoard(state, change);
  if (op.type === "room.hide" && state.me) {
    // Private writing starts: other people's notes lose their text here too, as on a fresh join.
    notes = notes.map((n) => (n.author_id === state.me.id ? n : { ...n, text: null, hidden: true }));
  }
  const room = op.state ? { ...state.room, ...op.state, code: state.room.code, workshop: state.room.workshop } : state.room;
  const myVotes = nextVotes(state.myVotes || [], op, state.me);
  const next = { ...state, room, groups, notes, myVotes, seq: op.seq };
  return settlePending(next, op.op_id);
}

/** Drop the pending entry for `opId` and any entry whose acknowledged seq is now applied. */
export function settlePending(state, opId) {
  let changed = false;
  const pending = new Map(state.pending);
  for (const [id, entry] of pending) {
    if (id === opId || (entry.ackedSeq && entry.ackedSeq <= state.seq)) {
      pending.delete(id);
      changed = true;
    }
  }
  return changed ? { ...state, pending } : state;
}

export function addPending(state, payload) {
  const pending = new Map(state.pending);
  pending.set(payload.op_id, { payload, ackedSeq: 0 });
  return { ...state, pending };
}

export function dropPending(state, opId) {
  if (!state.pending.has(opId)) return state;
  const pending = new Map(state.pending);
  pending.delete(opId);
  return { ...state, pending };
}

export function markAcked(state, opId, seq) {
  const entry = state.pending.get(opId);
  if (!entry) return state;
  const pending = new Map(state.pending);
  pending.set(opId, { ...entry, ackedSeq: seq });
  return { ...state, pending };
}

/** Turn an outgoing op payload into the broadcast the server will send, as far as we can tell. */
function optimistic(board, payload, me) {
  const note = board.notes.find((n) => n.id === payload.note_id);
  const group = board.groups.find((g) => g.id === payload.group_id);
  switch (payload.type) {
    case "note.add": {
      const groupId = payload.group_id || (board.groups.slice().sort(byPosition)[0] || {}).id;
      if (!groupId) return null;
      return { type: "note.add", note: {
        id: TEMP_PREFIX + payload.op_id, group_id: groupId, text: payload.text.trim(),
        color: payload.color || "yellow", author_id: me.id, author: me.name, city: me.city,
        position: Infinity,
      } };
    }
    case "note.update": {
      if (!note) return null;
      const change = {};
      if (payload.text !== undefined) change.text = payload.text.trim();
      if (payload.color !== undefined) change.color = payload.color;
      return { type: "note.update", note: { ...note, ...change } };
    }
    case "note.move":
      if (!note || !group) return null;
      return { type: "note.move", note: { ...note, group_id: group.id, position: payload.position ?? Infinity } };
    case "note.delete":
      return note ? { type: "note.delete", note_id: note.id, group_id: note.group_id } : null;
    case "group.add":
      return { type: "group.add", group: { id: TEMP_PREFIX + payload.op_id, name: payload.name.trim(), position: Infinity } };
    case "group.rename":
      return group ? { type: "group.rename", group: { ...group, name: payload.name.trim() } } : null;
    case "group.delete": {
      const rest = board.groups.filter((g) => g.id !== payload.group_id).sort(byPosition);
      if (!group || !rest.length) return null;
      return { type: "group.delete", group_id: group.id, moved_to: rest[0].id };
    }
    case "note.vote":
    case "note.unvote": {
      if (!note) return null;
      const votes = Math.max(0, (note.votes || 0) + (payload.type === "note.vote" ? 1 : -1));
      return { type: payload.type, note_id: note.id, votes, voter_id: me.id };
    }
    default:
      return null;
  }
}

/** Ids of the notes and groups a pending op touches, to mark them "Sending…". */
function touchedIds(payload) {
  const ids = [payload.note_id, payload.group_id];
  if (payload.type === "note.add" || payload.type === "group.add") ids.push(TEMP_PREFIX + payload.op_id);
  return ids.filter(Boolean);
}

/** What to show: the server state with every pending local change laid on top. */
export function view(state) {
  let board = { groups: state.groups, notes: state.notes };
  let myVotes = state.myVotes || [];
  const pendingIds = new Set();
  for (const { payload, ackedSeq } of state.pending.values()) {
    const op = state.me && optimistic(board, payload, state.me);
    if (!op) continue;
    board = reduceBoard(board, op);
    myVotes = nextVotes(myVotes, op, state.me);
    if (!ackedSeq) touchedIds(payload).forEach((id) => pendingIds.add(id));
  }
  const groups = board.groups.slice().sort(byPosition);
  return {
    groups,
    notesByGroup: new Map(groups.map((g) => [g.id, groupNotes(board.notes, g.id)])),
    notes: board.notes,
    pendingIds,
    myVotes: new Set(myVotes),
  };
}

/** Votes I may still give (pending ones counted), or null while voting is closed. */
export function votesLeft(state, v = view(state)) {
  const voting = state.room.voting;
  if (!voting) return null;
  const live = v.notes.filter((n) => v.myVotes.has(n.id)).length;
  return Math.max(0, voting.votes_per_participant - live);
}

/** Where a refused op's error shows: by its composer, note, group or the add-group form. */
export function errorKey(payload) {
  switch (payload.type) {
    case "note.add": return `composer:${payload.group_id || ""}`;
    case "note.update": case "note.move": case "note.delete":
    case "note.vote": case "note.unvote": return `note:${payload.note_id}`;
    case "group.add": return "add-group";
    default: return `group:${payload.group_id}`;
  }
}

export function setError(state, key, message) {
  const errors = { ...state.ui.errors };
  if (message) errors[key] = message;
  else delete errors[key];
  return { ...state, ui: { ...state.ui, errors } };
}

export function setUi(state, patch) {
  return { ...state, ui: { ...state.ui, ...patch } };
}
