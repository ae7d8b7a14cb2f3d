// The room page: joins, keeps the board state in step with the server, and renders it.
//
// Server ops (broadcasts, acks, sync results) are applied strictly in seq order; a gap triggers
// `sync`. Local changes are optimistic: they sit in state.pending until acknowledged, are re-sent
// with their original op_id after a reconnect, and are rolled back with a message if refused.

import {
  addPending, applyOp, createState, dropPending, errorKey, loadBoard, markAcked, setError, setUi,
} from "./state.js";
import { createConnection, uuid } from "./connection.js";
import { createRenderer } from "./render.js";
import { wireActions } from "./actions.js";
import { focusEl } from "./dom.js";

const ERROR_SECONDS = 20;
const RETRY_MS = 1500;
const root = document.getElementById("room");
const $ = (id) => document.getElementById(id);
const code = root.dataset.roomCode;
const workshopId = root.dataset.workshopId;
const tokenKey = `breakout.token.${workshopId}`;
let cities = [];
try { cities = JSON.parse(root.dataset.cities || "[]"); } catch { cities = []; }

const dom = {
  board: $("board"), groups: $("groups"), boardError: $("board-error"), addGroupError: $("add-group-error"),
  status: $("connection-status"), presence: $("presence"), presenceWrap: $("presence-wrap"),
  presenceCount: $("presence-count"), presenceMore: $("presence-more"),
  axes: Array.from(document.querySelectorAll(".axis")),
  join: $("join"), joinForm: $("join-form"), joinName: $("join-name"), joinCity: $("join-city"),
  joinButton: $("join-button"), joinError: $("join-error"), joinWait: $("join-wait"),
  announcer: $("announcer"),
};

let state = createState({ code, workshopId, cities, template: root.dataset.template });
const renderer = createRenderer(dom);
let batching = 0;

function set(next) {
  state = next;
  if (!batching) renderer.render(state);
}
function batch(fn) {
  batching++;
  try { fn(); } finally { batching--; if (!batching) renderer.render(state); }
}

// ---- token ------------------------------------------------------------------------------------
function readToken() {
  try { return localStorage.getItem(tokenKey); } catch { return null; }
}
function storeToken(token) {
  try { localStorage.setItem(tokenKey, token); } catch { /* private mode: reloads ask again */ }
}
function forgetToken() {
  try { localStorage.removeItem(tokenKey); } catch { /* nothing stored */ }
}

// ---- announcements (polite live region) --------------------------------------------------------
let heard = [];
let announceTimer = 0;
function announce(message) {
  heard.push(message);
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    dom.announcer.textContent = heard.length > 3 ? `${heard.length} new notes` : heard.join(". ");
    heard = [];
  }, 400);
}

// ---- connection and session --------------------------------------------------------------------
let creds = null;          // what to join with: {room, token} once we have a token
let sessionJoined = false; // joined on the current socket connection
let generation = 0;        // bumps on every (re)connect, so stale answers are ignored
let syncing = false;
let syncAgain = false;

const conn = createConnection({
  onStatus(status) {
    if (status !== "connected") { sessionJoined = false; syncing = false; generation++; }
    set({ ...state, connection: status });
  },
  onConnect() {
    generation++;
    sessionJoined = false;
    syncing = false;
    if (creds) join(creds);
  },
  onOp(op) { if (sessionJoined) receive(op, true); },
  onPresence(payload) {
    if (payload.room !== undefined && payload.room !== code) return; // another room's (or the lobby's)
    set({ ...state, presence: payload.participants || [] });
  },
});

async function join(c) {
  if (!conn.connected) return; // onConnect joins when the socket is up
  const gen = generation;
  const ack = await conn.request("join", c);
  if (gen !== generation) return;
  if (!ack.ok) {
    if (c.token && ack.code === "not_found") {
      forgetToken();
      creds = null;
      set({ ...state, joined: false });
      showJoinForm();
    } else if (!state.joined) {
      creds = null;
      showJoinForm(ack.error);
    } else {
      set(setError(state, "board", ack.error));
    }
    return;
  }
  const { participant, board } = ack;
  storeToken(participant.token);
  creds = { room: code, token: participant.token };
  sessionJoined = true;
  const first = !state.joined;
  if (first || board.seq < state.seq) {
    // First join, or the server lost history we had: its snapshot is the truth.
    set(loadBoard(first ? state : { ...state, pending: new Map() }, participant, board));
    if (first) showBoard();
  } else {
    const me = { id: participant.id, name: participant.name, city: participant.city };
    set(setError({ ...state, me, room: { ...state.room, ...board.room } }, "board", null));
  }
  showRoomInfo();
  // Re-send what the server may not have (it applies each op_id once), then catch up.
  for (const { payload } of state.pending.values()) transmit(payload);
  requestSync();
}

async function requestSync() {
  if (!sessionJoined) return; // the next join syncs
  if (syncing) { syncAgain = true; return; }
  syncing = true;
  const gen = generation;
  do {
    syncAgain = false;
    const ack = await conn.request("sync", { since: state.seq });
    if (gen !== generation) return;
    if (!ack.ok) break;
    let fromOthers = 0;
    batch(() => ack.ops.forEach((op) => { if (receive(op, false)) fromOthers++; }));
    if (fromOthers) announce(fromOthers === 1 ? "1 new note" : `${fromOthers} new notes`);
  } while (syncAgain);
  syncing = false;
}

