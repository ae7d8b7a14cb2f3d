// The console's own state (static/js/console-state.js): several rooms at once, and people drawn
// only from the server's placements.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyPlacements, consoleModel, createConsoleState, peopleHere, peopleIn, LOBBY } from "../../static/js/console-state.js";

function joined() {
  const ack = {
    workshop: {
      id: "w", title: "T", cities: ["Milan"], lobby_code: "L",
      rooms: [{ code: "R1", name: "Room 1" }, { code: "R2", name: "Room 2" }],
      closed_rooms: [{ code: "R0", name: "Old", theme: "" }],
      participants: [
        { id: "p1", name: "Ana", city: "Milan", room: "R1", online: true },
        { id: "p2", name: "Bea", city: "Milan", room: null, online: true },
        { id: "p3", name: "Cem", city: "Milan", room: "R2", online: false },
      ],
    },
    boards: {
      R1: { room: { code: "R1" }, groups: [{ id: "g1", name: "Ideas", position: 0 }], notes: [], seq: 4 },
      R2: { room: { code: "R2" }, groups: [], notes: [], seq: 2 },
    },
  };
  return consoleModel.load(createConsoleState({ key: "k" }), ack);
}
const names = (list) => list.map((p) => p.name);

test("the join snapshot places everyone where the server says", () => {
  const s = joined();
  assert.deepEqual(names(peopleIn(s, LOBBY)), ["Bea"]);
  assert.deepEqual(names(peopleIn(s, "R1")), ["Ana"]);
  assert.deepEqual(names(peopleHere(s, "R2")), []); // Cem's page is closed
  assert.equal(consoleModel.seq(s, "R1"), 4);
});

test("'placed' moves people and nothing else does: calling everyone back empties every room", () => {
  let s = joined();
  s = applyPlacements(s, [
    { id: "p1", name: "Ana", city: "Milan", room: null, online: true },
    { id: "p3", name: "Cem", city: "Milan", room: null, online: true },
  ]);
  assert.deepEqual(names(peopleIn(s, LOBBY)), ["Ana", "Bea", "Cem"]);
  assert.deepEqual(peopleIn(s, "R1"), []);
  assert.deepEqual(peopleIn(s, "R2"), []);
  // A room's ops (even the logged participant.assign) do not move anyone on the console.
  s = consoleModel.apply(s, { seq: 5, room: "R1", type: "participant.assign", participant: { id: "p1", name: "Ana", city: "Milan" }, from_room: null, to_room: "R1" });
  assert.deepEqual(peopleIn(s, "R1"), []);
  assert.equal(consoleModel.seq(s, "R1"), 5);
});

test("a room added elsewhere is new to the console; one closed leaves the grid", () => {
  let s = joined();
  const add = { seq: 1, room: "R3", type: "room.add", created: { code: "R3", name: "Room 3", groups: [] } };
  assert.equal(consoleModel.seq(s, "R3"), null);
  assert.equal(consoleModel.isNew(s, add), true);
  s = consoleModel.apply(s, add);
  assert.deepEqual(s.order, ["R1", "R2", "R3"]);
  s = consoleModel.apply(s, { seq: 5, room: "R1", type: "room.close", state: { closed: true } });
  assert.deepEqual(s.order, ["R2", "R3"]);
  assert.equal(consoleModel.unknownRoom(s, "R1"), false); // closed: nothing to ask
  assert.equal(consoleModel.unknownRoom(s, "R0"), false); // closed before the console opened
  assert.equal(consoleModel.unknownRoom(s, "R9"), true);
});

test("the console sees notes whole in a hidden room, through the same reducer", () => {
  let s = joined();
  s = consoleModel.apply(s, { seq: 5, room: "R1", type: "note.add", note: { id: "n", group_id: "g1", position: 0, text: "hi", author_id: "p1" } });
  s = consoleModel.apply(s, { seq: 6, room: "R1", type: "room.hide", state: { hidden: true } });
  assert.equal(s.rooms.R1.notes[0].text, "hi");
  assert.equal(s.rooms.R1.room.hidden, true);
});

test("a re-join answered per room: rooms caught up by ops keep what the console holds", () => {
  const s = joined();
  assert.deepEqual(consoleModel.since(s), { R1: 4, R2: 2 });
  const again = consoleModel.load(s, {
    workshop: { id: "w", title: "T", cities: ["Milan"], lobby_code: "L",
      rooms: [{ code: "R1", name: "Room 1" }, { code: "R2", name: "Room 2" }], participants: [] },
    boards: { R2: { room: { code: "R2" }, groups: [{ id: "g7", name: "New", position: 0 }], notes: [], seq: 9 } },
    ops: { R1: [] }, catch_up: { R1: "ops", R2: "board" },
  });
  assert.deepEqual(again.rooms.R1.groups.map((g) => g.id), ["g1"]);
  assert.equal(again.rooms.R1.seq, 4);
  assert.deepEqual(again.rooms.R2.groups.map((g) => g.id), ["g7"]);
  assert.equal(again.rooms.R2.seq, 9);
});
