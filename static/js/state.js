// The room page's one state: its board {room, groups, notes, seq, myVotes} as the server sends
// it (changed only by board-state.js's applyBoardOp), the ops this page sent that wait for an ack
// (`pending`, op_id -> entry, kept by session.js), laid over the board by `view()`, and the UI.

import { applyBoardOp, groupForStatus, groupNotes, mergeDetails, nextVotes, reduceBoard, spotlightOf, TEMP_PREFIX } from "./board-state.js";
import { applyPresence, presenceOnJoin } from "./presence.js";

export { COLORS, TEMP_PREFIX, groupNotes } from "./board-state.js";

const byPosition = (a, b) => a.position - b.position;

export function createState({ code, workshopId, cities, template }) {
  return {
    room: { code, name: "", theme: "", template: template || "blank", workshop: { id: workshopId, title: "" },
      locked: false, hidden: false, voting: null, timer: null },
    cities: cities || [],
    groups: [],
    notes: [],
    myVotes: [],
    seq: 0,
    spotlight: null,
    me: null,
    presence: [],
    pending: new Map(),
    connection: "connecting",
    joined: false,
    ui: { editing: null, renaming: null, confirmDelete: null, confirmGroupDelete: null, errors: {}, banner: null,
      photos: {}, spotlightClosed: null },
  };
}

/** The board snapshot of a join acknowledgement replaces whatever we had. */
export function loadBoard(state, participant, board) {
  return {
    ...state,
    room: { ...state.room, ...board.room },
    groups: board.groups.slice(),
    notes: board.notes.slice(),
    myVotes: (board.my_votes || []).slice(),
    seq: board.seq,
    spotlight: spotlightOf(board.spotlight, board.seq),
    me: { id: participant.id, name: participant.name, city: participant.city },
    joined: true,
  };
}

const FAR_BEHIND = 500; // more missed ops than this: a fresh snapshot beats replaying them

/** The room page's side of the session (see session.js): one room, seen by one participant. */
export const roomModel = (code) => ({
  load(state, ack) {
    const { participant, board } = ack;
    const presence = presenceOnJoin(ack, code, state.presence);
    if (board && (!state.joined || ack.catch_up === "board" || board.seq < state.seq
        || board.seq - state.seq > FAR_BEHIND)) {
      // First join, many missed ops, or the server lost history: its snapshot is the truth.
      return { ...loadBoard(state, participant, board), presence };
    }
    // A re-join answered with the ops missed (`catch_up: "ops"`): the session applies them.
    const me = { id: participant.id, name: participant.name, city: participant.city };
    return setError({ ...state, me, presence }, "board", null);
  },
  since: (state) => state.seq,
  rooms: () => [code],
  // Hidden rooms' events come on my personal channel, which my tabs in other rooms hear too.
  seq: (state, room) => (!room || room === code ? state.seq : null),
  apply: (state, op) => applyBoardOp(state, op, state.me && state.me.id),
  presence: (state, payload) => ({ ...state, presence: applyPresence(state.presence, payload, code) }),
});

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
        position: Infinity, image_id: payload.image_id || null, alt: payload.image_id ? payload.alt || "" : null,
      } };
    }
    case "note.update": {
      if (!note) return null;
      const change = {};
      if (payload.text !== undefined) change.text = payload.text.trim();
      if (payload.color !== undefined) change.color = payload.color;
      if (payload.image_id !== undefined) change.image_id = payload.image_id;
      if (payload.alt !== undefined) change.alt = payload.alt;
      if (payload.details) {
        change.details = mergeDetails(note.details, payload.details);
        const to = groupForStatus(board.groups, note, change.details && change.details.status);
        if (to) Object.assign(change, { group_id: to.id, position: Infinity });
      }
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
    myVotes: dotsByNote(myVotes),
  };
}

/** My dots by note id: Map id -> how many. */
function dotsByNote(myVotes) {
  const dots = new Map();
  for (const id of myVotes) dots.set(id, (dots.get(id) || 0) + 1);
  return dots;
}

/** Votes I may still give (pending ones counted), or null while voting is closed. */
export function votesLeft(state, v = view(state)) {
  const voting = state.room.voting;
  if (!voting) return null;
  const live = new Set(v.notes.map((n) => n.id));
  let used = 0;
  for (const [id, count] of v.myVotes) if (live.has(id)) used += count;
  return Math.max(0, voting.votes_per_participant - used);
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
