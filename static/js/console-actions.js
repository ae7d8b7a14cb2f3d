// What the facilitator does: one delegated listener per event type turns clicks, form submits,
// keys and drops into ops (via `send`) or UI state changes.

import { enableDragAndDrop } from "./dnd.js";
import { focusEl } from "./dom.js";
import { openMenu } from "./menu.js";
import { pickedColor } from "./note-view.js";
import { detailsProblem, focusDetails, pickedDetails } from "./note-details.js";
import { findGroup, findNote, setRoomForm, setUi, sortedGroups } from "./console-state.js";
import { enablePersonDrag, openPersonMenu } from "./console-people.js";
import { spotlightClicks } from "./console-spotlight.js";
import { consolePhotos } from "./console-photos.js";
import { photoChange, STILL_UPLOADING } from "./photos.js";
import { t, tn } from "./i18n.js";

const TIMER_PRESETS = [2, 5, 10, 15];
const ALL_DONE = {
  "room.lock": t("Every room is locked."), "room.unlock": t("Every room is unlocked."),
  "room.hide": t("Notes are hidden in every room."), "room.reveal": t("Notes are revealed in every room."),
  "timer.stop": t("Every timer is stopped."),
};
const isEnter = (e) => e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229;
const minutes = (m) => tn("%(num)s minute", "%(num)s minutes", m);

export async function copyText(text, input) {
  if (navigator.clipboard && window.isSecureContext) {
    try { await navigator.clipboard.writeText(text); return true; } catch { /* fall back below */ }
  }
  const field = input || Object.assign(document.createElement("textarea"), { value: text });
  if (!input) document.body.append(field);
  field.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  if (!input) field.remove();
  return ok;
}

