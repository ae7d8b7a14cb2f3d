// The room page's state (static/js/state.js) and the pending ops (static/js/pending.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createState, roomModel, view, votesLeft } from "../../static/js/state.js";
import { addPending, markAcked, settlePending } from "../../static/js/pending.js";

function joined() {
  const ack = {
    participant: { id: "ana", name: "Ana", city: "Milan", token: "t" },
    board: { room: { code: "R1", name: "Room 1", voting: { votes_per_participant: 2 } },
      groups: [{ id: "g1", name: "Ideas", position: 0 }], notes: [], seq: 3, my_votes: [] },
  };
  return roomModel("R1").load(createState({ code: "R1", workshopId: "w" }), ack);
}

test("a note being sent shows at once, marked pending, until its broadcast arrives", () => {
  let s = addPending(joined(), { type: "note.add", op_id: "op1", text: " Bikes ", group_id: "g1" });
  let v = view(s);
  assert.equal(v.notes.length, 1);
  assert.equal(v.notes[0].text, "Bikes");
  assert.ok(v.pendingIds.has("tmp:op1"));
  const op = { seq: 4, room: "R1", op_id: "op1", type: "note.add", note: { id: "n1", group_id: "g1", position: 0, text: "Bikes", author_id: "ana" } };
  s = settlePending(roomModel("R1").apply(s, op), op.op_id, op.room, op.seq);
  v = view(s);
  assert.deepEqual(v.notes.map((n) => n.id), ["n1"]);
  assert.equal(v.pendingIds.size, 0);
});

test("an acknowledged op waiting behind a gap stays on screen until its seq is applied", () => {
  let s = addPending(joined(), { type: "note.add", op_id: "op1", text: "x", group_id: "g1" });
  s = markAcked(s, "op1", 6, "R1");
  assert.equal(view(s).notes.length, 1);
  s = settlePending(s, "other", "R1", 5);
  assert.equal(s.pending.size, 1);
  s = settlePending(s, "other", "R1", 6);
  assert.equal(s.pending.size, 0);
});

test("the room page ignores other rooms' events and counts my votes left", () => {
  const model = roomModel("R1");
  let s = joined();
  assert.equal(model.seq(s, "R2"), null);
  assert.equal(model.seq(s, "R1"), 3);
  s = model.apply(s, { seq: 4, room: "R1", type: "note.add", note: { id: "n1", group_id: "g1", position: 0, text: "x", author_id: "bea" } });
  s = model.apply(s, { seq: 5, room: "R1", type: "note.vote", note_id: "n1", votes: 1, voter_id: "ana" });
  assert.equal(votesLeft(s), 1);
});

test("presence: the join answer's list, then changes of this room only", () => {
  const model = roomModel("R1");
  const ana = { id: "ana", name: "Ana", city: "Milan" };
  let s = model.load(createState({ code: "R1", workshopId: "w" }), {
    participant: { id: "ana", name: "Ana", city: "Milan", token: "t" }, catch_up: "board",
    board: { room: { code: "R1" }, groups: [], notes: [], seq: 0, my_votes: [] },
    presence: { room: "R1", participants: [ana] } });
  assert.deepEqual(s.presence.map((p) => p.id), ["ana"]);
  s = model.presence(s, { room: "R1", joined: [{ id: "bo", name: "Bo", city: "Nantes" }], left: [] });
  s = model.presence(s, { room: null, joined: [{ id: "x", name: "X", city: "" }], left: [ana] });
  assert.deepEqual(s.presence.map((p) => p.id), ["ana", "bo"]);
  s = model.presence(s, { room: "R1", joined: [], left: [ana] });
  assert.deepEqual(s.presence.map((p) => p.id), ["bo"]);
});

test("a re-join answered with the missed ops keeps the board; a board answer replaces it", () => {
  const model = roomModel("R1");
  const s = joined();
  assert.equal(model.since(s), 3);
  const me = { id: "ana", name: "Ana", city: "Milan", token: "t" };
  const kept = model.load(s, { participant: me, catch_up: "ops", ops: [], seq: 5 });
  assert.equal(kept.seq, 3, "the session applies the ops (4 and 5) in seq order");
  assert.deepEqual(kept.groups.map((g) => g.id), ["g1"]);
  const fresh = model.load(s, { participant: me, catch_up: "board",
    board: { room: { code: "R1" }, groups: [{ id: "g9", name: "New", position: 0 }], notes: [], seq: 4, my_votes: [] } });
  assert.deepEqual(fresh.groups.map((g) => g.id), ["g9"], "the server could not catch us up: its board");
});

test("my status change on an action table moves my note at once, where the server will put it", () => {
  const ack = {
    participant: { id: "ana", name: "Ana", city: "Milan", token: "t" },
    board: { room: { code: "R1", name: "Actions", template: "action-table" },
      groups: [{ id: "g1", name: "Ideas", position: 0, status: "idea" }, { id: "g2", name: "Planned", position: 1, status: "planned" }],
      notes: [{ id: "n1", group_id: "g1", position: 0, text: "Act", author_id: "ana", details: { status: "idea", lead: "Ana" } },
        { id: "n2", group_id: "g2", position: 0, text: "Other", author_id: "ana", details: { status: "planned" } }],
      seq: 3, my_votes: [] },
  };
  let s = roomModel("R1").load(createState({ code: "R1", workshopId: "w" }), ack);
  s = addPending(s, { type: "note.update", op_id: "op1", note_id: "n1", details: { status: "planned", lead: null, start: "2027-01" } });
  let v = view(s);
  assert.deepEqual(v.notesByGroup.get("g1"), []);
  assert.deepEqual(v.notesByGroup.get("g2").map((n) => n.id), ["n2", "n1"]);
  assert.deepEqual(v.notes.find((n) => n.id === "n1").details, { status: "planned", start: "2027-01" });
  // Dropped has no group: the note stays where it is.
  s = addPending(s, { type: "note.update", op_id: "op2", note_id: "n2", details: { status: "dropped" } });
  v = view(s);
  assert.deepEqual(v.notesByGroup.get("g2").map((n) => n.id), ["n2", "n1"]);
});
