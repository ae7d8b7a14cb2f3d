// HTML5 drag and drop of notes onto groups; the drop index comes from the pointer among the
// target group's notes, without the dragged one (the server removes it first).

const MARK_BEFORE = "drop-before";
const MARK_END = "drop-end";
const MARK_GROUP = "drop-target";

/** Index at which a note dropped at (x, y) lands among `notes` (elements in their order). */
export function dropIndex(notes, x, y) {
  for (let i = 0; i < notes.length; i++) {
    const r = notes[i].getBoundingClientRect();
    if (y < r.top) return i;
    if (y <= r.bottom) {
      const sideBySide = notes.some((n, j) => j !== i && Math.abs(n.getBoundingClientRect().top - r.top) < r.height / 2);
      const before = sideBySide ? x < r.left + r.width / 2 : y < r.top + r.height / 2;
      return before ? i : i + 1;
    }
  }
  return notes.length;
}

/** onDrop(noteId, groupId, index) sends the move. */
export function enableDragAndDrop(root, onDrop) {
  let dragged = null; // the note element being dragged
  let marked = [];

  function clearMarks() {
    marked.forEach(([el, cls]) => el.classList.remove(cls));
    marked = [];
  }
  function mark(el, cls) {
    el.classList.add(cls);
    marked.push([el, cls]);
  }
  function target(event) {
    const group = event.target.closest && event.target.closest("[data-group-id]");
    if (!group || !dragged) return null;
    const notes = Array.from(group.querySelectorAll(".notes > .note")).filter((n) => n !== dragged);
    return { group, notes, index: dropIndex(notes, event.clientX, event.clientY) };
  }

  root.addEventListener("dragstart", (event) => {
    const note = event.target.closest && event.target.closest(".note");
    if (!note || !note.draggable) return;
    dragged = note;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", note.dataset.noteId);
    // Let the browser take its drag image first, then dim the original.
    setTimeout(() => note.classList.add("dragging"), 0);
  });
  root.addEventListener("dragover", (event) => {
    const t = target(event);
    if (!t) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    mark(t.group, MARK_GROUP);
    if (t.index < t.notes.length) mark(t.notes[t.index], MARK_BEFORE);
    else mark(t.group.querySelector(".notes"), MARK_END);
  });
  root.addEventListener("dragleave", (event) => {
    // Leaving the board altogether (not just moving between children) removes the marks.
    if (!event.relatedTarget || !root.contains(event.relatedTarget)) clearMarks();
  });
  root.addEventListener("drop", (event) => {
    const t = target(event);
    clearMarks();
    if (!t) return;
    event.preventDefault();
    onDrop(dragged.dataset.noteId, t.group.dataset.groupId, t.index);
  });
  root.addEventListener("dragend", () => {
    clearMarks();
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
}
