// Browser strings in the page's language. The server embeds this page's catalogue as JSON
// (<script type="application/json" id="i18n-catalogue">, built from translations/<lang>/js.po);
// English is the source text itself. Write every user-visible string as t("...") or
// tn("...", "...", n): `pybabel` extracts exactly those calls (see the README, "Languages").
// Placeholders are %(name)s, filled after translation, so a translation may move them; never
// build a sentence from pieces.

function readCatalogue() {
  const element = typeof document !== "undefined" && document.getElementById("i18n-catalogue");
  if (!element) return { lang: "en", messages: {} };
  try {
    return JSON.parse(element.textContent);
  } catch {
    return { lang: "en", messages: {} };
  }
}

let catalogue = readCatalogue();
let pluralRules = new Intl.PluralRules(catalogue.lang || "en");
let numbers = new Intl.NumberFormat(catalogue.lang || "en");

/** The page's language code (as in <html lang>). */
export function language() {
  return catalogue.lang || "en";
}

/** For tests (node --test): use a catalogue object instead of the page's. */
export function useCatalogue(data) {
  catalogue = { lang: "en", messages: {}, ...data };
  pluralRules = new Intl.PluralRules(catalogue.lang);
  numbers = new Intl.NumberFormat(catalogue.lang);
}

/** Fill %(name)s placeholders of an already translated text. */
export function fill(text, params) {
  return text.replace(/%\((\w+)\)[sd]/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

/** A message in the page's language, placeholders filled: t("Hello %(name)s", {name}). */
export function t(message, params = {}) {
  const translated = catalogue.messages[message];
  return fill(typeof translated === "string" && translated ? translated : message, params);
}

/** A counted message: tn("%(num)s note", "%(num)s notes", n); %(num)s is n, written locally. */
export function tn(singular, plural, count, params = {}) {
  const all = { num: numbers.format(count), ...params };
  const forms = catalogue.messages[singular];
  if (forms && typeof forms === "object") {
    const text = forms[pluralRules.select(count)] || forms.other;
    if (text) return fill(text, all);
  }
  return fill(count === 1 ? singular : plural, all);
}

/** A number written the page language's way. */
export function formatNumber(value) {
  return numbers.format(value);
}
