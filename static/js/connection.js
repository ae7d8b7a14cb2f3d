// The socket and the send path. Knows nothing about boards: it connects, reports its status,
// and turns every emit into a promise of the server's acknowledgement.

import { io } from "../vendor/socket.io.esm.min.js";
import { t } from "./i18n.js";

/** A random UUID v4; crypto.randomUUID only exists on https and localhost. */
export function uuid() {
  if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where the app lives ("" or a sub-path such as "/workshops" behind a proxy). */
export const ROOT = document.body.dataset.root || "";

// After this many failed reconnection attempts (or when the browser says it is offline) we call
// it "Offline" rather than "Reconnecting…".
const ATTEMPTS_BEFORE_OFFLINE = 3;

/**
 * handlers: onStatus(status) with status "connecting" | "connected" | "reconnecting" | "offline",
 * onConnect() each time the socket (re)connects, onOp(op), onPresence(payload), onAssigned(payload),
 * onPlaced(payload).
 */
export function createConnection(handlers) {
  // Reconnection waits 0.5 s growing to 5 s, each delay jittered by ±50%: a venue whose wifi
  // blips does not come back in lock-step.
  const socket = io({ path: `${ROOT}/socket.io`, reconnectionDelay: 500, reconnectionDelayMax: 5000,
    randomizationFactor: 0.5 });
  let status = "connecting";
  let everConnected = false;

  function setStatus(next) {
    if (next === status) return;
    status = next;
    handlers.onStatus(status);
  }
  const browserOffline = () => navigator.onLine === false;

  socket.on("connect", () => {
    everConnected = true;
    setStatus("connected");
    handlers.onConnect();
  });
  socket.on("disconnect", (reason) => {
    setStatus(browserOffline() ? "offline" : "reconnecting");
    // The server closed us on purpose (e.g. restart): socket.io does not retry by itself then.
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", () => {
    if (browserOffline()) setStatus("offline");
    else if (everConnected && status !== "offline") setStatus("reconnecting");
  });
  socket.io.on("reconnect_attempt", (attempt) => {
    if (attempt >= ATTEMPTS_BEFORE_OFFLINE || browserOffline()) setStatus("offline");
  });
  window.addEventListener("offline", () => { if (!socket.connected) setStatus("offline"); });
  window.addEventListener("online", () => {
    if (socket.connected) return;
    setStatus("reconnecting");
    // Try now instead of waiting out the back-off delay.
    socket.disconnect().connect();
  });
  socket.on("op", (op) => handlers.onOp(op));
  socket.on("presence", (payload) => handlers.onPresence(payload));
  socket.on("assigned", (payload) => handlers.onAssigned?.(payload || {}));
  socket.on("placed", (payload) => handlers.onPlaced?.(payload || {}));
  // For tests: drop the socket as a network failure would.
  window.__breakout = { socket };

  return {
    get connected() { return socket.connected; },
    get status() { return status; },
    // Emit now and resolve with the ack. Only while connected (socket.io would buffer it until
    // before our re-join). A lost ack never resolves: the caller re-sends after re-joining.
    request(event, payload) {
      return new Promise((resolve) => {
        socket.emit(event, payload, (ack) => resolve(ack || { ok: false, error: t("No answer from the server."), code: "server_error" }));
      });
    },
  };
}
