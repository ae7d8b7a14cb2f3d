// The join form of the room page and the lobby (templates/_join_fields.html): a name and a city,
// checked here before anything is sent, then the session joins.

import { setText } from "./dom.js";
import { t } from "./i18n.js";

/** dom: {form, name, city, button, error, wait}; label: the button's text; join(name, city). */
export function createJoinForm(dom, { label, join, isConnected }) {
  if (dom.city.options.length === 2 && !dom.city.value) dom.city.selectedIndex = 1; // one city: nothing to choose

  dom.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = dom.name.value.trim();
    const city = dom.city.value;
    const error = !name ? t("Please type your name.") : !city ? t("Please choose your city.") : "";
    setText(dom.error, error);
    dom.error.hidden = !error;
    if (error) {
      (name ? dom.city : dom.name).focus();
      return;
    }
    dom.button.disabled = true;
    dom.button.textContent = isConnected() ? t("Joining…") : t("Waiting for connection…");
    join(name, city);
  });

  return {
    /** The form, ready to fill (with what went wrong, if anything). */
    show(error) {
      dom.form.hidden = false;
      dom.wait.hidden = true;
      dom.button.disabled = false;
      dom.button.textContent = label;
      setText(dom.error, error || "");
      dom.error.hidden = !error;
      if (error || !dom.name.value) dom.name.focus();
    },
    /** Joining with a kept token: "Joining…" instead of the form. */
    waiting() {
      dom.form.hidden = true;
      dom.wait.hidden = false;
    },
  };
}
