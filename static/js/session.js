// One session with the server, for the room page, the lobby and the console.
//
// - join: with the page's credentials (a room or lobby code with a name and city or a kept token,
//   or the facilitator key), again after every reconnect with `since` (what the page holds), so
//   the server answers only the ops missed when it still has them (`catch_up: "ops"`), else the
//   whole board; answers from an older connection are ignored (`generation`).
// - events that arrive before the join's answer are buffered and applied after its snapshot;
// - each room's ops are applied in seq order; a gap (or a room never seen) asks `sync` for it,
//   page after page while the answer says `more: true`; a sync refused as rate_limited is asked
//   again after a jittered delay; a sync answered with a fresh `board` (too far behind) re-joins;
// - ops this page sends stay pending, with their original op_id, until acknowledged: sent again
//   after every re-join (the server applies each op_id once), kept in localStorage on the room
//   page (the offline queue), dropped when refused.
// - presence and placements go to the page's model.
//
// model (how a page keeps its state; all pure):
//   load(state, ack) -> state after a join acknowledgement
//   rooms(state) -> the room codes to sync after a join
//   seq(state, room) -> the last seq applied for a room, or null for a room this page ignores
//   since?(state) -> the join's `since` once joined: a seq (one room) or {code: seq}
//   apply(state, op) -> state after one op of a room (in seq order)
//   presence?(state, payload), placed?(state, payload) -> state
//   isNew?(state, op): an op that creates a room this page adds (room.add on the console);
//   unknownRoom?(state, code): a room never seen whose log to ask for
// events (effects): joined(ack, first), joinRefused(ack, creds), op(op, live),
//   refused(payload, ack), assigned(payload)

import { createConnection, uuid } from "./connection.js";
import { forgetToken, loadPending, savePending, storeToken } from "./storage.js";
import { addPending, dropPending, markAcked, settlePending } from "./pending.js";
import { joinRetryDelay } from "./backoff.js";
import { language } from "./i18n.js";

const RETRY_MS = 1500;
let joinRetries = 0; // joins refused with rate_limited in a row (backoff.js)
let syncRetries = 0; // syncs refused with rate_limited in a row

/**
 * store: {get, set, batch}. credentials: the join payload's base ({room}, {lobby} or
 * {facilitator_key}). workshopId: where a participant's token is kept. offlineQueue: the room
 * code whose pending ops are kept in localStorage (the room page). connect: the connection
 * factory (connection.js; node tests give a fake server).
 */
