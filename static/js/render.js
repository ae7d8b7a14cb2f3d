// DOM from state, keyed by note and group id and updated in place: typing, open editors and focus
// survive every change that arrives.

import { TEMP_PREFIX, view } from "./state.js";
import { inReadingOrder, mapLayout, quadrantAt } from "./board-state.js";
import { h, initials, setText, tint, toggle } from "./dom.js";
import { readDraft } from "./storage.js";
import { arrange, createGroup, renderGroup as renderGroupView } from "./group-view.js";
import { t, tn } from "./i18n.js";

export { initials } from "./dom.js";

const STATUS_TEXT = { connecting: t("Connecting…"), connected: t("Connected"), reconnecting: t("Reconnecting…") };
const MAX_AVATARS = 8;

export function statusText(state) {
  const n = state.pending.size;
  const waiting = tn("%(num)s change waiting", "%(num)s changes waiting", n);
  if (state.connection === "offline") return n ? t("Offline — %(waiting)s", { waiting }) : t("Offline");
  if (state.connection === "reconnecting" && n) return t("Reconnecting… — %(waiting)s", { waiting });
  return STATUS_TEXT[state.connection];
}

function showError(el, message) {
  setText(el, message || "");
  el.hidden = !message;
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
    setText(dom.presenceCount, t("%(count)s here", { count: people.length }));
    dom.presence.setAttribute("aria-label", tn("%(num)s person in this room", "%(num)s people in this room", people.length));
    const key = JSON.stringify(people.map((p) => [p.id, p.name, p.city]));
    if (dom.presence.dataset.key === key) return;
    dom.presence.dataset.key = key;
    dom.presence.replaceChildren(...people.map((p, i) => {
      const you = state.me && p.id === state.me.id;
      return h("li", { class: `avatar tint-${tint(p.id)}${i >= MAX_AVATARS ? " overflow" : ""}`, title: you ? t("%(name)s (%(city)s) — you", { name: p.name, city: p.city }) : `${p.name} (${p.city})`, dataset: { participantId: p.id } },
        h("span", { "aria-hidden": "true", text: initials(p.name) }),
        h("span", { class: "visually-hidden", text: `${p.name} (${p.city})${you}` }));
    }));
    const extra = people.length - MAX_AVATARS;
    setText(dom.presenceMore, extra > 0 ? `+${extra}` : "");
    dom.presenceMore.hidden = extra <= 0;
  }

  function showGroup(item, group, notes, index, state, layout, groups) {
    const errors = state.ui.errors;
    const locked = Boolean(state.room.locked);
    const voting = Boolean(state.room.voting);
    renderGroupView(item, group, {
      notes, groups, locked,
      temp: group.id.startsWith(TEMP_PREFIX),
      quadrant: quadrantAt(layout, index),
      renaming: state.ui.renaming === group.id,
      confirming: state.ui.confirmGroupDelete === group.id,
      error: errors[`group:${group.id}`],
      composerError: errors[`composer:${group.id}`],
      photo: state.ui.photos?.[group.id] || null,
      noteItems,
      arrived: dom.board.dataset.state === "ready",
      noteOptions: (note) => ({
        mine: Boolean(state.me && note.author_id === state.me.id),
        pending: state.view.pendingIds.has(note.id),
        photo: state.ui.photos?.[`note:${note.id}`] || null,
        editing: state.ui.editing === note.id,
        confirming: state.ui.confirmDelete === note.id,
        error: errors[`note:${note.id}`],
        voting,
        voted: state.view.myVotes.get(note.id) || 0,
        several: Boolean(state.room.voting && state.room.voting.several_per_note),
        locked,
      }),
    });
  }

  /** Render the board; returns the view it showed (null before joining). */
  function render(state) {
    const active = document.activeElement;
    renderHeader(state);
    if (!state.joined) return null;
    const v = view(state);
    state = { ...state, view: v };
    // A map room (stakeholder or ecosystem map) with its four groups is a 2×2 grid.
    const layout = mapLayout(state.room, v.groups.length);
    const matrix = Boolean(layout);
    toggle(dom.board, "layout-matrix", matrix);
    toggle(dom.board, "layout-columns", !matrix);
    toggle(dom.board, "locked", state.room.locked);
    dom.addGroupForm?.querySelectorAll("button, input").forEach((el) => { el.disabled = Boolean(state.room.locked); });
    dom.axes.forEach((axis) => {
      const name = layout && layout.axes ? layout.axes[axis.dataset.axis] : null;
      axis.hidden = !name;
      if (name) setText(axis.querySelector(".axis-name"), `${t(name)} →`);
    });

    const seenNotes = new Set(v.notes.map((n) => n.id));
    // On a map, the page keeps the groups in the grid's reading order, so Tab follows the grid.
    const groupEls = inReadingOrder(layout, v.groups).map((group) => {
      let item = groupItems.get(group.id);
      if (!item) {
        item = createGroup(group, { composer: true });
        item.parts.composer.value = readDraft(state.room.code, group.id); // typed before a reload
        groupItems.set(group.id, item);
      }
      showGroup(item, group, v.notesByGroup.get(group.id), v.groups.indexOf(group), state, layout, v.groups);
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
