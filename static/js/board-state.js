// The one board reducer, shared by the room page and the console: how an op (broadcast, ack or
// sync result) changes a board {room, groups, notes, seq, myVotes}. Pure: no DOM, no sockets.
// A board is kept exactly as the server sends it: the join snapshot, then its ops in seq order.

export const COLORS = ["yellow", "pink", "green", "blue", "orange", "purple"];
export const TEMP_PREFIX = "tmp:";

const byPosition = (a, b) => a.position - b.position;

export function groupNotes(notes, groupId) {
  return notes.filter((n) => n.group_id === groupId).sort(byPosition);
}

/**
 * How to draw a map room (its room state's `map`: areas and captions by group position, axes),
 * or null: not a map, or not four groups, so its groups are columns.
 */
export function mapLayout(room, groupCount) {
  return room && room.map && groupCount === 4 ? room.map : null;
}

/** The quadrant of the group at `index` on a map layout: {area, caption}, or null. */
export function quadrantAt(layout, index) {
  return layout ? { area: layout.areas[index], caption: layout.captions[index] } : null;
}

// Pages keep a map's groups in the grid's reading order (top-left to bottom-right), so Tab
// follows the grid as drawn.
const READING_ORDER = ["tl", "tr", "bl", "br"];

/** `groups` (in position order) as a page shows them: in reading order on a map layout. */
export function inReadingOrder(layout, groups) {
  if (!layout) return groups;
  const cell = (group) => READING_ORDER.indexOf(layout.areas[groups.indexOf(group)]);
  return groups.slice().sort((a, b) => cell(a) - cell(b));
}

export function sortedGroups(board) {
  return board.groups.slice().sort(byPosition);
}

/** Give each listed item its index as position, copying only the ones that change. */
function renumber(items) {
  return items.map((item, i) => (item.position === i ? item : { ...item, position: i }));
}

/** A note from an op, keeping the cities it is filed under when the op does not carry them. */
function keepTags(note, old) {
  return note.tags === undefined && old && old.tags !== undefined ? { ...note, tags: old.tags } : note;
}

/** Remove `note` from where it was, insert it at `position` in its group, close up both groups. */
function placeNote(notes, note, position) {
  const old = notes.find((n) => n.id === note.id);
  note = keepTags(note, old);
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

/** A note's `details` after a note.update's change, as the server merges them: null clears a
 * field, fields left out are kept, no field left is null. */
export function mergeDetails(details, change) {
  const merged = { ...(details || {}), ...change };
  for (const key of Object.keys(merged)) if (merged[key] == null) delete merged[key];
  return Object.keys(merged).length ? merged : null;
}

/**
 * Status follows the group on an action table (groups that stand for a status carry `status`):
 * the group a note goes to when its status becomes `status`, or null when it stays where it is
 * (its group stands for no status or already for this one, or no group stands for it: dropped).
 */
export function groupForStatus(groups, note, status) {
  const current = groups.find((g) => g.id === note.group_id);
  if (!status || !current || !current.status || current.status === status) return null;
  return groups.find((g) => g.status === status) || null;
}

/** Apply one op's change to {groups, notes}; returns new arrays, never mutates. */
export function reduceBoard(board, op) {
  let { groups, notes } = board;
  switch (op.type) {
    case "note.add":
    case "note.move":
      notes = placeNote(notes, op.note, op.note.position);
      break;
    case "note.update":
    case "note.tag": {
      // A status changed on an action table moves the note to that status's group (same op).
      const old = notes.find((n) => n.id === op.note.id);
      if (old && op.note.group_id && op.note.group_id !== old.group_id) notes = placeNote(notes, { ...old, ...op.note }, op.note.position);
      else notes = notes.map((n) => (n.id === op.note.id ? { ...n, ...op.note } : n));
      break;
    }
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
      notes = notes.map((n) => (byId.has(n.id) ? keepTags(byId.get(n.id), n) : n));
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
      if (Array.isArray(op.notes)) {
        const old = new Map(notes.map((n) => [n.id, n]));
        notes = op.notes.map((n) => keepTags(n, old.get(n.id)));
      }
      break;
    default:
      return board; // an op type that changes no group or note (lock, timer, messages...)
  }
  return { groups, notes };
}

/** One dot fewer on a note (the list has a note once per dot). */
function withoutOne(myVotes, noteId) {
  const at = myVotes.lastIndexOf(noteId);
  return at < 0 ? myVotes : myVotes.slice(0, at).concat(myVotes.slice(at + 1));
}

/**
 * The viewer's dots after an op (a note id once per dot): a fresh round clears them, their own
 * votes and unvotes count (one dot each), a note deleted or sent away takes its dots with it.
 */
export function nextVotes(myVotes, op, viewerId) {
  const mine = Boolean(viewerId) && op.voter_id === viewerId;
  switch (op.type) {
    case "voting.open": return myVotes.length ? [] : myVotes;
    case "note.vote": return mine ? myVotes.concat(op.note_id) : myVotes;
    case "note.unvote": return mine ? withoutOne(myVotes, op.note_id) : myVotes;
    case "note.delete": return myVotes.includes(op.note_id) ? myVotes.filter((id) => id !== op.note_id) : myVotes;
    case "note.move": // a note sent to another room loses its votes
      return op.to_room && myVotes.includes(op.note.id) ? myVotes.filter((id) => id !== op.note.id) : myVotes;
    default: return myVotes;
  }
}

/**
 * Apply one op of this board's room, in seq order (the session checks the order). `viewerId`:
 * the participant looking at it, or null for the facilitator, who sees every note whole.
 */
export function applyBoardOp(board, op, viewerId = null) {
  const code = board.room.code;
  let change = op;
  // A note moved to another room: here it is simply gone.
  if (op.type === "note.move" && op.to_room && op.to_room !== code) {
    change = { type: "note.delete", note_id: op.note.id, group_id: op.from_group_id };
  }
  let { groups, notes } = reduceBoard(board, change);
  if (op.type === "room.hide" && viewerId) notes = hiddenView(notes, viewerId);
  const room = op.state ? { ...board.room, ...op.state, code, workshop: board.room.workshop } : board.room;
  const myVotes = nextVotes(board.myVotes || [], op, viewerId);
  // A note moved in from another room says where it came from ("" when the name is unknown).
  if (op.type === "note.move" && op.from_room && op.from_room !== code && change === op) {
    notes = notes.map((n) => (n.id === op.note.id ? { ...n, moved_from: op.from_room_name || "" } : n));
  }
  const spotlight = op.spotlight !== undefined ? spotlightOf(op.spotlight, op.seq) : board.spotlight;
  return { ...board, room, groups, notes, myVotes, seq: op.seq, spotlight };
}

/** The spotlight as a board keeps it: the server's {note, room, group}, with the seq that showed
 * it (a person who closed it sees the next one), or null. */
export function spotlightOf(spotlight, seq) {
  return spotlight ? { ...spotlight, seq } : null;
}

/** The view a hidden room gives a participant: others' notes without their text or photo. */
export function hiddenView(notes, viewerId) {
  return notes.map((n) => (n.author_id === viewerId || n.text == null ? n
    : { ...n, text: null, hidden: true, image_id: null, alt: null }));
}
