// The shared session (static/js/session.js) against a fake server: how it catches a room up.
import { test, mock } from "node:test";
import assert from "node:assert/strict";

// session.js imports connection.js and i18n.js, which read the page at load time.
globalThis.document = { body: { dataset: {} }, getElementById: () => null };
const { createSession } = await import("../../static/js/session.js");
const { createState, roomModel } = await import("../../static/js/state.js");

const ROOM = "R1";

function note(seq) {
  return { seq, room: ROOM, op_id: `op${seq}`, type: "note.add", actor: { id: "bea" },
    note: { id: `n${seq}`, group_id: "g1", position: seq - 1, text: `note ${seq}`, author_id: "bea" } };
}

/**
 * A fake server whose room log holds `total` notes; the join answers an empty board at seq 0.
 * `page`: ops per sync answer; `refuse(n)`: answer the n-th sync (0, 1...) with rate_limited;
 * `board(n)`: answer the n-th sync with a fresh board instead.
 */
function fakeServer({ total, page = 200, refuse = () => false, board = () => false }) {
  const log = Array.from({ length: total }, (_, i) => note(i + 1));
  const server = { syncs: [], joins: 0 };
  server.connect = () => ({
    connected: true,
    request(event, payload) {
      if (event === "join") {
        server.joins += 1;
        return Promise.resolve({ ok: true, participant: { id: "ana", name: "Ana", city: "Milan", token: "t" },
          catch_up: "board", board: { room: { code: ROOM, name: "Room 1" },
            groups: [{ id: "g1", name: "Ideas", position: 0 }], notes: [], seq: 0, my_votes: [] } });
      }
      if (event !== "sync") return Promise.resolve({ ok: false, code: "invalid" });
      const n = server.syncs.length;
      server.syncs.push(payload.since);
      if (refuse(n)) return Promise.resolve({ ok: false, code: "rate_limited", error: "Too fast" });
      if (board(n)) {
        return Promise.resolve({ ok: true, ops: [], more: false, board: { seq: total } });
      }
      const after = log.filter((op) => op.seq > payload.since);
      return Promise.resolve({ ok: true, ops: after.slice(0, page), more: after.length > page });
    },
  });
  return server;
}

function session(server) {
  let state = createState({ code: ROOM, workshopId: "w" });
  const store = { get: () => state, set: (next) => { state = next; }, batch: (fn) => fn() };
  const s = createSession({ store, model: roomModel(ROOM), events: {}, connect: server.connect });
  return { s, state: () => state };
}

async function settle(ms = 0) {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  if (ms) {
    mock.timers.tick(ms);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

test("a sync answered with more: true is asked again, page after page, until caught up", async () => {
  const server = fakeServer({ total: 11, page: 4 });
  const { s, state } = session(server);
  s.join({ room: ROOM, token: "t" });
  await settle();
  assert.deepEqual(server.syncs, [0, 4, 8]);
  assert.equal(state().seq, 11);
  assert.equal(state().notes.length, 11);
});

test("one page that is the whole log is asked once", async () => {
  const server = fakeServer({ total: 3, page: 4 });
  const { s, state } = session(server);
  s.join({ room: ROOM, token: "t" });
  await settle();
  assert.deepEqual(server.syncs, [0]);
  assert.equal(state().seq, 3);
});

test("a sync refused as rate_limited is asked again after a jittered delay, and goes on paging", async () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const server = fakeServer({ total: 6, page: 4, refuse: (n) => n === 1 });
    const { s, state } = session(server);
    s.join({ room: ROOM, token: "t" });
    await settle();
    assert.deepEqual(server.syncs, [0, 4]); // the second page was refused
    assert.equal(state().seq, 4);
    await settle(1600); // the first retry comes within 0.5 to 1.5 s
    assert.deepEqual(server.syncs, [0, 4, 4]);
    assert.equal(state().seq, 6);
  } finally {
    mock.timers.reset();
  }
});

test("a sync answered with a fresh board (too far behind) re-joins for it", async () => {
  const server = fakeServer({ total: 5, page: 4, board: (n) => n === 1 });
  const { s, state } = session(server);
  s.join({ room: ROOM, token: "t" });
  await settle();
  assert.equal(server.joins, 2);
  // The fake's join answers an empty board at seq 0 again; the sync after it catches up.
  assert.deepEqual(server.syncs, [0, 4, 0, 4]);
  assert.equal(state().seq, 5);
});
