// Kept between page loads: the token per workshop, and per room the ops not yet acknowledged and
// the drafts typed in its composers.
// Without localStorage (private mode, full) we simply keep less.

const tokenKey = (workshopId) => `breakout.token.${workshopId}`;
const pendingKey = (code) => `breakout.pending.${code}`;
const draftKey = (code, groupId) => `breakout.draft.${code}.${groupId}`;

function read(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}
function write(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch { /* private mode or full: nothing kept */ }
}

export const readToken = (workshopId) => read(tokenKey(workshopId));
export const storeToken = (workshopId, token) => write(tokenKey(workshopId), token);
export const forgetToken = (workshopId) => write(tokenKey(workshopId), null);

/** The op payloads waiting for this room, oldest first. */
export function loadPending(code) {
  try {
    const list = JSON.parse(read(pendingKey(code)) || "[]");
    return Array.isArray(list) ? list.filter((p) => p && typeof p.op_id === "string" && typeof p.type === "string") : [];
  } catch {
    return [];
  }
}

/** Store this page's waiting ops; another tab's stay unless this page ever had them (`known`). */
export function savePending(code, payloads, known) {
  const others = loadPending(code).filter((p) => !known.has(p.op_id));
  const all = others.concat(payloads);
  write(pendingKey(code), all.length ? JSON.stringify(all) : null);
}

/** What was typed in a group's composer and not sent yet: it survives a reload. */
export const readDraft = (code, groupId) => read(draftKey(code, groupId)) || "";
export const storeDraft = (code, groupId, text) => write(draftKey(code, groupId), text.trim() ? text : null);