export function createSession({ store, model, events, workshopId = null, offlineQueue = null,
  connect = createConnection }) {
  let creds = null;          // the join payload, with the token once we have one
  let joined = false;        // on the current connection
  let generation = 0;        // bumps on every (re)connect: stale answers are ignored
  let early = [];            // ops that arrived before the join's answer
  const syncing = new Map(); // room code -> true, or "again" while a sync runs
  const askedUnknown = new Set(); // rooms this page never saw, synced once
  const answers = new Map(); // op_id -> callback(ack) of the sender
  const known = new Set();   // op_ids this page has had pending (see storage.savePending)
  let savedPending = null;

  const get = store.get;
  const set = (next) => {
    store.set(next);
    if (offlineQueue && next.pending !== savedPending) persist();
  };

  function persist() {
    savedPending = get().pending;
    const payloads = Array.from(savedPending.values(), (entry) => entry.payload);
    payloads.forEach((p) => known.add(p.op_id));
    savePending(offlineQueue, payloads, known);
  }

  const conn = connect({
    onStatus(status) {
      if (status !== "connected") { joined = false; generation++; syncing.clear(); }
      set({ ...get(), connection: status });
    },
    onConnect() {
      generation++;
      joined = false;
      syncing.clear();
      if (creds) join(creds);
    },
    onOp(op) {
      if (joined) receive(op, true);
      else early.push(op);
    },
    onPresence(payload) { if (model.presence) set(model.presence(get(), payload)); },
    onPlaced(payload) { if (model.placed) set(model.placed(get(), payload)); },
    onAssigned: (payload) => events.assigned?.(payload),
  });

  async function join(c) {
    creds = c;
    if (!conn.connected) return; // onConnect joins when the socket is up
    const gen = generation;
    early = [];
    const since = get().joined && model.since ? model.since(get()) : null;
    const ack = await conn.request("join", { ...c, lang: language(), ...(since == null ? {} : { since }) });
    if (gen !== generation) return;
    if (!ack.ok) {
      if (ack.code === "rate_limited") {
        // Too many joins from this address at once (a venue after a blip): try again after a
        // jittered, growing delay, still as the same person, without showing an error.
        const delay = joinRetryDelay(joinRetries++);
        setTimeout(() => { if (gen === generation && creds === c) join(c); }, delay);
        return;
      }
      if (c.token && ack.code === "not_found") {
        forgetToken(workshopId);
        set({ ...get(), pending: new Map() });
      }
      creds = null;
      events.joinRefused?.(ack, c);
      return;
    }
    joinRetries = 0;
    if (ack.participant && workshopId) {
      storeToken(workshopId, ack.participant.token);
      const { name, city, ...rest } = c; // come back as the same person, not a new one
      creds = { ...rest, token: ack.participant.token };
    }
    joined = true;
    askedUnknown.clear();
    const first = !get().joined;
    const queued = early;
    early = [];
    store.batch(() => {
      set(model.load(get(), ack));
      for (const op of caughtUp(ack)) receive(op, false);
      for (const op of queued) receive(op, false);
    });
    events.joined?.(ack, first);
    // Re-send what the server may not have (it applies each op_id once), then catch up.
    for (const { payload } of get().pending.values()) transmit(payload);
    for (const code of model.rooms(get())) requestSync(code);
  }

  /** The ops of a join answered with `catch_up: "ops"`: a list (one room) or {code: list}. */
  function caughtUp(ack) {
    if (Array.isArray(ack.ops)) return ack.ops;
    return Object.values(ack.ops || {}).flat();
  }

  /** Catch a room up: page after page (`more: true`) until the server has no more. */
  async function requestSync(code) {
    if (!joined) return; // the next join syncs
    if (syncing.has(code)) { syncing.set(code, "again"); return; }
    const gen = generation;
    do {
      syncing.set(code, true);
      const since = model.seq(get(), code) || 0;
      const ack = await conn.request("sync", { room: code, since });
      if (gen !== generation) return;
      if (!ack.ok) {
        if (ack.code !== "rate_limited") break;
        // The address's sync budget is spent for now (a venue behind one address): ask again.
        syncing.delete(code);
        setTimeout(() => { if (gen === generation) requestSync(code); }, joinRetryDelay(syncRetries++));
        return;
      }
      syncRetries = 0;
      if (ack.board) {
        syncing.delete(code);
        join(creds); // too far behind: a fresh snapshot (the join's), then a short sync
        return;
      }
      store.batch(() => ack.ops.forEach((op) => receive(op, false)));
      // The next page starts where this one ended (a page that moved nothing on ends it).
      if (ack.more && (model.seq(get(), code) || 0) > since) syncing.set(code, "again");
    } while (syncing.get(code) === "again");
    syncing.delete(code);
  }

  /** Apply a server op (broadcast, ack or sync result) in its room's seq order. */
  function receive(op, live) {
    const state = get();
    const seq = model.seq(state, op.room);
    if (seq == null) {
      // A room this page does not show, or (on the console) one added elsewhere: its log
      // starts with room.add; anything else of it asks once for its log.
      if (model.isNew?.(state, op)) {
        set(model.apply(state, op));
        events.op?.(op, live);
      } else if (model.unknownRoom?.(state, op.room) && !askedUnknown.has(op.room)) {
        askedUnknown.add(op.room);
        requestSync(op.room);
      }
      return;
    }
    if (!(op.seq > seq)) {
      set(dropPending(state, op.op_id)); // already applied, e.g. the ack after its broadcast
      return;
    }
    if (op.seq > seq + 1) {
      set(markAcked(state, op.op_id, op.seq, op.room)); // keep an optimistic change on screen meanwhile
      requestSync(op.room);
      return;
    }
    set(settlePending(model.apply(state, op), op.op_id, op.room, op.seq));
    events.op?.(op, live);
  }

  function transmit(payload) {
    if (!joined || !conn.connected) return; // stays pending; re-sent after the next join
    const gen = generation;
    conn.request("op", payload).then((ack) => { if (gen === generation) onAck(payload, ack); });
  }

  function onAck(payload, ack) {
    if (ack.code === "not_joined") {
      joined = false;
      if (creds) join(creds);
      return;
    }
    const id = payload.op_id;
    const answer = answers.get(id);
    if (!get().pending.has(id) && !answer) return; // settled already (e.g. a closed room)
    if (ack.code === "rate_limited") {
      setTimeout(() => { if (get().pending.has(id)) transmit(payload); }, RETRY_MS);
      return;
    }
    answers.delete(id);
    store.batch(() => {
      if (ack.ok && ack.seq) receive(ack, true); // a fresh answer: a timer's `remaining` is now
      else set(dropPending(get(), id)); // refused, or a workshop op whose events come by broadcast
      if (answer) answer(ack);
      else if (!ack.ok) events.refused?.(payload, ack);
    });
  }

  /**
   * Send an op; it stays pending (and, on the room page, on screen) until acknowledged.
   * onAck(ack) hears the answer. `whenOffline`: false to refuse at once (returns null) instead
   * of queueing while the page is not connected.
   */
  function send(op, { onAck: answer, whenOffline = true } = {}) {
    if (!whenOffline && !(joined && conn.connected)) return null;
    const payload = { ...op, op_id: uuid() };
    if (answer) answers.set(payload.op_id, answer);
    set(addPending(get(), payload));
    transmit(payload);
    return payload;
  }

  /** Ops a previous page load left unacknowledged: re-sent once joined. */
  function restorePending() {
    if (!offlineQueue) return;
    let state = get();
    for (const payload of loadPending(offlineQueue)) state = addPending(state, payload);
    set(state);
  }

  return {
    join,
    send,
    restorePending,
    /** A closed room takes no more ops: forget the waiting ones (here and in storage). */
    clearPending: () => set({ ...get(), pending: new Map() }),
    get connected() { return conn.connected; },
    get joined() { return joined; },
    get creds() { return creds; },
  };
}
