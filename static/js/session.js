// Keeps a room's board in step with the server: join, ops in seq order, `sync` on a gap or after a
// reconnect. Local ops are optimistic: pending (in memory and localStorage) until acknowledged,
// re-sent with their op_id after every (re)join (applied once), rolled back if refused.

import { addPending, applyOp, dropPending, errorKey, loadBoard, markAcked, setError } from "./state.js";
import { createConnection, uuid } from "./connection.js";
import { forgetToken, loadPending, savePending, storeToken } from "./storage.js";

const RETRY_MS = 1500;
const ERROR_SECONDS = 20;
const SNAPSHOT_AFTER = 500; // more missed ops than this: a fresh snapshot beats replaying them

/** store: {get, set, batch}. events: joined, joinRefused, op(op, live), refused, presence, assigned. */
export function createSession({ code, workshopId, store, events }) {
  let creds = null;          // {room, token} once we have a token
  let joined = false;        // on the current connection
  let generation = 0;        // bumps on every (re)connect: stale answers are ignored
  let syncing = false;
  let syncAgain = false;
  const known = new Set();   // op_ids this page has had pending (see storage.savePending)
  let savedPending = null;

  const get = store.get;
  const set = (next) => {
    store.set(next);
    if (next.pending !== savedPending) persist();
  };

  function persist() {
    savedPending = get().pending;
    const payloads = Array.from(savedPending.values(), (entry) => entry.payload);
    payloads.forEach((p) => known.add(p.op_id));
    savePending(code, payloads, known);
  }

  const conn = createConnection({
    onStatus(status) {
      if (status !== "connected") { joined = false; syncing = false; generation++; }
      set({ ...get(), connection: status });
    },
    onConnect() {
      generation++;
      joined = false;
      syncing = false;
      if (creds) join(creds);
    },
    onOp(op) { if (joined) receive(op, true); },
    onPresence: (payload) => events.presence(payload),
    onAssigned: (payload) => events.assigned(payload),
  });

  async function join(c) {
    creds = c;
    if (!conn.connected) return; // onConnect joins when the socket is up
    const gen = generation;
    const ack = await conn.request("join", c);
    if (gen !== generation) return;
    if (!ack.ok) {
      if (c.token && ack.code === "not_found") {
        forgetToken(workshopId);
        set({ ...get(), pending: new Map() });
      }
      creds = null;
      events.joinRefused(ack, c);
      return;
    }
    const { participant, board } = ack;
    storeToken(workshopId, participant.token);
    creds = { room: code, token: participant.token };
    joined = true;
    const state = get();
    const first = !state.joined;
    if (first || board.seq < state.seq || board.seq - state.seq > SNAPSHOT_AFTER) {
      // First join, many missed ops, or the server lost history: its snapshot is the truth.
      set(loadBoard(state, participant, board));
    } else {
      const me = { id: participant.id, name: participant.name, city: participant.city };
      set(setError({ ...state, me }, "board", null));
    }
    events.joined(ack, first);
    // Re-send what the server may not have (it applies each op_id once), then catch up.
    for (const { payload } of get().pending.values()) transmit(payload);
    requestSync();
  }

  async function requestSync() {
    if (!joined) return; // the next join syncs
    if (syncing) { syncAgain = true; return; }
    syncing = true;
    const gen = generation;
    do {
      syncAgain = false;
      const ack = await conn.request("sync", { since: get().seq });
      if (gen !== generation) return;
      if (!ack.ok) break;
      if (ack.ops.length > SNAPSHOT_AFTER) {
        syncing = false;
        join(creds); // a fresh snapshot, then a short sync
        return;
      }
      store.batch(() => ack.ops.forEach((op) => receive(op, false)));
    } while (syncAgain);
    syncing = false;
  }

  /** Apply a server op (broadcast, ack or sync result) in seq order. */
  function receive(op, live) {
    // Hidden rooms' events come on my personal channel, which my tabs in other rooms hear too.
    if (op.room && op.room !== code) return;
    const state = get();
    if (!(op.seq > state.seq)) {
      set(dropPending(state, op.op_id)); // already applied, e.g. the ack after its broadcast
      return;
    }
    if (op.seq > state.seq + 1) {
      set(markAcked(state, op.op_id, op.seq)); // keep our optimistic change on screen meanwhile
      requestSync();
      return;
    }
    set(applyOp(state, op));
    events.op(op, live);
  }

  function transmit(payload) {
    if (!joined || !conn.connected) return; // stays pending; re-sent after the next join
    const gen = generation;
    conn.request("op", payload).then((ack) => { if (gen === generation) onAck(payload, ack); });
  }

  function onAck(payload, ack) {
    if (ack.ok) {
      receive(ack, false);
      return;
    }
    if (ack.code === "not_joined") {
      joined = false;
      if (creds) join(creds);
      return;
    }
    if (ack.code === "rate_limited" && get().pending.has(payload.op_id)) {
      setTimeout(() => { if (get().pending.has(payload.op_id)) transmit(payload); }, RETRY_MS);
      return;
    }
    if (!get().pending.has(payload.op_id)) return;
    const key = errorKey(payload);
    const message = events.refused(payload, ack) || ack.error || "That did not work. Please try again.";
    set(setError(dropPending(get(), payload.op_id), key, message));
    setTimeout(() => {
      if (get().ui.errors[key] === message) set(setError(get(), key, null));
    }, ERROR_SECONDS * 1000);
  }

  /** Send an op: optimistic at once, pending until acknowledged. */
  function send(op) {
    const payload = { ...op, op_id: uuid() };
    set(setError(addPending(get(), payload), errorKey(payload), null));
    transmit(payload);
    return payload;
  }

  /** Ops a previous page load left unacknowledged: re-sent once joined. */
  function restorePending() {
    let state = get();
    for (const payload of loadPending(code)) state = addPending(state, payload);
    set(state);
  }

  return {
    join,
    send,
    restorePending,
    /** A closed room takes no more ops: forget the waiting ones (here and in storage). */
    clearPending: () => set({ ...get(), pending: new Map() }),
    get connected() { return conn.connected; },
    get creds() { return creds; },
  };
}
