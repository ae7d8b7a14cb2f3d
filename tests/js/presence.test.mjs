// The page's presence list (static/js/presence.js): the join answer's full list, then changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyPresence, presenceOnJoin } from "../../static/js/presence.js";

const ana = { id: "a", name: "Ana", city: "Milan" };
const bo = { id: "b", name: "Bo", city: "Nantes" };
const cy = { id: "c", name: "cy", city: "Łódź" };

test("the join answer gives the full list, sorted by name", () => {
  const ack = { presence: { room: "R1", participants: [cy, ana] } };
  assert.deepEqual(presenceOnJoin(ack, "R1"), [ana, cy]);
  assert.deepEqual(presenceOnJoin({}, "R1", [bo]), [bo], "no list: keep what we had");
  assert.deepEqual(presenceOnJoin(ack, "R2", [bo]), [bo], "another place's list");
});

test("changes add and remove people, each once, and ignore other places", () => {
  let list = [ana];
  list = applyPresence(list, { room: "R1", joined: [bo, cy], left: [] }, "R1");
  assert.deepEqual(list.map((p) => p.name), ["Ana", "Bo", "cy"]);
  list = applyPresence(list, { room: "R1", joined: [bo], left: [ana] }, "R1");
  assert.deepEqual(list.map((p) => p.name), ["Bo", "cy"], "a repeated arrival counts once");
  assert.equal(applyPresence(list, { room: "R2", joined: [ana], left: [bo] }, "R1"), list);
  list = applyPresence(list, { room: null, joined: [ana], left: [] }, null);
  assert.deepEqual(list.map((p) => p.name), ["Ana", "Bo", "cy"], "the lobby is the place null");
});
