// What people do: one delegated listener per event type turns clicks, keys and drops into ops
// (`send`) or UI state, then puts keyboard focus somewhere sensible.

import { setError, setUi, view, votesLeft } from "./state.js";
import { pickedColor } from "./note-view.js";
import { detailsProblem, focusDetails, pickedDetails } from "./note-details.js";
import { openMenu, closeMenu } from "./menu.js";
import { enableDragAndDrop } from "./dnd.js";
import { focusEl } from "./dom.js";
import { attachPhoto as upload, listenForPhotos, openPhotoViewer, photoChange, STILL_UPLOADING } from "./photos.js";
import { t } from "./i18n.js";
import { storeDraft } from "./storage.js";

const isEnter = (e) => e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229;

export function wireActions({ board, renderer, getState, setState, send, photoUpload }) {
  const ui = (patch) => setState(setUi(getState(), patch));
  const noteIdOf = (el) => el.closest(".note")?.dataset.noteId;
  const groupIdOf = (el) => el.closest("[data-group-id]")?.dataset.groupId;
  const noteButton = (id, cls) => renderer.noteEl(id)?.querySelector(cls);
  const cancelDelete = (id) => { ui({ confirmDelete: null }); focusEl(noteButton(id, ".note-delete")); };
  const cancelGroupDelete = (id) => { ui({ confirmGroupDelete: null }); focusEl(renderer.groupParts(id)?.menu); };

  function where(noteId) {
    const v = view(getState());
    for (const [groupId, notes] of v.notesByGroup) {
      const index = notes.findIndex((n) => n.id === noteId);
      if (index >= 0) return { groupId, index, count: notes.length, groups: v.groups, note: notes[index] };
    }
    return null;
  }

  // ---- photos: one waits in each composer for the next note (ui.photos[group id]), and one
  // in a note's editor for that note (ui.photos["note:<id>"])
  const photoOf = (key) => getState().ui.photos?.[key] || null;
  function setPhoto(key, photo) {
    const photos = { ...(getState().ui.photos || {}) };
    if (photo) photos[key] = photo;
    else delete photos[key];
    ui({ photos });
  }
  /** Where a photo picked, pasted or dropped at `el` goes: the note's editor, else the group's composer. */
  const photoKeyOf = (el) => (el.closest(".note-editor") ? `note:${noteIdOf(el)}` : groupIdOf(el));
  const photoForm = (key) => (key.startsWith("note:")
    ? renderer.noteEl(key.slice(5))?.querySelector(".note-editor")
    : renderer.groupParts(key)?.form);

  async function attachPhoto(key, file) {
    if (!file || !key || getState().room.locked) return;
    const done = await upload({ get: photoOf, put: setPhoto }, key, photoUpload(), file);
    if (done) focusEl(photoForm(key)?.querySelector(done.status === "ready" ? ".composer-alt" : ".composer-photo-remove"));
  }

  // ---- notes
  function addNote(form) {
    const groupId = groupIdOf(form);
    const composer = form.querySelector("textarea.composer");
    const text = composer.value;
    const photo = photoOf(groupId);
    const key = `composer:${groupId}`;
    if (photo && photo.status === "uploading") {
      setState(setError(getState(), key, STILL_UPLOADING));
      return;
    }
    if (!text.trim()) {
      if (photo && photo.status === "ready") setState(setError(getState(), key, t("Write a caption for the photo, then press Enter.")));
      composer.focus();
      return;
    }
    const op = { type: "note.add", group_id: groupId, text: text.trim(), color: pickedColor(form) };
    if (photo && photo.status === "ready") {
      op.image_id = photo.imageId;
      op.alt = form.querySelector(".composer-alt").value.trim();
    }
    const { op_id: opId } = send(op);
    if (photo) setPhoto(groupId, null);
    composer.value = "";
    storeDraft(getState().room.code, groupId, "");
    composer.focus();
    // Show the new note even when the column is scrolled (it lands at the end).
    renderer.noteEl(`tmp:${opId}`)?.scrollIntoView({ block: "nearest" });
  }

  function moveNote(noteId, groupId, position, focusAfter = true) {
    if (getState().room.locked) return;
    const at = where(noteId);
    if (!at || (at.groupId === groupId && at.index === position)) return;
    send({ type: "note.move", note_id: noteId, group_id: groupId, position });
    if (focusAfter) focusEl(noteButton(noteId, ".note-move"));
  }

  function openMoveMenu(button) {
    const noteId = noteIdOf(button);
    const at = where(noteId);
    if (!at) return;
    const items = [];
    if (at.index > 0) items.push({ label: t("Up"), icon: "up", dataset: { move: "up" }, onPick: () => moveNote(noteId, at.groupId, at.index - 1) });
    if (at.index < at.count - 1) items.push({ label: t("Down"), icon: "down", dataset: { move: "down" }, onPick: () => moveNote(noteId, at.groupId, at.index + 1) });
    for (const g of at.groups) {
      if (g.id === at.groupId || g.id.startsWith("tmp:")) continue;
      items.push({ label: g.name, icon: "right", dataset: { targetGroup: g.id }, onPick: () => moveNote(noteId, g.id, undefined) });
    }
    if (!items.length) items.push({ label: t("Nowhere to move yet"), onPick: () => focusEl(button) });
    openMenu(button, { label: t("Move to…"), items });
  }

  function startEdit(noteId) {
    // The version editing starts from, so a change made meanwhile is not overwritten (unless it
    // is my own edit still on its way).
    const s = getState();
    const mineOnTheWay = Array.from(s.pending.values()).some(({ payload: p }) => p.type === "note.update" && p.note_id === noteId);
    const since = mineOnTheWay ? null : s.notes.find((n) => n.id === noteId)?.updated_at || null;
    ui({ editing: noteId, editingSince: since, confirmDelete: null });
    setPhoto(`note:${noteId}`, null); // no photo left over from an earlier edit
    const input = renderer.noteEl(noteId)?.querySelector(".note-edit-input");
    if (input) {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
  }

  function stopEdit(noteId) {
    ui({ editing: null });
    setPhoto(`note:${noteId}`, null);
    focusEl(noteButton(noteId, ".note-edit"));
  }

  function saveEdit(form) {
    const noteId = noteIdOf(form);
    const at = where(noteId);
    if (!at) return stopEdit(noteId);
    const text = form.querySelector(".note-edit-input").value.trim();
    const color = pickedColor(form);
    if (!text) {
      setState(setError(getState(), `note:${noteId}`, t("A note needs some text. To remove it, use Delete.")));
      return undefined;
    }
    const problem = detailsProblem(form);
    if (problem) {
      setState(setError(getState(), `note:${noteId}`, problem));
      focusDetails(form);
      return undefined;
    }
    const change = photoChange(form, at.note, photoOf(`note:${noteId}`));
    if (!change) {
      setState(setError(getState(), `note:${noteId}`, STILL_UPLOADING));
      return undefined;
    }
    if (text !== at.note.text) change.text = text;
    if (color !== at.note.color) change.color = color;
    const details = pickedDetails(form, at.note.details);
    if (details) change.details = details;
    const since = getState().ui.editingSince;
    if (Object.keys(change).length) send({ type: "note.update", note_id: noteId, ...change, ...(since ? { if_updated_at: since } : {}) });
    return stopEdit(noteId);
  }

  function deleteNote(noteId) {
    const at = where(noteId);
    const next = at && (view(getState()).notesByGroup.get(at.groupId)[at.index + 1]);
    ui({ confirmDelete: null });
    send({ type: "note.delete", note_id: noteId });
    const target = next ? renderer.noteEl(next.id) : renderer.groupParts(at?.groupId)?.composer;
    focusEl(target);
  }

  /** The dot button: one more dot; with one dot per note, a second press takes it back. */
  function vote(noteId) {
    const s = getState();
    const v = view(s);
    const several = Boolean(s.room.voting && s.room.voting.several_per_note);
    if (v.myVotes.has(noteId) && !several) {
      send({ type: "note.unvote", note_id: noteId });
      return;
    }
    if (votesLeft(s, v) === 0) {
      const key = `note:${noteId}`;
      const message = t("You have used all your %(budget)s votes. Take one back to vote again.", { budget: s.room.voting.votes_per_participant });
      setState(setError(s, key, message));
      setTimeout(() => { if (getState().ui.errors[key] === message) setState(setError(getState(), key, null)); }, 8000);
      return;
    }
    send({ type: "note.vote", note_id: noteId });
  }

  // ---- groups
  function openGroupMenu(button) {
    const groupId = groupIdOf(button);
    openMenu(button, {
      label: t("Group options"),
      items: [
        { label: t("Rename"), icon: "edit", className: "group-rename", onPick: () => startRename(groupId) },
        { label: t("Delete"), icon: "trash", className: "group-delete", onPick: () => {
          ui({ confirmGroupDelete: groupId, renaming: null });
          focusEl(renderer.groupEl(groupId)?.querySelector(".group-delete-confirm"));
        } },
      ],
    });
  }

  function startRename(groupId) {
    ui({ renaming: groupId, confirmGroupDelete: null });
    const input = renderer.groupEl(groupId)?.querySelector(".rename-input");
    if (input) { input.focus(); input.select(); }
  }

  function stopRename(groupId) {
    ui({ renaming: null });
    focusEl(renderer.groupParts(groupId)?.menu);
  }

  function saveRename(form) {
    const groupId = groupIdOf(form);
    const name = form.querySelector(".rename-input").value.trim();
    const group = getState().groups.find((g) => g.id === groupId);
    if (name && group && name !== group.name) send({ type: "group.rename", group_id: groupId, name });
    if (!name) {
      setState(setError(getState(), `group:${groupId}`, t("A group needs a name.")));
      return;
    }
    stopRename(groupId);
  }

  function deleteGroup(groupId) {
    ui({ confirmGroupDelete: null });
    send({ type: "group.delete", group_id: groupId });
    const still = renderer.groupParts(groupId);
    focusEl(still ? still.menu : board.querySelector("textarea.composer"));
  }

  function addGroup(form) {
    const input = form.querySelector("input");
    const name = input.value.trim();
    if (!name) {
      setState(setError(getState(), "add-group", t("Type a name for the new group.")));
      input.focus();
      return;
    }
    send({ type: "group.add", name });
    input.value = "";
    input.focus();
  }

  // ---- wiring
  board.addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    if (form.matches(".composer-form")) addNote(form);
    else if (form.matches(".note-editor")) saveEdit(form);
    else if (form.matches(".rename-form")) saveRename(form);
    else if (form.matches(".add-group-form")) addGroup(form);
  });

  board.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b || b.disabled) return;
    const noteId = noteIdOf(b);
    const groupId = groupIdOf(b);
    if (b.matches(".composer-photo")) b.form.querySelector(".composer-file").click();
    else if (b.matches(".composer-photo-remove")) {
      const key = photoKeyOf(b);
      setPhoto(key, null);
      focusEl(key === groupId ? renderer.groupParts(groupId)?.composer : noteButton(noteId, ".note-photo-pick"));
    } else if (b.matches(".note-photo-pick")) b.closest(".note-photo-edit").querySelector(".note-photo-file").click();
    else if (b.matches(".note-photo")) openPhotoViewer(view(getState()).notes.find((n) => n.id === noteId), b);
    else if (b.matches(".note-vote")) vote(noteId);
    else if (b.matches(".note-unvote")) send({ type: "note.unvote", note_id: noteId });
    else if (b.matches(".note-move")) openMoveMenu(b);
    else if (b.matches(".note-edit")) startEdit(noteId);
    else if (b.matches(".note-cancel")) stopEdit(noteId);
    else if (b.matches(".note-delete")) {
      ui({ confirmDelete: noteId, editing: null });
      focusEl(noteButton(noteId, ".note-delete-confirm"));
    } else if (b.matches(".note-delete-confirm")) deleteNote(noteId);
    else if (b.matches(".note-delete-cancel")) cancelDelete(noteId);
    else if (b.matches(".group-menu")) openGroupMenu(b);
    else if (b.matches(".rename-cancel")) stopRename(groupId);
    else if (b.matches(".group-delete-confirm")) deleteGroup(groupId);
    else if (b.matches(".group-delete-cancel")) cancelGroupDelete(groupId);
  });

  board.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t.matches("textarea.composer") && isEnter(e)) {
      e.preventDefault();
      addNote(t.form);
    } else if (t.matches(".note-edit-input")) {
      if (isEnter(e)) { e.preventDefault(); saveEdit(t.form); }
      else if (e.key === "Escape") { e.preventDefault(); stopEdit(noteIdOf(t)); }
    } else if (e.key === "Escape" && t.closest(".note-editor")) {
      e.preventDefault();
      stopEdit(noteIdOf(t));
    } else if (e.key === "Escape" && t.closest(".rename-form")) {
      e.preventDefault();
      stopRename(groupIdOf(t));
    } else if (e.key === "Escape" && t.closest(".note-confirm")) cancelDelete(noteIdOf(t));
    else if (e.key === "Escape" && t.closest(".group-confirm")) cancelGroupDelete(groupIdOf(t));
  });

  // A photo from the file picker (a phone offers its camera), a paste, or a drop on a group (or
  // on a note's editor: a photo for that note).
  listenForPhotos({
    root: board,
    picker: ".composer-file, .note-photo-file",
    pasteIn: (el) => el.matches("textarea.composer, .composer-alt, .note-edit-input, .note-alt-input"),
    droppable: (el) => Boolean(groupIdOf(el)),
    attach: (el, file) => attachPhoto(photoKeyOf(el), file),
  });

  // Typing again clears an old error next to the composer.
  board.addEventListener("input", (e) => {
    if (!e.target.matches("textarea.composer")) return;
    storeDraft(getState().room.code, groupIdOf(e.target), e.target.value); // kept over a reload
    const key = `composer:${groupIdOf(e.target)}`;
    if (getState().ui.errors[key]) setState(setError(getState(), key, null));
  });

  enableDragAndDrop(board, (noteId, groupId, index) => {
    closeMenu();
    moveNote(noteId, groupId, index, false);
  });
}
