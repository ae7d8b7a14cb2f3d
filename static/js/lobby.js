// The workshop lobby: join with a name and a city (or the kept token), wait with the others, and
// follow the facilitator's assignment to a room. The token makes the room page join as the same
// person.

import { ROOT } from "./connection.js";
import { createSession } from "./session.js";
import { applyPresence, presenceOnJoin } from "./presence.js";
import { readToken } from "./storage.js";
import { createJoinForm } from "./join-form.js";
import { h, initials, setText, tint } from "./dom.js";
import { t } from "./i18n.js";

const root = document.getElementById("lobby");
const $ = (id) => document.getElementById(id);
const lobby = root.dataset.lobbyCode;
const workshopId = root.dataset.workshopId;
const STATUS = { connecting: t("Connecting…"), connected: t("Connected"), reconnecting: t("Reconnecting…"), offline: t("Offline") };

const dom = {
  join: $("lobby-join"), form: $("join-form"), name: $("join-name"), city: $("join-city"),
  button: $("join-button"), error: $("join-error"), wait: $("join-wait"),
  waiting: $("waiting"), meName: $("me-name"), meCity: $("me-city"),
  count: $("waiting-count"), list: $("waiting-list"), moving: $("lobby-moving"), status: $("connection-status"),
};

// The lobby's state: who I am, who waits here. No board: the lobby shows no room.
let state = { me: null, joined: false, people: [], connection: "connecting", pending: new Map() };
let leaving = false;

function set(next) {
  state = next;
  setText(dom.status, STATUS[state.connection] || state.connection);
  dom.status.dataset.status = state.connection;
  if (state.joined) showPeople(state.people);
}

const session = createSession({
  workshopId,
  store: { get: () => state, set, batch: (fn) => fn() },
  model: {
    load: (s, ack) => ({ ...s, me: ack.participant, joined: true, people: presenceOnJoin(ack, null, s.people) }),
    rooms: () => [],
    seq: () => null, // the lobby shows no room's ops
    apply: (s) => s,
    presence: (s, payload) => ({ ...s, people: applyPresence(s.people, payload, null) }),
  },
  events: {
    joined(ack) {
      if (ack.room) goTo(ack.room); // already assigned: go there at once
      else showWaiting();
    },
    joinRefused(ack, creds) {
      if (creds.token && (ack.code === "rate_limited" || ack.code === "server_error")) {
        setTimeout(() => session.join(creds), 2000); // the same person again, not a new one
      } else if (creds.token && ack.code === "not_found") {
        showForm();
      } else {
        showForm(ack.error);
      }
    },
    assigned(payload) { if (payload.room) goTo(payload.room); },
  },
});

function goTo(room) {
  if (leaving) return;
  leaving = true;
  setText(dom.moving, t("The facilitator opened a room for you. Taking you there…"));
  window.location.assign(`${ROOT}/r/${encodeURIComponent(room)}`);
}

const joinForm = createJoinForm(dom, {
  label: t("Join the workshop"), isConnected: () => session.connected,
  join: (name, city) => session.join({ lobby, name, city }),
});

function showForm(error) {
  dom.join.hidden = false;
  dom.waiting.hidden = true;
  joinForm.show(error);
}

function showWaiting() {
  const first = dom.waiting.hidden;
  dom.join.hidden = true;
  dom.waiting.hidden = false;
  setText(dom.meName, state.me.name);
  setText(dom.meCity, state.me.city);
  if (first) $("waiting-title").focus();
}

function showPeople(people) {
  setText(dom.count, `(${people.length})`);
  dom.list.replaceChildren(...people.map((p) => {
    const you = state.me && p.id === state.me.id;
    return h("li", { class: "waiting-person", dataset: { participantId: p.id } },
      h("span", { class: `avatar tint-${tint(p.id)}`, "aria-hidden": "true", text: initials(p.name) }),
      h("span", { class: "waiting-name", text: p.name }),
      h("span", { class: "chip", text: p.city }),
      you ? h("span", { class: "waiting-you", text: "(you)" }) : null);
  }));
}

const token = readToken(workshopId);
if (token) {
  joinForm.waiting();
  session.join({ lobby, token });
} else {
  showForm();
}
