// Action details in the one note view (static/js/note-details.js): the line on the note, what an
// editor sends, and what it says before sending.
import { test } from "node:test";
import assert from "node:assert/strict";
import { detailsLine, detailsProblem, pickedDetails, timescale } from "../../static/js/note-details.js";
import { useCatalogue } from "../../static/js/i18n.js";

/** A stand-in for the editor's form: fields by name. */
const form = (values) => ({ querySelector: (selector) => {
  const name = /name="detail-(\w+)"/.exec(selector)[1];
  return name in values ? { value: values[name] } : null;
} });

test("the line shows the lead and the timescale, in the page's language", () => {
  assert.equal(detailsLine({ lead: "Food office", start: "2027-01", end: "2027-06", status: "planned" }), "Lead: Food office · 2027-01 → 2027-06");
  assert.equal(detailsLine({ start: "2027-01" }), "from 2027-01");
  assert.equal(detailsLine({ end: "2027-06", partners: "x" }), "until 2027-06");
  assert.equal(timescale({ start: "2027-03", end: "2027-03" }), "2027-03");
  assert.equal(detailsLine({ status: "idea" }), "");
  assert.equal(detailsLine(null), "");
  useCatalogue({ lang: "fr", messages: { "Lead: %(lead)s": "Pilote : %(lead)s", "from %(start)s": "à partir de %(start)s" } });
  assert.equal(detailsLine({ lead: "Ville", start: "2027-01" }), "Pilote : Ville · à partir de 2027-01");
  useCatalogue({});
});

test("the editor sends only what changed, an emptied field as null", () => {
  const current = { lead: "Ana", start: "2027-01", status: "planned" };
  const picked = pickedDetails(form({ lead: " Ana ", partners: "Schools", outputs: "", start: "", end: "", resources: "", status: "in-progress" }), current);
  assert.deepEqual(picked, { partners: "Schools", start: null, status: "in-progress" });
  assert.equal(pickedDetails(form({ lead: "Ana", start: "2027-01", status: "planned" }), current), null);
});

test("a start after the end, or a month not written YYYY-MM, is said before sending", () => {
  assert.match(detailsProblem(form({ start: "2027-06", end: "2027-01" })), /cannot be after the end/);
  assert.match(detailsProblem(form({ start: "June 2027", end: "" })), /^Start: write the month as YYYY-MM/);
  assert.equal(detailsProblem(form({ start: "2027-01", end: "2027-06" })), null);
});
