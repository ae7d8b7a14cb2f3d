// Start page: "Add room" adds a blank room row (copied from the last one, emptied, renumbered, with
// the blank board template). Without JS the three rows the page comes with still work.

import { t } from "./i18n.js";

const MAX_ROOMS = 30;
const rows = document.getElementById("room-rows");
const button = document.getElementById("add-room");

function update() {
  button.hidden = rows.children.length >= MAX_ROOMS;
}

if (rows && button) {
  button.addEventListener("click", () => {
    const last = rows.lastElementChild;
    const row = last.cloneNode(true);
    const number = rows.children.length + 1;
    row.querySelector(".room-row-title").textContent = t("Room %(number)s", { number });
    for (const input of row.querySelectorAll("input")) {
      input.value = "";
      if (input.name === "room_name") input.placeholder = t("e.g. Room %(number)s", { number });
    }
    for (const select of row.querySelectorAll("select")) {
      for (const option of select.options) option.selected = option.defaultSelected = option.value === "blank";
    }
    rows.append(row);
    update();
    row.querySelector("input").focus();
  });
  update();
}

// After a refused submit the page comes back with a message: bring it into view.
const error = document.getElementById("form-error");
if (error) {
  error.focus();
}
