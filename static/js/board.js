// The room page: join form, then the board (kept in step by session.js, rendered from the one
// state), and what the facilitator does: room state, messages, moving people between rooms.

import { createState, errorKey, roomModel, setError, setUi, votesLeft } from "./state.js";
import { createSession } from "./session.js";
import { reduceBoard } from "./board-state.js";
import { createRenderer } from "./render.js";
import { createHeader, LOCKED, PRIVATE, votesRule, wireExportMenu } from "./header.js";
import { observeTimer, TIME_UP } from "./timer-clock.js";
import { wireActions } from "./actions.js";
import { fillIcons, focusEl } from "./dom.js";
import { readToken } from "./storage.js";
import { createJoinForm } from "./join-form.js";
import { ROOT } from "./connection.js";
import { createSpotlight, setPhotoCredentials } from "./photos.js";
import { t, tn } from "./i18n.js";

const root = document.getElementById("room");
const $ = (id) => document.getElementById(id);
const code = root.dataset.roomCode;
const workshopId = root.dataset.workshopId;
let cities = [];
try { cities = JSON.parse(root.dataset.cities || "[]"); } catch { cities = []; }
const CLOSED_LEAVE_MS = 4000;
const ERROR_SECONDS = 20;

const dom = {
  board: $("board"), groups: $("groups"), boardError: $("board-error"), addGroupError: $("add-group-error"),
  addGroupForm: document.querySelector(".add-group-form"),
  status: $("connection-status"), presence: $("presence"), presenceWrap: $("presence-wrap"),
  presenceCount: $("presence-count"), presenceMore: $("presence-more"),
  axes: Array.from(document.querySelectorAll(".axis")),
  join: $("join"), joinForm: $("join-form"), joinName: $("join-name"), joinCity: $("join-city"),
  joinButton: $("join-button"), joinError: $("join-error"), joinWait: $("join-wait"),
  closed: $("closed"), lobbyLink: $("lobby-link"), announcer: $("announcer"),
};
fillIcons(document.querySelector(".room-header"));
const header = createHeader({
  notice: $("board-notice"), timer: $("timer"), timerText: $("timer-text"), lockState: $("lock-state"), hiddenState: $("hidden-state"),
  votesLeft: $("votes-left"), votesText: $("votes-left-text"), votesRule: $("votes-rule"), roomStatus: $("room-status"),
  banner: $("banner"), bannerText: $("banner-text"), exportLinks: $("export-links"), exportHidden: $("export-hidden"),
}, { onTimeUp: () => announce(TIME_UP) });

let state = createState({ code, workshopId, cities, template: root.dataset.template });
const renderer = createRenderer(dom);
let batching = 0;

let myToken = null; // this participant's token: photos go up and come down with it
// The note the facilitator shows to everyone; closing it hides it here until the next show.
const spotlight = createSpotlight({
  onClose: () => set(setUi(state, { spotlightClosed: state.spotlight && state.spotlight.seq })),
});

function render() {
  const v = renderer.render(state);
  header.render(state, v ? votesLeft(state, v) : null);
  const shown = state.joined ? state.spotlight : null;
  spotlight.render(shown, Boolean(shown) && state.ui.spotlightClosed !== shown.seq);
}
function set(next) {
  state = tidyUi(next);
  if (!batching) render();
}
function batch(fn) {
  batching++;
  try { fn(); } finally { batching--; if (!batching) render(); }
}

/** Close editors and confirmations whose note or group is gone, or that a lock forbids. */
function tidyUi(s) {
  const keep = (id, list) => (id && !s.room.locked && s[list].some((x) => x.id === id) ? id : null);
  const { editing, confirmDelete, renaming, confirmGroupDelete } = s.ui;
  const next = { editing: keep(editing, "notes"), confirmDelete: keep(confirmDelete, "notes"),
    renaming: keep(renaming, "groups"), confirmGroupDelete: keep(confirmGroupDelete, "groups") };
  return Object.keys(next).every((k) => next[k] === s.ui[k]) ? s : setUi(s, next);
}

// ---- announcements (polite live region)
let heard = [];
let announceTimer = 0;
/** kind "note": others' new notes, summed up when many arrive at once. */
function announce(message, kind = "other") {
  heard.push({ message, kind });
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    const notes = heard.filter((m) => m.kind === "note").map((m) => m.message);
    const other = heard.filter((m) => m.kind !== "note").map((m) => m.message);
    const many = tn("%(num)s new note", "%(num)s new notes", notes.length);
    const said = other.concat(notes.length > 3 ? [many] : notes);
    dom.announcer.textContent = said.map((m) => (/[.!?…]$/.test(m) ? m : `${m}.`)).join(" ");
    heard = [];
  }, 400);
}

