// DOM from state, keyed by note and group id and updated in place: typing, open editors and focus
// survive every change that arrives.

import { TEMP_PREFIX, view } from "./state.js";
import { h, icon, initials, setText, tint, toggle } from "./dom.js";
import { colorPicker, createNote, uid, updateNote } from "./note-view.js";

export { initials } from "./dom.js";

const STATUS_TEXT = { connecting: "Connecting…", connected: "Connected", reconnecting: "Reconnecting…" };
// Stakeholder map: group position -> quadrant (influence vertical, interest horizontal).
const QUADRANTS = [
  { area: "tr", caption: "High influence · high interest" },
  { area: "tl", caption: "High influence · low interest" },
  { area: "br", caption: "Low influence · high interest" },
  { area: "bl", caption: "Low influence · low interest" },
];
const MAX_AVATARS = 8;

export function statusText(state) {
  const n = state.pending.size;
  const waiting = `${n} ${n === 1 ? "change" : "changes"} waiting`;
  if (state.connection === "offline") return n ? `Offline — ${waiting}` : "Offline";
  if (state.connection === "reconnecting" && n) return `Reconnecting… — ${waiting}`;
  return STATUS_TEXT[state.connection];
}

function createGroup(group) {
  const nameId = uid("group-name");
  const composerId = uid("composer");
  const parts = {
    name: h("span", { class: "group-name", id: nameId }),
    count: h("span", { class: "group-count-number" }),
    menu: h("button", { type: "button", class: "icon-btn group-menu", "aria-haspopup": "menu", "aria-expanded": "false" }, icon("more")),
    caption: h("p", { class: "quad-caption", hidden: true }),
    rename: null, confirm: null,
    groupError: h("p", { class: "error-message", role: "alert", hidden: true }),
    composer: h("textarea", { class: "composer", id: composerId, rows: "2", maxlength: "1000", placeholder: "Add a note…", enterkeyhint: "send" }),
    composerError: h("p", { class: "error-message", role: "alert", hidden: true }),
    label: h("label", { class: "visually-hidden", for: composerId }),
    list: h("ol", { class: "notes" }),
    empty: h("p", { class: "empty-hint", text: "Type an idea and press Enter" }),
  };
  parts.head = h("div", { class: "group-head" },
    h("div", { class: "group-title-wrap" }, h("h2", { class: "group-title" }, parts.name), parts.caption),
    h("span", { class: "group-count" }, parts.count, h("span", { class: "visually-hidden", text: " notes" })),
    h("span", { class: "menu-anchor" }, parts.menu));
  parts.form = h("form", { class: "composer-form" },
    parts.label,
    h("div", { class: "composer-row" }, parts.composer,
      h("button", { type: "submit", class: "icon-btn btn-add", "aria-label": "Add note", title: "Add note" }, icon("plus"))),
    colorPicker("yellow"),
    parts.composerError);
  const el = h("section", { class: "group", "aria-labelledby": nameId, dataset: { groupId: group.id } },
    parts.head, parts.groupError, parts.form, parts.list, parts.empty);
  return { el, parts };
}

function renameForm(group) {
  const input = h("input", { class: "rename-input", maxlength: "80", "aria-label": "Group name", autocomplete: "off" });
  input.value = group.name;
  return h("form", { class: "rename-form" }, input,
    h("div", { class: "row-buttons" },
      h("button", { type: "submit", class: "btn btn-primary", text: "Save" }),
      h("button", { type: "button", class: "btn rename-cancel", text: "Cancel" })));
}

function groupConfirm(group, target, count) {
  const where = count ? ` Its ${count === 1 ? "note moves" : `${count} notes move`} to “${target}”.` : "";
  return h("div", { class: "confirm group-confirm", role: "group" },
    h("span", { class: "confirm-text", text: `Delete the group “${group.name}”?${where}` }),
    h("button", { type: "button", class: "btn btn-danger group-delete-confirm", text: "Delete group" }),
    h("button", { type: "button", class: "btn group-delete-cancel", text: "Cancel" }));
}

function showError(el, message) {
  setText(el, message || "");
  el.hidden = !message;
}

/** Put `els` in this order inside `parent`, moving only what is out of place. */
function arrange(parent, els) {
  let prev = null;
  for (const el of els) {
    const expected = prev ? prev.nextElementSibling : parent.firstElementChild;
    if (expected !== el) parent.insertBefore(el, expected);
    prev = el;
  }
}

