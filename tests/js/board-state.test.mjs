// The one board reducer (static/js/board-state.js), as the room page and the console use it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyBoardOp, groupNotes, mapLayout, quadrantAt, reduceBoard } from "../../static/js/board-state.js";

const note = (id, group, position, extra = {}) => ({
  id, group_id: group, position, text: `text ${id}`, color: "yellow", author_id: "ana", author: "Ana", city: "Milan", votes: 0, ...extra,
});

function board(extra = {}) {
  return {
    room: { code: "R1", name: "Room 1", locked: false, hidden: false, voting: null, timer: null },
    groups: [{ id: "g1", name: "Ideas", position: 0 }, { id: "g2", name: "Actions", position: 1 }],
    notes: [note("a", "g1", 0), note("b", "g1", 1), note("c", "g2", 0, { author_id: "bea", author: "Bea" })],
    seq: 10,
    myVotes: [],
    ...extra,
  };
}
const ids = (b, group) => groupNotes(b.notes, group).map((n) => `${n.id}@${n.position}`);

test("a new note goes where the server put it and the seq moves on", () => {
  const next = applyBoardOp(board(), { seq: 11, room: "R1", type: "note.add", note: note("d", "g1", 1) });
  assert.deepEqual(ids(next, "g1"), ["a@0", "d@1", "b@2"]);
  assert.equal(next.seq, 11);
});

test("moving a note between groups closes up the group it left", () => {
  const next = applyBoardOp(board(), { seq: 11, room: "R1", type: "note.move", note: { ...note("a", "g2", 0) }, from_group_id: "g1" });
  assert.deepEqual(ids(next, "g1"), ["b@0"]);
  assert.deepEqual(ids(next, "g2"), ["a@0", "c@1"]);
});

test("a note moved to another room is gone here, with my vote on it", () => {
  const mine = board({ myVotes: ["b"] });
  const op = { seq: 11, room: "R1", type: "note.move", note: note("b", "gX", 0), from_room: "R1", to_room: "R2", from_group_id: "g1" };
  const next = applyBoardOp(mine, op, "ana");
  assert.deepEqual(ids(next, "g1"), ["a@0"]);
  assert.deepEqual(next.myVotes, []);
});

test("a note moved in from another room appears in its group", () => {
  const op = { seq: 11, room: "R1", type: "note.move", note: note("z", "g2", 0), from_room: "R2", to_room: "R1", from_group_id: "gX" };
  const next = applyBoardOp(board(), op);
  assert.deepEqual(ids(next, "g2"), ["z@0", "c@1"]);
});

test("votes: totals follow the server, my votes follow my own ops, a new round starts at zero", () => {
  let b = applyBoardOp(board(), { seq: 11, room: "R1", type: "note.vote", note_id: "c", votes: 2, voter_id: "ana" }, "ana");
  assert.equal(b.notes.find((n) => n.id === "c").votes, 2);
  assert.deepEqual(b.myVotes, ["c"]);
  b = applyBoardOp(b, { seq: 12, room: "R1", type: "note.vote", note_id: "a", votes: 1, voter_id: "bea" }, "ana");
  assert.deepEqual(b.myVotes, ["c"]);
  b = applyBoardOp(b, { seq: 13, room: "R1", type: "voting.open", state: { voting: { votes_per_participant: 3 } } }, "ana");
  assert.deepEqual(b.notes.map((n) => n.votes), [0, 0, 0]);
  assert.deepEqual(b.myVotes, []);
  assert.deepEqual(b.room.voting, { votes_per_participant: 3 });
  assert.equal(b.room.code, "R1");
});

test("hiding notes: a participant sees others' notes without text; the facilitator sees all", () => {
  const op = { seq: 11, room: "R1", type: "room.hide", state: { hidden: true } };
  const participant = applyBoardOp(board(), op, "ana");
  assert.equal(participant.notes.find((n) => n.id === "a").text, "text a"); // my own
  assert.equal(participant.notes.find((n) => n.id === "c").text, null);
  assert.equal(participant.room.hidden, true);
  const facilitator = applyBoardOp(board(), op, null);
  assert.equal(facilitator.notes.find((n) => n.id === "c").text, "text c");
});

test("revealing replaces the notes but keeps the cities the facilitator filed them under", () => {
  const tagged = board({ notes: [note("a", "g1", 0, { tags: ["Nantes"] })] });
  const next = applyBoardOp(tagged, { seq: 11, room: "R1", type: "room.reveal", state: { hidden: false }, notes: [note("a", "g1", 0)] });
  assert.deepEqual(next.notes[0].tags, ["Nantes"]);
});

test("note.tag and a later move keep the note's cities", () => {
  let b = applyBoardOp(board(), { seq: 11, room: "R1", type: "note.tag", note: { id: "a", tags: ["Łódź"] } });
  b = applyBoardOp(b, { seq: 12, room: "R1", type: "note.move", note: note("a", "g2", 1), from_group_id: "g1" });
  assert.deepEqual(b.notes.find((n) => n.id === "a").tags, ["Łódź"]);
});

test("deleting a group moves its notes to the group the server names", () => {
  const next = applyBoardOp(board(), { seq: 11, room: "R1", type: "group.delete", group_id: "g1", moved_to: "g2" });
  assert.deepEqual(next.groups.map((g) => g.id), ["g2"]);
  assert.deepEqual(ids(next, "g2"), ["c@0", "a@1", "b@2"]);
});