/** What a screen reader hears when someone else moves a note: who, which note, where to. */
function moveSaid(op) {
  const who = op.actor.city ? `${op.actor.name} (${op.actor.city})` : t("The facilitator");
  const short = op.note?.text && (op.note.text.length > 60 ? `${op.note.text.slice(0, 59)}…` : op.note.text);
  const note = short ? t("“%(text)s”", { text: short }) : t("a note");
  if (op.to_room && op.to_room !== code) return t("%(who)s moved %(note)s to another room.", { who, note });
  const group = state.groups.find((g) => g.id === op.note?.group_id);
  const from = op.to_room && op.from_room && op.from_room !== code;
  if (from && group) return t("%(who)s moved %(note)s here from another room to %(group)s.", { who, note, group: group.name });
  if (from) return t("%(who)s moved %(note)s here from another room.", { who, note });
  if (group) return t("%(who)s moved %(note)s to %(group)s.", { who, note, group: group.name });
  return t("%(who)s moved %(note)s.", { who, note });
}

const SAYS = {
  "room.lock": LOCKED,
  "room.unlock": t("The board is open again."),
  "room.hide": PRIVATE,
  "room.reveal": t("All notes are shown."),
  "voting.close": t("Voting is closed."),
  "timer.stop": t("The timer was stopped."),
};

// ---- the session's events
const session = createSession({
  workshopId,
  offlineQueue: code,
  store: { get: () => state, set, batch },
  model: roomModel(code),
  events: {
    joined(ack, first) {
      myToken = ack.participant.token;
      setPhotoCredentials({ token: myToken });
      // A re-join caught up by ops has no board: the replayed ops set the timer.
      observeTimer(ack.board ? ack.board.room.timer : state.room.timer);
      if (first) showBoard();
      showRoomInfo();
    },
    joinRefused(ack, creds) {
      if (ack.code === "placed") goPlaced(ack);
      else if (ack.code === "closed") showClosed();
      else if (creds.token && (ack.code === "rate_limited" || ack.code === "server_error")) {
        setTimeout(() => session.join(creds), 2000); // the same person again, not a new one
      } else if (creds.token && ack.code === "not_found") { set({ ...state, joined: false }); showJoinForm(); }
      else if (!state.joined) showJoinForm(ack.error);
      else set(setError(state, "board", ack.error));
    },
    op(op, live) {
      const me = state.me;
      if (op.state) {
        if (live) observeTimer(op.state.timer);
        showRoomInfo();
      }
      if (op.type === "note.add" && op.actor && me && op.actor.id !== me.id) {
        announce(t("New note from %(name)s (%(city)s)", { name: op.actor.name, city: op.actor.city }), "note");
      } else if (op.type === "note.move" && live && op.actor && (!me || op.actor.id !== me.id)) {
        announce(moveSaid(op));
      } else if (op.type === "workshop.broadcast") {
        set(setUi(state, { banner: { message: op.message, seq: op.seq } }));
        announce(t("Message from the facilitator: %(message)s", { message: op.message }));
      } else if (op.type === "spotlight.show" && op.spotlight && live) {
        announce(t("The facilitator is showing a note by %(author)s: %(text)s", { author: op.spotlight.note.author, text: op.spotlight.note.text || "" }));
      } else if (op.type === "voting.open") {
        announce(tn("Voting is open: you have %(num)s vote.", "Voting is open: you have %(num)s votes.", op.state.voting.votes_per_participant) + " " + votesRule(op.state.voting));
      } else if (op.type === "timer.start" && op.state.timer) {
        announce(t("The facilitator started a timer."));
      } else if (SAYS[op.type] && live) {
        announce(SAYS[op.type]);
      }
      if (state.room.closed) showClosed();
    },
    refused(payload, ack) {
      if (payload.type === "note.add") restoreDraft(payload);
      if (ack.code === "closed") showClosed();
      let message = ack.error || t("That did not work. Please try again.");
      if (ack.code === "conflict" && ack.note && payload.type === "note.update") {
        set({ ...state, ...reduceBoard(state, { type: "note.update", note: ack.note }) }); // their version, where it is now
        message = payload.text !== undefined
          ? t("Someone changed this note while you were editing it. This is their version. Your text was: “%(text)s”", { text: payload.text })
          : t("Someone changed this note while you were editing it. This is their version.");
      }
      showRefusal(errorKey(payload), message);
    },
    assigned(payload) {
      if (payload.room === code) return;
      if (payload.room) leaveFor(`${ROOT}/r/${encodeURIComponent(payload.room)}`, t("The facilitator moved you to another room."));
      else if (state.room.closed) showClosed();
      else leaveFor(lobbyUrl(), t("The facilitator called everyone back to the workshop lobby."));
    },
  },
});

