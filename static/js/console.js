// The facilitator console: joins with the key in the page's URL, keeps one state for every room
// of the workshop in step with the server, and renders it.
//
// Each room's ops (broadcasts, acks, sync results) are applied strictly in that room's seq order;
// a gap, or a room never seen, triggers `sync` for that room. The facilitator's changes are not
// optimistic: the control waits ("busy") for the server's answer, and a refusal is shown in plain
// words next to where it happened.

import { createSession } from "./session.js";
import {
  addRoom, consoleModel, createConsoleState, replaceNote, setBusy, setError, setNote,
} from "./console-state.js";
import { createRenderer } from "./console-render.js";
import { wireActions } from "./console-actions.js";
import { observeTimer, timerEnd } from "./timer-clock.js";
import { createSpotlightBar } from "./console-spotlight.js";
import { setPhotoCredentials } from "./photos.js";
import { t } from "./i18n.js";

const ERROR_SECONDS = 20;
const NOTE_SECONDS = 8;
const OFFLINE = t("You are not connected, so nothing was changed. Try again when the console says Connected.");
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

// Right after creation the page says to bookmark it; its address loses ?created, so a
// bookmark or a reload is the plain link.
const address = new URL(window.location.href);
if (address.searchParams.has("created")) {
  address.searchParams.delete("created");
  window.history.replaceState(null, "", address.pathname + address.search + address.hash);
}

let state = createConsoleState({ key: root.dataset.key, cities });
const renderer = createRenderer(dom);
const spotlightBar = createSpotlightBar(dom.grid);
setPhotoCredentials({ key: state.key });
let batching = 0;

function render() {
  const active = document.activeElement;
  renderer.render(state, Date.now());
  spotlightBar.render(state);
  // Re-ordering detaches nodes, which drops focus: give it back (unless the render moved it on
  // on purpose, e.g. into a form it opened).
  const lost = !document.activeElement || document.activeElement === document.body;
  if (active && active !== document.body && active.isConnected && lost) {
    active.focus({ preventScroll: true });
  }
}
document.addEventListener("menuclose", () => queueMicrotask(render));
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

// ---- the session: one per console, every room of the workshop -------------------------------
const session = createSession({
  store: { get: () => state, set, batch },
  model: consoleModel,
  events: {
    joined(ack) {
      for (const board of Object.values(ack.boards || {})) observeTimer(board.room && board.room.timer);
    },
    joinRefused(ack) {
      flash("error", "console", ack.error || t("The console could not join the workshop. Reload the page to try again."), 3600);
    },
    op(op, live) {
      if (live && op.state) observeTimer(op.state.timer);
    },
  },
});
session.join({ facilitator_key: state.key });

/**
 * Send a facilitator op. `place` names where its refusal shows; the control is busy until the
 * server answers (after a reconnect, the op is sent again with its op_id). onOk(ack) runs after
 * the ack is applied.
 */
function send(op, place, { onOk } = {}) {
  set(setError(setNote(setBusy(state, place, true), place, null), place, null));
  const sent = session.send(op, {
    whenOffline: false,
    onAck(ack) {
      set(setBusy(state, place, false));
      if (!ack.ok) {
        if (ack.note) set(replaceNote(state, ack.note));
        flashError(place, ack.error || t("That did not work. Please try again."));
        return;
      }
      if (ack.created) set(addRoom(state, ack.created, ack.rooms && ack.rooms[ack.created.code]));
      if (onOk) onOk(ack);
    },
  });
  if (!sent) {
    set(setBusy(state, place, false));
    flashError(place, OFFLINE);
  }
}

wireActions({ root, grid: dom.grid, roomUrl, getState: () => state, set, send, flashOk, flashError, renderer });

// Timers count down on screen (timer-clock.js); a room whose time is up is announced once.
const timeUp = new Set();
setInterval(() => {
  if (!state.joined) return;
  const now = Date.now();
  renderer.tick(state, now);
  for (const code of state.order) {
    const { room } = state.rooms[code];
    if (!room.timer || timerEnd(room.timer) > now || timeUp.has(room.timer.deadline)) continue;
    timeUp.add(room.timer.deadline);
    if (now - timerEnd(room.timer) < 5000) $("announcer").textContent = t("Time's up in %(room)s.", { room: room.name });
  }
}, 250);
render();
