// Action details (URBACT's Action Table) in the one note view (note-view.js): the line an action
// note shows (lead, timescale), and the "Action details" section of its editor, with labelled
// fields, month inputs and a status list. Shared by the room page and the console.

import { h } from "./dom.js";
import { t } from "./i18n.js";

const FIELDS = [["lead", t("Lead"), "text"], ["partners", t("Key partners"), "text"],
  ["outputs", t("Intended outputs"), "text"], ["start", t("Start"), "month"], ["end", t("End"), "month"],
  ["resources", t("Resources"), "text"]];
export const STATUSES = [["idea", t("Idea")], ["planned", t("Planned")], ["in-progress", t("In progress")],
  ["done", t("Done")], ["dropped", t("Dropped")]];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
let counter = 0;

/** "2027-01 → 2027-06", "from 2027-01", "until 2027-06" or "". */
export function timescale(details) {
  const { start, end } = details || {};
  if (start && end) return start === end ? start : `${start} → ${end}`;
  if (start) return t("from %(start)s", { start });
  return end ? t("until %(end)s", { end }) : "";
}

/** The one line an action note shows: its lead and timescale ("" when it has neither). */
export function detailsLine(details) {
  if (!details) return "";
  const lead = details.lead ? t("Lead: %(lead)s", { lead: details.lead }) : "";
  return [lead, timescale(details)].filter(Boolean).join(" · ");
}

/** Show a note's details line in `el` (hidden when empty); the timescale never breaks inside. */
export function showDetailsLine(el, details) {
  const line = detailsLine(details);
  if (el.textContent === line) return;
  const when = timescale(details);
  const lead = when ? line.slice(0, line.length - when.length) : line;
  el.replaceChildren(lead, ...(when ? [h("span", { class: "note-timescale", text: when })] : []));
}

/** The "Action details" section of a note's editor. */
export function detailsEditor(note) {
  const current = note.details || {};
  const id = (key) => `detail-${key}-${++counter}`;
  const field = (key, label, control) => h("div", { class: `detail-field detail-${key}` },
    h("label", { for: control.id, text: label }), control);
  const inputs = FIELDS.map(([key, label, type]) => {
    const month = type === "month";
    const input = h("input", { id: id(key), type, name: `detail-${key}`, class: "detail-input",
      maxlength: month ? null : "200", placeholder: month ? t("YYYY-MM") : null,
      pattern: month ? "\\d{4}-(0[1-9]|1[0-2])" : null, autocomplete: "off" });
    input.value = current[key] || "";
    return field(key, label, input);
  });
  const status = h("select", { id: id("status"), name: "detail-status", class: "detail-input" },
    h("option", { value: "", text: t("Not set") }),
    STATUSES.map(([value, label]) => h("option", { value, text: label })));
  status.value = current.status || "";
  // Open by itself when the note has details beyond the status an action table's column gives it.
  const filled = Object.keys(current).some((key) => key !== "status");
  return h("details", { class: "note-details-editor", open: filled },
    h("summary", { text: t("Action details") }),
    h("div", { class: "detail-grid" }, inputs, field("status", t("Status"), status)));
}

/**
 * What is wrong with the details typed in an editor, in words (the server refuses the same), or
 * null: a month not written YYYY-MM, a start after the end.
 */
export function detailsProblem(form) {
  const value = (key) => form.querySelector(`[name="detail-${key}"]`)?.value.trim() || "";
  for (const [key, label] of FIELDS.filter(([, , type]) => type === "month")) {
    if (value(key) && !MONTH.test(value(key))) {
      return t("%(field)s: write the month as YYYY-MM, such as 2027-01.", { field: label });
    }
  }
  const start = value("start");
  const end = value("end");
  return start && end && start > end ? t("The start (%(start)s) cannot be after the end (%(end)s).", { start, end }) : null;
}

/** The details an editor changes, as note.update sends them (null clears a field), or null. */
export function pickedDetails(form, details) {
  const current = details || {};
  const change = {};
  for (const key of [...FIELDS.map(([name]) => name), "status"]) {
    const input = form.querySelector(`[name="detail-${key}"]`);
    if (!input) continue;
    const value = input.value.trim();
    if (value !== (current[key] || "")) change[key] = value === "" ? null : value;
  }
  return Object.keys(change).length ? change : null;
}

/** Open the editor's details section and put the focus on its start month (after a problem). */
export function focusDetails(form) {
  const section = form.querySelector(".note-details-editor");
  if (section) section.open = true;
  form.querySelector('[name="detail-start"]')?.focus();
}
