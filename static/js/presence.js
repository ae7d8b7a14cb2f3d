// Who is here: the one presence list of a page (the room page, the lobby).
//
// The join answer carries the place's full list ({room, participants}); after that the server
// sends only changes, at most one `presence` event per place every 250 ms:
// {room, joined: [people], left: [people]}. A person counts once however many tabs.

const byName = (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The full list of a join answer's `presence`, for the place `room` (null: the lobby). */
export function presenceOnJoin(ack, room, previous = []) {
  const here = ack && ack.presence;
  if (!here || here.room !== room || !Array.isArray(here.participants)) return previous;
  return here.participants.slice().sort(byName);
}

/** The list after a `presence` change of the place `room`; other places' changes leave it. */
export function applyPresence(list, payload, room) {
  if (!payload || payload.room !== room) return list;
  const people = new Map(list.map((p) => [p.id, p]));
  for (const p of payload.left || []) people.delete(p.id);
  for (const p of payload.joined || []) people.set(p.id, { id: p.id, name: p.name, city: p.city });
  return Array.from(people.values()).sort(byName);
}