/** A refusal shows where it happened, and goes away once it has had time to be read. */
function showRefusal(key, message) {
  set(setError(state, key, message));
  setTimeout(() => {
    if (state.ui.errors[key] === message) set(setError(state, key, null));
  }, ERROR_SECONDS * 1000);
}

/** Send an op: optimistic at once, pending until acknowledged; an old refusal there goes. */
function send(op) {
  set(setError(state, errorKey(op), null));
  return session.send(op);
}

/** A refused new note: give the words back to its composer so nothing typed is lost. */
function restoreDraft(payload) {
  const parts = renderer.groupParts(payload.group_id);
  if (parts && !parts.composer.value.trim()) parts.composer.value = payload.text;
}

function lobbyUrl() {
  const lobby = state.room.workshop?.lobby_code || root.dataset.lobbyCode;
  return `${ROOT}/w/${encodeURIComponent(lobby)}`;
}

/** Go to another page once the waiting ops have gone (or after 3 s). */
let leaving = false;
function leaveFor(url, message) {
  if (leaving) return;
  leaving = true;
  announce(message);
  const started = Date.now();
  const go = () => {
    if (state.pending.size && Date.now() - started < 3000) setTimeout(go, 100);
    else window.location.assign(url);
  };
  go();
}

/** The facilitator placed this person elsewhere (another room, or the lobby): this link takes
 * them there. Waiting changes stay kept for this room; they cannot be sent from elsewhere. */
function goPlaced(ack) {
  if (leaving) return;
  leaving = true;
  announce(ack.error);
  window.location.assign(ack.room ? `${ROOT}/r/${encodeURIComponent(ack.room)}` : lobbyUrl());
}

function showClosed() {
  if (!dom.closed.hidden) return;
  session.clearPending();
  dom.lobbyLink.href = lobbyUrl();
  dom.closed.hidden = false;
  dom.board.hidden = true;
  dom.join.hidden = true;
  dom.closed.querySelector("h2").focus();
  setTimeout(() => leaveFor(lobbyUrl(), t("Going back to the workshop lobby.")), CLOSED_LEAVE_MS);
}

// ---- join form and page
const joinForm = createJoinForm(
  { form: dom.joinForm, name: dom.joinName, city: dom.joinCity, button: dom.joinButton, error: dom.joinError, wait: dom.joinWait },
  { label: t("Join"), isConnected: () => session.connected, join: (name, city) => session.join({ room: code, name, city }) });

function showJoinForm(error) {
  dom.join.hidden = false;
  dom.board.hidden = true;
  dom.board.dataset.state = "loading";
  joinForm.show(error);
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
  if (name && workshop && workshop.title) document.title = `${name} · ${workshop.title}`;
}

$("banner-close").addEventListener("click", () => {
  set(setUi(state, { banner: null }));
  focusEl(dom.board.querySelector("textarea.composer:not(:disabled)") || document.getElementById("main"));
});
wireExportMenu($("export-menu"));

// A closed room's link says so (the page is drawn that way) and offers the lobby: no join.
// With a remembered token: join at once (re-sending what a previous visit left); else the form.
const token = readToken(workshopId);
if (root.dataset.closed !== undefined) {
  dom.board.hidden = true;
} else if (token) {
  session.restorePending();
  session.join({ room: code, token });
  joinForm.waiting();
} else {
  showJoinForm();
}

// Photos go up with the participant's token (X-Participant-Token), before their note.
const photoUpload = () => ({
  url: `${ROOT}/r/${encodeURIComponent(code)}/images`,
  headers: { "X-Participant-Token": myToken || readToken(workshopId) || "" },
});
wireActions({ board: dom.board, renderer, getState: () => state, setState: set, send, photoUpload });
render();
