// The facilitator console: joins with the key in the page's URL, keeps one state for every room
// of the workshop in step with the server, and renders it.
//
// Each room's ops (broadcasts, acks, sync results) are applied strictly in that room's seq order;
// a gap, or a room never seen, triggers `sync` for that room. The facilitator's changes are not
// optimistic: the control waits ("busy") for the server's answer, and a refusal is shown in plain
// words next to where it happened.

import { createConnection, uuid } from "./connection.js";
import {
  addRoom, applyAssignments, applyOp, applyPresence, createConsoleState, loadWorkshop, replaceNote,
  setBusy, setError, setNote, tidyUi,
} from "./console-state.js";
import { createRenderer } from "./console-render.js";
import { wireActions } from "./console-actions.js";

const ERROR_SECONDS = 20;
const NOTE_SECONDS = 8;
const OFFLINE = "You are not connected, so nothing was changed. Try again when the console says Connected.";
const $ = (id) => document.getElementById(id);
const root = $("console");
let cities = [];
try { cities = JSON.parse(root.dataset.cities || "[]"); } catch { cities = []; }
const roomUrl = (code) => root.dataset.roomUrl.replace("ROOMCODE", encodeURIComponent(code));

const dom = {
  root, roomUrl,
  grid: $("room-grid"), status: $("connection-status"), title: $("workshop-title"), summary: $("people-summary"),
  places: $("places"), peopleCount: $("people-count"), recallConfirm: $("recall-confirm"),
  roomLinks: $("room-links"), created: $("room-created"), addRoomForm: $("add-room-form"),
  addRoomToggles: Array.from(root.querySelectorAll('[data-action="add-room-toggle"]')),
  allButtons: Array.from(root.querySelectorAll('[data-action="all"], [data-action="all-timer-menu"], .broadcast-form button, #all-timer-form button[type="submit"]')),
  distribute: Array.from(root.querySelectorAll('[data-action="distribute"], [data-action="recall"]')),
  errorSlots: () => root.querySelectorAll("[data-error]"),
  flashSlots: () => root.querySelectorAll("[data-flash]"),
};

let state = createConsoleState({ key: root.dataset.key, cities });
const renderer = createRenderer(dom);
let batching = 0;

function render() {
  const active = document.activeElement;
  renderer.render(state, Date.now());
  // Re-ordering detaches nodes, which drops focus: give it back.
  if (active && active !== document.body && active.isConnected && document.activeElement !== active) {
    active.focus({ preventScroll: true });
  }
}
function set(next) {
  state = next;
  if (!batching) render();
}
function batch(fn) {
  batching++;
  try { fn(); } finally { batching--; if (!batching) render(); }
}

// Messages go away by themselves, once they have had time to be read.
function flash(kind, key, message, seconds) {
  set(kind === "error" ? setError(state, key, message) : setNote(state, key, message));
  if (!message) return;
  setTimeout(() => {
    const map = kind === "error" ? state.errors : state.done;
    if (map[key] === message) set(kind === "error" ? setError(state, key, null) : setNote(state, key, null));
  }, seconds * 1000);
}
const flashError = (key, message) => flash("error", key, message, ERROR_SECONDS);
const flashOk = (key, message) => flash("ok", key, message, NOTE_SECONDS);

// ---- connection ----------------------------------------------------------------------------
let sessionJoined = false; // joined on the current socket connection
let generation = 0;        // bumps on every (re)connect, so stale answers are ignored
let early = [];            // ops that arrived between joining and the join's answer
const syncing = new Map(); // room code -> "again" | true while a sync runs

const conn = createConnection({
  onStatus(status) {
    if (status !== "connected") {
      sessionJoined = false;
      generation++;
      // Answers lost with the connection never come: nothing is waiting any more.
      set({ ...state, busy: {}, connection: status });
      return;
    }
    set({ ...state, connection: status });
  },
  onConnect() {
    generation++;
    sessionJoined = false;
    syncing.clear();
    join();
  },
  onOp(op) {
    if (sessionJoined) receive(op, true);
    else early.push(op);
  },
  onPresence(payload) {
    if (sessionJoined) set(applyPresence(state, payload));
  },
});