test("sorting a group by votes follows the server's order", () => {
  const next = reduceBoard(board(), { type: "group.sort", group_id: "g1", order: ["b", "a"] });
  assert.deepEqual(ids(next, "g1"), ["b@0", "a@1"]);
});

test("an op that changes no note keeps the same arrays", () => {
  const b = board();
  const next = applyBoardOp(b, { seq: 11, room: "R1", type: "room.lock", state: { locked: true } });
  assert.equal(next.notes, b.notes);
  assert.equal(next.room.locked, true);
});

test("a map room with four groups is drawn as its 2×2; otherwise columns", () => {
  const map = { part: "sector", axes: null, areas: ["tl", "tr", "bl", "br"], captions: ["a", "b", "c", "d"] };
  assert.equal(mapLayout({ map }, 4), map);
  assert.equal(mapLayout({ map }, 5), null);
  assert.equal(mapLayout({ map: null }, 4), null);
  assert.deepEqual(quadrantAt(map, 2), { area: "bl", caption: "c" });
  assert.equal(quadrantAt(null, 2), null);
});

test("a spotlight is kept with the seq that showed it, until hidden; other ops leave it", () => {
  const shown = { note: note("c", "g2", 0), room: "R2", group: { id: "g2", name: "Actions" } };
  let next = applyBoardOp(board(), { seq: 11, room: "R1", type: "spotlight.show", spotlight: shown });
  assert.deepEqual(next.spotlight, { ...shown, seq: 11 });
  next = applyBoardOp(next, { seq: 12, room: "R1", type: "note.add", note: note("d", "g1", 2) });
  assert.equal(next.spotlight.seq, 11);
  next = applyBoardOp(next, { seq: 13, room: "R1", type: "spotlight.hide", spotlight: null });
  assert.equal(next.spotlight, null);
});

test("hiding a room takes others' photos away with their text", () => {
  const withPhoto = board({ notes: [note("c", "g2", 0, { author_id: "bea", image_id: "img1", alt: "A tram" }),
    note("a", "g1", 0, { image_id: "img2", alt: "Mine" })] });
  const next = applyBoardOp(withPhoto, { seq: 11, room: "R1", type: "room.hide", state: { hidden: true } }, "ana");
  const byId = new Map(next.notes.map((n) => [n.id, n]));
  assert.equal(byId.get("c").image_id, null);
  assert.equal(byId.get("c").alt, null);
  assert.equal(byId.get("a").image_id, "img2");
});

test("a map's groups are shown in the grid's reading order, so Tab follows the grid", async () => {
  const { inReadingOrder } = await import("../../static/js/board-state.js");
  const groups = ["Manage closely", "Keep satisfied", "Keep informed", "Monitor"].map((name, position) => ({ id: name, position }));
  const stakeholderMap = { areas: ["tr", "tl", "br", "bl"] };
  assert.deepEqual(inReadingOrder(stakeholderMap, groups).map((g) => g.id),
    ["Keep satisfied", "Manage closely", "Monitor", "Keep informed"]);
  assert.equal(inReadingOrder(null, groups), groups); // columns keep their order
});

test("a note moved in from another room says where it came from", () => {
  const op = { seq: 11, room: "R1", type: "note.move", note: note("z", "g2", 0), from_room: "R2", from_room_name: "Room 2", to_room: "R1", from_group_id: "gX" };
  assert.equal(applyBoardOp(board(), op).notes.find((n) => n.id === "z").moved_from, "Room 2");
  const within = { seq: 11, room: "R1", type: "note.move", note: note("a", "g2", 0), from_group_id: "g1" };
  assert.equal(applyBoardOp(board(), within).notes.find((n) => n.id === "a").moved_from, undefined);
});

test("several dots on one note: each dot counts, taking one back takes one", () => {
  let b = board({ myVotes: [] });
  for (const votes of [1, 2]) b = applyBoardOp(b, { seq: 10 + votes, room: "R1", type: "note.vote", note_id: "c", votes, voter_id: "ana" }, "ana");
  assert.deepEqual(b.myVotes, ["c", "c"]);
  b = applyBoardOp(b, { seq: 13, room: "R1", type: "note.unvote", note_id: "c", votes: 1, voter_id: "ana" }, "ana");
  assert.deepEqual(b.myVotes, ["c"]);
});

test("a status changed on an action table moves the note to that status's group, as the server says", () => {
  const table = board({
    groups: [{ id: "g1", name: "Ideas", position: 0, status: "idea" }, { id: "g2", name: "Planned", position: 1, status: "planned" }],
  });
  const op = { seq: 11, room: "R1", type: "note.update", from_group_id: "g1",
    note: { ...note("a", "g2", 1), text: "now planned", details: { lead: "Ana", status: "planned" } } };
  const next = applyBoardOp(table, op);
  assert.deepEqual(ids(next, "g1"), ["b@0"]);
  assert.deepEqual(ids(next, "g2"), ["c@0", "a@1"]);
  const moved = next.notes.find((n) => n.id === "a");
  assert.equal(moved.text, "now planned");
  assert.deepEqual(moved.details, { lead: "Ana", status: "planned" });
  // An update that keeps the group changes the note in place.
  const again = applyBoardOp(next, { seq: 12, room: "R1", type: "note.update", note: { ...moved, text: "edited" } });
  assert.deepEqual(ids(again, "g2"), ["c@0", "a@1"]);
});
