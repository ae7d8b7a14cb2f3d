// The ops a page sent that wait for their answer: state.pending, a Map op_id -> { payload,
// ackedSeq, room }. Pure functions; session.js keeps them (and the room page lays them over its
// board, see state.js view()).

export function addPending(state, payload) {
  const pending = new Map(state.pending);
  pending.set(payload.op_id, { payload, ackedSeq: 0 });
  return { ...state, pending };
}

export function dropPending(state, opId) {
  if (!state.pending.has(opId)) return state;
  const pending = new Map(state.pending);
  pending.delete(opId);
  return { ...state, pending };
}

export function markAcked(state, opId, seq, room) {
  const entry = state.pending.get(opId);
  if (!entry) return state;
  const pending = new Map(state.pending);
  pending.set(opId, { ...entry, ackedSeq: seq, room });
  return { ...state, pending };
}

/** Drop the entry for `opId` and any entry whose acknowledged seq is now applied in `room`. */
export function settlePending(state, opId, room, seq) {
  let pending = null;
  for (const [id, entry] of state.pending) {
    const applied = entry.ackedSeq && entry.room === room && entry.ackedSeq <= seq;
    if (id === opId || applied) {
      pending = pending || new Map(state.pending);
      pending.delete(id);
    }
  }
  return pending ? { ...state, pending } : state;
}