export function wireActions({ root, grid, roomUrl, getState, set, send, flashOk, flashError, renderer }) {
  const ui = (patch) => set(setUi(getState(), patch));
  const roomOf = (el) => el.closest("[data-room-code]")?.dataset.roomCode;
  const noteOf = (el) => el.closest("[data-note-id]")?.dataset.noteId;
  const groupOf = (el) => el.closest("[data-group-id]")?.dataset.groupId;
  const roomName = (code) => getState().rooms[code]?.room.name || t("this room");
  const roomButton = (code, action) => renderer.roomEl(code)?.querySelector(`[data-action="${action}"]`);
  const photos = consolePhotos({ root, grid, getState, set, send, flashOk, flashError, renderer });

  function roomOp(code, op, done) {
    send({ ...op, room: code }, `room:${code}`, { onOk: done });
  }
  function showRoomForm(code, kind) {
    set(setRoomForm(getState(), code, kind));
  }
  function closeRoomForm(code, focusAction = "room-more") {
    set(setRoomForm(getState(), code, null));
    focusEl(roomButton(code, focusAction));
  }

  // ---- notes -------------------------------------------------------------------------------
  function moveNote(noteId, groupId, position) {
    const s = getState();
    const at = findNote(s, noteId);
    const to = findGroup(s, groupId);
    if (!at || !to) return;
    if (at.code === to.code && at.note.group_id === groupId && (position === undefined ? at.index === at.count - 1 : at.index === position)) return;
    const op = { type: "note.move", room: at.code, note_id: noteId, group_id: groupId };
    if (to.code !== at.code) op.to_room = to.code;
    if (position !== undefined) op.position = position;
    send(op, `note:${noteId}`, {
      onOk: () => flashOk(`room:${to.code}`, to.code === at.code ? "" : t("A note arrived from %(room)s.", { room: roomName(at.code) })),
    });
  }

  function openMoveMenu(button) {
    const s = getState();
    const noteId = noteOf(button);
    const at = findNote(s, noteId);
    if (!at) return;
    const items = [];
    const pick = (groupId, position) => () => { moveNote(noteId, groupId, position); focusEl(renderer.noteEl(noteId)?.querySelector(".note-move")); };
    if (at.index > 0) items.push({ label: t("Up"), icon: "up", dataset: { move: "up" }, onPick: pick(at.note.group_id, at.index - 1) });
    if (at.index < at.count - 1) items.push({ label: t("Down"), icon: "down", dataset: { move: "down" }, onPick: pick(at.note.group_id, at.index + 1) });
    const codes = [at.code, ...s.order.filter((c) => c !== at.code)];
    for (const code of codes) {
      for (const g of sortedGroups(s.rooms[code])) {
        if (g.id === at.note.group_id) continue;
        const label = `${s.rooms[code].room.name} › ${g.name}`;
        items.push({ label, icon: "right", dataset: { targetGroup: g.id, targetRoom: code }, onPick: pick(g.id) });
      }
    }
    openMenu(button, { label: t("Move to…"), items });
  }

  function startEdit(noteId) {
    ui({ editing: noteId, confirmDelete: null });
    photos.forget(`note:${noteId}`); // no photo left over from an earlier edit
    const input = renderer.noteEl(noteId)?.querySelector(".note-edit-input");
    if (input) { input.focus(); input.setSelectionRange(input.value.length, input.value.length); }
  }
  function saveEdit(form) {
    const noteId = noteOf(form);
    const at = findNote(getState(), noteId);
    if (!at) return;
    const text = form.querySelector(".note-edit-input").value.trim();
    const color = pickedColor(form);
    if (!text) { flashError(`note:${noteId}`, t("A note needs some text. To remove it, use Delete.")); return; }
    const problem = detailsProblem(form);
    if (problem) { flashError(`note:${noteId}`, problem); focusDetails(form); return; }
    const photo = photoChange(form, at.note, photos.photoOf(`note:${noteId}`));
    if (!photo) { flashError(`note:${noteId}`, STILL_UPLOADING); return; }
    photos.forget(`note:${noteId}`);
    ui({ editing: null });
    focusEl(renderer.noteEl(noteId)?.querySelector(".note-edit"));
    const picker = form.querySelector(".note-tag-picker");
    if (picker) {
      const cities = [...picker.querySelectorAll("input[name=tag]:checked")].map((box) => box.value);
      if (cities.join("\n") !== (at.note.tags || []).join("\n")) {
        send({ type: "note.tag", room: at.code, note_id: noteId, cities }, `note:${noteId}`);
      }
    }
    const details = pickedDetails(form, at.note.details);
    if (text === at.note.text && color === at.note.color && !Object.keys(photo).length && !details) return;
    const op = { type: "note.update", room: at.code, note_id: noteId, if_updated_at: form.dataset.updatedAt || at.note.updated_at, ...photo };
    if (text !== at.note.text) op.text = text;
    if (color !== at.note.color) op.color = color;
    if (details) op.details = details;
    send(op, `note:${noteId}`);
  }

  // ---- menus -------------------------------------------------------------------------------
  function timerMenu(button, start, other) {
    openMenu(button, { label: t("Start a timer"), items: [
      ...TIMER_PRESETS.map((m) => ({ label: minutes(m), icon: "right", dataset: { minutes: String(m) }, onPick: () => start(m * 60) })),
      { label: t("Other length…"), icon: "edit", dataset: { minutes: "other" }, onPick: other },
    ] });
  }

  const menus = {
    "all-timer-menu": (b) => timerMenu(b, (seconds) => send({ type: "timer.start", seconds }, "all", { onOk: () => flashOk("all", t("Timer started in every room: %(length)s.", { length: minutes(seconds / 60) })) }),
      () => { root.querySelector("#all-timer-form").hidden = false; focusEl(root.querySelector("#all-timer-minutes")); }),
    "room-timer": (b, code) => timerMenu(b, (seconds) => roomOp(code, { type: "timer.start", seconds }), () => showRoomForm(code, "timer")),
    "room-more": (b, code) => openMenu(b, { label: roomName(code), items: [
      { label: t("Rename room…"), icon: "edit", dataset: { more: "rename" }, onPick: () => showRoomForm(code, "rename") },
      { label: t("Add a group…"), icon: "plus", dataset: { more: "add-group" }, onPick: () => showRoomForm(code, "add-group") },
      { label: t("Add a photo note…"), icon: "image", dataset: { more: "photo" }, onPick: () => photos.open(code) },
      { label: t("Copy join link"), icon: "right", dataset: { more: "copy" }, onPick: async () => {
        const ok = await copyText(roomUrl(code));
        flashOk(`room:${code}`, ok ? t("Join link copied.") : t("Copy this link: %(url)s", { url: roomUrl(code) }));
        focusEl(b);
      } },
      { label: t("Open the room’s page"), icon: "right", dataset: { more: "open" }, onPick: () => window.open(roomUrl(code), "_blank", "noopener") },
      { label: t("Close room…"), icon: "trash", className: "group-delete", dataset: { more: "close" }, onPick: () => showRoomForm(code, "close") },
    ] }),
    "group-menu": (b, code) => {
      const groupId = groupOf(b);
      const { group } = findGroup(getState(), groupId) || {};
      if (!group) return;
      openMenu(b, { label: group.name, items: [
        { label: t("Rename group…"), icon: "edit", dataset: { groupAction: "rename" }, onPick: () => {
          ui({ renaming: groupId, confirmGroupDelete: null });
          renderer.roomEl(code)?.querySelector(`[data-group-id="${CSS.escape(groupId)}"] input`)?.select();
        } },
        { label: t("Sort by votes"), icon: "down", dataset: { groupAction: "sort" }, onPick: () => send({ type: "group.sort", room: code, group_id: groupId }, `group:${groupId}`) },
        { label: t("Remove group…"), icon: "trash", className: "group-delete", dataset: { groupAction: "delete" }, onPick: () => {
          ui({ confirmGroupDelete: groupId, renaming: null });
          focusEl(renderer.roomEl(code)?.querySelector('[data-action="group-delete-cancel"]'));
        } },
      ] });
    },
    "note-move": (b) => openMoveMenu(b),
    "person-move": (b) => openPersonMenu(b, getState(), assign),
  };

  function assign(participantId, room, place = "people") {
    const person = getState().people[participantId];
    if (!person || (person.room || null) === room) return;
    const op = { type: "participant.assign", participant_id: participantId };
    if (room) op.room = room;
    const where = room ? roomName(room) : "";
    send(op, place, { onOk: () => flashOk(place, room ? t("%(name)s is going to %(room)s.", { name: person.name, room: where }) : t("%(name)s is going back to the lobby.", { name: person.name })) });
  }

  // ---- clicks ------------------------------------------------------------------------------
  const clicks = {
    copy: async (b) => {
      const input = document.getElementById(b.dataset.copyTarget);
      const ok = await copyText(input.value, input);
      flashOk(`copy:${input.id}`, ok ? t("Link copied.") : t("Select the link and press Ctrl+C (⌘+C on a Mac) to copy it."));
    },
    all: (b) => send({ type: b.dataset.op }, "all", { onOk: () => flashOk("all", ALL_DONE[b.dataset.op]) }),
    "all-timer-cancel": () => { root.querySelector("#all-timer-form").hidden = true; focusEl(root.querySelector('[data-action="all-timer-menu"]')); },
    "add-room-toggle": () => {
      const open = !getState().ui.addRoom;
      ui({ addRoom: open });
      focusEl(open ? root.querySelector('#add-room-form input[name="name"]') : root.querySelector(".btn-add-room"));
    },
    "group-more": (b) => {
      const groupId = groupOf(b);
      const openGroups = { ...(getState().ui.openGroups || {}) };
      if (openGroups[groupId]) delete openGroups[groupId];
      else openGroups[groupId] = true;
      ui({ openGroups });
    },
    "bookmark-done": (b) => { b.closest("#bookmark").remove(); focusEl(root.querySelector("#lobby-link")); },
    "created-dismiss": () => { ui({ created: null }); focusEl(root.querySelector(".btn-add-room")); },
    "room-lock": (b, code) => roomOp(code, { type: "room.lock" }),
    "room-unlock": (b, code) => roomOp(code, { type: "room.unlock" }),
    "room-hide": (b, code) => roomOp(code, { type: "room.hide" }),
    "room-reveal": (b, code) => roomOp(code, { type: "room.reveal" }),
    // Opening a vote asks for the number of dots and the rule; ending one asks for confirmation.
    "room-voting": (b, code) => showRoomForm(code, "votes"),
    "room-voting-close": (b, code) => showRoomForm(code, "end-voting"),
    "room-timer-stop": (b, code) => roomOp(code, { type: "timer.stop" }),
    "room-form-cancel": (b, code) => closeRoomForm(code),
    "group-rename-cancel": (b) => { const id = groupOf(b); ui({ renaming: null }); focusEl(b.closest("[data-group-id]")?.querySelector(".cgroup-menu")); return id; },
    "group-delete-cancel": (b) => { ui({ confirmGroupDelete: null }); focusEl(b.closest("[data-group-id]")?.querySelector(".cgroup-menu")); },
    "group-delete-confirm": (b, code) => {
      const groupId = groupOf(b);
      ui({ confirmGroupDelete: null });
      send({ type: "group.delete", room: code, group_id: groupId }, `group:${groupId}`, { onOk: () => focusEl(renderer.roomEl(code)?.querySelector(".cgroup-menu")) });
    },
    "note-edit": (b) => startEdit(noteOf(b)),
    "note-edit-cancel": (b) => { const id = noteOf(b); ui({ editing: null }); focusEl(renderer.noteEl(id)?.querySelector(".note-edit")); },
    "note-delete": (b) => { const id = noteOf(b); ui({ confirmDelete: id, editing: null }); focusEl(renderer.noteEl(id)?.querySelector('[data-action="note-delete-cancel"]')); },
    "note-delete-cancel": (b) => { const id = noteOf(b); ui({ confirmDelete: null }); focusEl(renderer.noteEl(id)?.querySelector(".note-delete")); },
    "note-delete-confirm": (b, code) => {
      const id = noteOf(b);
      ui({ confirmDelete: null });
      send({ type: "note.delete", room: code, note_id: id }, `note:${id}`);
    },
    distribute: (b) => {
      const mode = b.dataset.mode;
      send({ type: "participants.distribute", mode }, "people", { onOk: (ack) => {
        const n = Object.keys(ack.assignments || {}).length;
        flashOk("people", n ? tn("%(num)s person is going to their room.", "%(num)s people are going to their rooms.", n) : t("Nobody is waiting in the lobby, so nobody was moved."));
      } });
    },
    recall: () => { ui({ confirmRecall: true }); focusEl(root.querySelector('[data-action="recall-cancel"]')); },
    "recall-cancel": () => { ui({ confirmRecall: false }); focusEl(root.querySelector('[data-action="recall"]')); },
    "recall-confirm": () => {
      ui({ confirmRecall: false });
      focusEl(root.querySelector('[data-action="recall"]'));
      send({ type: "participants.recall" }, "people", { onOk: (ack) => {
        const n = Object.keys(ack.assignments || {}).length;
        flashOk("people", n ? tn("%(num)s person is coming back to the lobby.", "%(num)s people are coming back to the lobby.", n) : t("Everyone was already in the lobby."));
      } });
    },
  };

  Object.assign(clicks, spotlightClicks({ getState, send, noteOf }), photos.clicks);

  root.addEventListener("click", (event) => {
    const b = event.target.closest("[data-action]");
    if (!b || b.disabled || b.getAttribute("aria-disabled") === "true" || !root.contains(b)) return;
    const action = b.dataset.action;
    const code = roomOf(b);
    if (menus[action]) { event.preventDefault(); menus[action](b, code); }
    else if (clicks[action]) { event.preventDefault(); clicks[action](b, code); }
  });

  // ---- forms -------------------------------------------------------------------------------
  const value = (form, name) => (form.elements[name]?.value || "").trim();
  const whole = (form) => Number(value(form, "value"));
  const forms = {
    broadcast: (form) => {
      const input = form.querySelector("input");
      const message = input.value.trim();
      if (!message) { flashError("all", t("Type a message first.")); input.focus(); return; }
      send({ type: "workshop.broadcast", message }, "all", { onOk: () => { input.value = ""; flashOk("all", t("Sent to every room: “%(message)s”", { message })); } });
    },
    "all-timer": (form) => {
      const m = Number(form.querySelector("input").value);
      if (!(m >= 1 && m <= 360)) { flashError("all", t("Choose between 1 and 360 minutes.")); return; }
      form.hidden = true;
      send({ type: "timer.start", seconds: Math.round(m * 60) }, "all", { onOk: () => flashOk("all", t("Timer started in every room: %(length)s.", { length: minutes(m) })) });
    },
    "add-room": (form) => {
      const room = { type: "room.add", name: value(form, "name"), theme: value(form, "theme"), template: value(form, "template") || "blank" };
      if (!room.name || !room.theme) { flashError("add-room", t("Give the room a name and a theme.")); return; }
      send(room, "add-room", { onOk: (ack) => { form.reset(); ui({ addRoom: false, created: ack.created }); focusEl(root.querySelector("#created-link")); } });
    },
    save: async (form) => {
      const name = value(form, "name");
      try {
        const answer = await fetch(form.action, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name }) });
        const body = await answer.json().catch(() => ({}));
        if (answer.ok) { form.reset(); flashOk("save", t("Saved “%(name)s”. Each city’s page lists the saved outputs.", { name: body.name || name })); }
        else flashError("save", body.error || t("The outputs could not be saved. Please try again."));
      } catch {
        flashError("save", t("The server could not be reached, so nothing was saved. Try again when you are back online."));
      }
    },
    language: (form) => {
      const language = value(form, "language");
      const name = form.elements.language.selectedOptions[0]?.textContent || language;
      send({ type: "workshop.language", language }, "language", { onOk: () => flashOk("language", t("Default language: %(language)s.", { language: name })) });
    },
    "room-rename": (form, code) => roomOp(code, { type: "room.rename", name: value(form, "name"), theme: value(form, "theme") }, () => closeRoomForm(code)),
    "room-timer": (form, code) => roomOp(code, { type: "timer.start", seconds: Math.round(whole(form) * 60) }, () => closeRoomForm(code, "room-timer-stop")),
    "room-votes": (form, code) => roomOp(code, { type: "voting.open", votes_per_participant: whole(form), several_per_note: Boolean(form.elements.several?.checked) }, () => closeRoomForm(code, "room-voting-close")),
    "room-end-voting": (form, code) => roomOp(code, { type: "voting.close" }, () => closeRoomForm(code, "room-voting")),
    "room-add-group": (form, code) => roomOp(code, { type: "group.add", name: value(form, "name") }, () => closeRoomForm(code)),
    "room-close": (form, code) => roomOp(code, { type: "room.close" }),
    "group-rename": (form, code) => {
      const groupId = groupOf(form);
      ui({ renaming: null });
      send({ type: "group.rename", room: code, group_id: groupId, name: value(form, "name") }, `group:${groupId}`);
      focusEl(renderer.roomEl(code)?.querySelector(`[data-group-id="${CSS.escape(groupId)}"] .cgroup-menu`));
    },
    "note-edit": (form) => saveEdit(form),
  };

  Object.assign(forms, photos.forms);

  root.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-form]");
    if (!form || !forms[form.dataset.form]) return;
    event.preventDefault();
    forms[form.dataset.form](form, roomOf(form));
  });

  root.addEventListener("keydown", (event) => {
    const form = event.target.closest && event.target.closest("[data-form]");
    if (!form) return;
    if (event.key === "Escape") {
      const cancel = form.querySelector('[data-action$="cancel"], [data-action="add-room-toggle"]');
      if (cancel) { event.preventDefault(); cancel.click(); }
    } else if (isEnter(event) && event.target.matches(".note-edit-input")) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  enableDragAndDrop(grid, (noteId, groupId, index) => moveNote(noteId, groupId, index));
  enablePersonDrag(root, assign);
  return { moveNote, assign };
}