export function createRenderer(dom) {
  const groupItems = new Map();
  const noteItems = new Map();

  function renderHeader(state) {
    setText(dom.status, statusText(state));
    dom.status.dataset.status = state.connection;
    if (!state.joined) return;
    dom.presenceWrap.hidden = false;
    const people = state.presence;
    setText(dom.presenceCount, `${people.length} here`);
    dom.presence.setAttribute("aria-label", `${people.length} ${people.length === 1 ? "person" : "people"} in this room`);
    const key = JSON.stringify(people.map((p) => [p.id, p.name, p.city]));
    if (dom.presence.dataset.key === key) return;
    dom.presence.dataset.key = key;
    dom.presence.replaceChildren(...people.map((p, i) => {
      const you = state.me && p.id === state.me.id ? " — you" : "";
      return h("li", { class: `avatar tint-${tint(p.id)}${i >= MAX_AVATARS ? " overflow" : ""}`, title: `${p.name} (${p.city})${you}`, dataset: { participantId: p.id } },
        h("span", { "aria-hidden": "true", text: initials(p.name) }),
        h("span", { class: "visually-hidden", text: `${p.name} (${p.city})${you}` }));
    }));
    const extra = people.length - MAX_AVATARS;
    setText(dom.presenceMore, extra > 0 ? `+${extra}` : "");
    dom.presenceMore.hidden = extra <= 0;
  }

  function renderGroup(item, group, notes, index, state, matrix, groups) {
    const { el, parts } = item;
    const temp = group.id.startsWith(TEMP_PREFIX);
    const errors = state.ui.errors;
    setText(parts.name, group.name);
    setText(parts.count, String(notes.length));
    parts.label.textContent = `New note in ${group.name}`;
    parts.list.setAttribute("aria-label", `Notes in ${group.name}`);
    parts.menu.setAttribute("aria-label", `Options for group ${group.name}`);
    parts.menu.title = "Group options";
    const locked = Boolean(state.room.locked);
    parts.menu.disabled = temp || locked;
    parts.composer.disabled = temp || locked;
    parts.composer.placeholder = locked ? "Locked by the facilitator" : "Add a note…";
    parts.form.querySelectorAll("button, input").forEach((el) => { el.disabled = temp || locked; });
    toggle(el, "pending", temp);
    parts.empty.hidden = notes.length > 0;

    const quad = matrix ? QUADRANTS[index] : null;
    el.style.gridArea = el.dataset.quadrant = quad ? quad.area : ""; // grid areas in board.css
    setText(parts.caption, quad ? quad.caption : "");
    parts.caption.hidden = !quad;

    const renaming = state.ui.renaming === group.id;
    if (renaming && !parts.rename) {
      parts.rename = renameForm(group);
      parts.head.after(parts.rename);
    } else if (!renaming && parts.rename) {
      parts.rename.remove();
      parts.rename = null;
    }
    parts.head.hidden = renaming;

    const confirming = state.ui.confirmGroupDelete === group.id;
    if (confirming && !parts.confirm) {
      const first = groups.find((g) => g.id !== group.id);
      parts.confirm = groupConfirm(group, first ? first.name : "", notes.length);
      parts.groupError.before(parts.confirm);
    } else if (!confirming && parts.confirm) {
      parts.confirm.remove();
      parts.confirm = null;
    }
    showError(parts.groupError, errors[`group:${group.id}`]);
    showError(parts.composerError, errors[`composer:${group.id}`]);

    const noteEls = notes.map((note) => {
      let n = noteItems.get(note.id);
      if (!n) {
        n = createNote(note);
        noteItems.set(note.id, n);
        if (dom.board.dataset.state === "ready") n.el.classList.add("arrived");
      }
      updateNote(n, note, {
        mine: Boolean(state.me && note.author_id === state.me.id),
        pending: state.view.pendingIds.has(note.id),
        editing: state.ui.editing === note.id,
        confirming: state.ui.confirmDelete === note.id,
        error: errors[`note:${note.id}`],
        voting: Boolean(state.room.voting),
        voted: state.view.myVotes.has(note.id),
        locked,
      });
      return n.el;
    });
    arrange(parts.list, noteEls);
    // Notes that moved away were re-parented above; anything left over is gone.
    for (const child of Array.from(parts.list.children)) {
      if (!noteEls.includes(child)) child.remove();
    }
  }

  /** Render the board; returns the view it showed (null before joining). */
  function render(state) {
    const active = document.activeElement;
    renderHeader(state);
    if (!state.joined) return null;
    const v = view(state);
    state = { ...state, view: v };
    const matrix = state.room.template === "stakeholder-map" && v.groups.length === 4;
    toggle(dom.board, "layout-matrix", matrix);
    toggle(dom.board, "layout-columns", !matrix);
    toggle(dom.board, "locked", state.room.locked);
    dom.addGroupForm?.querySelectorAll("button, input").forEach((el) => { el.disabled = Boolean(state.room.locked); });
    dom.axes.forEach((axis) => { axis.hidden = !matrix; });

    const seenNotes = new Set(v.notes.map((n) => n.id));
    const groupEls = v.groups.map((group, index) => {
      let item = groupItems.get(group.id);
      if (!item) {
        item = createGroup(group);
        groupItems.set(group.id, item);
      }
      renderGroup(item, group, v.notesByGroup.get(group.id), index, state, matrix, v.groups);
      return item.el;
    });
    arrange(dom.groups, groupEls);
    for (const [id, item] of groupItems) {
      if (!v.groups.some((g) => g.id === id)) { item.el.remove(); groupItems.delete(id); }
    }
    for (const [id, item] of noteItems) {
      if (!seenNotes.has(id)) { item.el.remove(); noteItems.delete(id); }
    }

    // Errors whose place is gone (a deleted note or group) show at the top.
    const placed = (key) => {
      const [kind, id] = key.split(/:(.*)/s);
      if (kind === "note") return seenNotes.has(id);
      if (kind === "group" || kind === "composer") return groupItems.has(id);
      return kind === "add-group";
    };
    const stray = Object.entries(state.ui.errors).filter(([key]) => !placed(key)).map(([, msg]) => msg);
    showError(dom.boardError, stray[stray.length - 1]);
    showError(dom.addGroupError, state.ui.errors["add-group"]);
    dom.board.hidden = false;
    dom.board.dataset.state = "ready";
    // Re-ordering detaches nodes, which drops focus: give it back.
    if (active && active !== document.body && active.isConnected && document.activeElement !== active) {
      active.focus({ preventScroll: true });
    }
    return v;
  }

  return {
    render,
    noteEl: (id) => noteItems.get(id)?.el || null,
    groupEl: (id) => groupItems.get(id)?.el || null,
    groupParts: (id) => groupItems.get(id)?.parts || null,
  };
}