/** Apply a server op in seq order. Returns true when it was a new note from someone else. */
function receive(op, live) {
  if (op.room && op.room !== code) return false;
  if (!(op.seq > state.seq)) {
    set(dropPending(state, op.op_id)); // already applied, e.g. the ack after its broadcast
    return false;
  }
  if (op.seq > state.seq + 1) {
    set(markAcked(state, op.op_id, op.seq)); // keep our optimistic change on screen meanwhile
    requestSync();
    return false;
  }
  set(tidyUi(applyOp(state, op)));
  if (op.state) showRoomInfo();
  const fromOther = op.type === "note.add" && op.actor && state.me && op.actor.id !== state.me.id;
  if (fromOther && live) announce(`New note from ${op.actor.name} (${op.actor.city})`);
  return Boolean(fromOther);
}

/** Close editors and confirmations whose note or group is gone. */
function tidyUi(s) {
  const note = (id) => id && s.notes.some((n) => n.id === id);
  const group = (id) => id && s.groups.some((g) => g.id === id);
  const { editing, confirmDelete, renaming, confirmGroupDelete } = s.ui;
  if ((editing && !note(editing)) || (confirmDelete && !note(confirmDelete))
      || (renaming && !group(renaming)) || (confirmGroupDelete && !group(confirmGroupDelete))) {
    return setUi(s, {
      editing: note(editing) ? editing : null,
      confirmDelete: note(confirmDelete) ? confirmDelete : null,
      renaming: group(renaming) ? renaming : null,
      confirmGroupDelete: group(confirmGroupDelete) ? confirmGroupDelete : null,
    });
  }
  return s;
}

// ---- sending ops --------------------------------------------------------------------------------
function transmit(payload) {
  if (!sessionJoined || !conn.connected) return; // stays pending; re-sent after the next join
  const gen = generation;
  conn.request("op", payload).then((ack) => { if (gen === generation) onAck(payload, ack); });
}

function onAck(payload, ack) {
  if (ack.ok) {
    receive(ack, false);
    return;
  }
  if (ack.code === "not_joined") {
    sessionJoined = false;
    if (creds) join(creds);
    return;
  }
  if (ack.code === "rate_limited" && state.pending.has(payload.op_id)) {
    setTimeout(() => { if (state.pending.has(payload.op_id)) transmit(payload); }, RETRY_MS);
    return;
  }
  if (!state.pending.has(payload.op_id)) return;
  const key = errorKey(payload);
  const message = ack.error || "That did not work. Please try again.";
  set(setError(dropPending(state, payload.op_id), key, message));
  if (payload.type === "note.add") restoreDraft(payload);
  // The message stays long enough to read slowly, then goes away by itself.
  setTimeout(() => {
    if (state.ui.errors[key] === message) set(setError(state, key, null));
  }, ERROR_SECONDS * 1000);
}

/** A refused new note: give the words back to its composer so nothing typed is lost. */
function restoreDraft(payload) {
  const parts = renderer.groupParts(payload.group_id);
  if (parts && !parts.composer.value.trim()) parts.composer.value = payload.text;
}

/** Send an op: optimistic at once, pending until acknowledged. */
function send(op) {
  const payload = { ...op, op_id: uuid() };
  set(setError(addPending(state, payload), errorKey(payload), null));
  transmit(payload);
  return payload;
}

// ---- join form and page ------------------------------------------------------------------------
function showJoinForm(error) {
  dom.join.hidden = false;
  dom.joinForm.hidden = false;
  dom.joinWait.hidden = true;
  dom.board.hidden = true;
  dom.board.dataset.state = "loading";
  dom.joinButton.disabled = false;
  dom.joinButton.textContent = "Join";
  dom.joinError.textContent = error || "";
  dom.joinError.hidden = !error;
  if (error || !dom.joinName.value) dom.joinName.focus();
}

function showBoard() {
  dom.join.hidden = true;
  dom.board.hidden = false;
  // On a laptop, put the cursor where notes are written; on a phone, don't pop up the keyboard.
  if (window.matchMedia("(pointer: fine)").matches) {
    focusEl(dom.board.querySelector("textarea.composer:not(:disabled)"));
  }
}

function showRoomInfo() {
  const { name, theme, workshop } = state.room;
  if (name) $("room-name").textContent = name;
  if (theme) $("room-theme").textContent = theme;
  if (workshop && workshop.title) $("workshop-title").textContent = workshop.title;
}

dom.joinForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const name = dom.joinName.value.trim();
  const city = dom.joinCity.value;
  let error = "";
  if (!name) error = "Please type your name.";
  else if (!city) error = "Please choose your city.";
  dom.joinError.textContent = error;
  dom.joinError.hidden = !error;
  if (error) {
    (name ? dom.joinCity : dom.joinName).focus();
    return;
  }
  creds = { room: code, name, city };
  dom.joinButton.disabled = true;
  dom.joinButton.textContent = conn.connected ? "Joining…" : "Waiting for connection…";
  join(creds);
});

// Start: with a remembered token we join straight away; otherwise the form asks.
const token = readToken();
if (token) {
  creds = { room: code, token };
  dom.joinForm.hidden = true;
  dom.joinWait.hidden = false;
} else {
  showJoinForm();
}
if (cities.length === 1) dom.joinCity.value = cities[0];

wireActions({
  board: dom.board,
  renderer,
  getState: () => state,
  setState: set,
  send,
});
renderer.render(state);