async function join() {
  if (!conn.connected) return;
  const gen = generation;
  early = [];
  const ack = await conn.request("join", { facilitator_key: state.key });
  if (gen !== generation) return;
  if (!ack.ok) {
    flash("error", "console", ack.error || "The console could not join the workshop. Reload the page to try again.", 3600);
    return;
  }
  sessionJoined = true;
  const queued = early;
  early = [];
  batch(() => {
    set({ ...loadWorkshop(state, ack, Date.now()), errors: {}, busy: {} });
    for (const op of queued) receive(op, false);
    set(tidyUi(state));
  });
  // Anything committed between the snapshot and our subscription arrives by sync.
  for (const code of state.order) requestSync(code);
}

const unknownSynced = new Set(); // rooms not in our snapshot that we already asked about

async function requestSync(code) {
  if (!sessionJoined) return;
  if (!state.rooms[code]) {
    // A room we never saw (added elsewhere): its log starts with room.add. Ask once only.
    if (unknownSynced.has(code)) return;
    unknownSynced.add(code);
  }
  if (syncing.has(code)) { syncing.set(code, "again"); return; }
  syncing.set(code, true);
  const gen = generation;
  do {
    syncing.set(code, true);
    const since = state.rooms[code] ? state.rooms[code].seq : 0;
    const ack = await conn.request("sync", { room: code, since });
    if (gen !== generation) return;
    if (!ack.ok) break;
    batch(() => ack.ops.forEach((op) => receive(op, false)));
  } while (syncing.get(code) === "again");
  syncing.delete(code);
}

/** Apply one room's op in seq order; sync that room first when something is missing. */
function receive(op, live) {
  const result = applyOp(state, op, Date.now(), live);
  if (result.gap) {
    requestSync(result.gap);
    return;
  }
  if (result.state !== state) set(tidyUi(result.state));
}

/**
 * Send a facilitator op. `place` names where its refusal shows; the control is busy until the
 * server answers. onOk(ack) runs after the ack is applied.
 */
function send(op, place, { onOk } = {}) {
  if (!sessionJoined || !conn.connected) {
    flashError(place, OFFLINE);
    return;
  }
  const payload = { ...op, op_id: uuid() };
  const gen = generation;
  set(setError(setNote(setBusy(state, place, true), place, null), place, null));
  conn.request("op", payload).then((ack) => {
    if (gen !== generation) return;
    batch(() => {
      set(setBusy(state, place, false));
      if (!ack.ok) {
        if (ack.note) set(replaceNote(state, ack.note));
        flashError(place, ack.error || "That did not work. Please try again.");
        if (ack.code === "not_joined") join();
        return;
      }
      if (ack.room && ack.seq) receive(ack, true);
      if (ack.created) set(addRoom(state, ack.created, ack.rooms && ack.rooms[ack.created.code], Date.now()));
      if (ack.assignments) set(applyAssignments(state, ack.assignments));
      if (onOk) onOk(ack);
    });
  });
}

wireActions({ root, grid: dom.grid, roomUrl, getState: () => state, set, send, flashOk, flashError, renderer });

// Timers count down on screen; each room's end time comes from the server's `remaining`.
const timeUp = new Set();
setInterval(() => {
  if (!state.joined) return;
  const now = Date.now();
  renderer.tick(state, now);
  for (const code of state.order) {
    const { room } = state.rooms[code];
    if (!room.timer || room.timerEnd > now || timeUp.has(room.timer.deadline)) continue;
    timeUp.add(room.timer.deadline);
    if (now - room.timerEnd < 5000) $("announcer").textContent = `Time is up in ${room.name}.`;
  }
}, 250);
render();
