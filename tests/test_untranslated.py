"""No English reaches a person unless it went through the translation mechanism.

A scan of every template (text, and the attributes people read or hear) and of the Python
refusal messages. What may stay as it is (the product's name, format names, symbols) is in
ALLOWED, on purpose and short.
"""

import ast
import os
import re
from html.parser import HTMLParser

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = os.path.join(ROOT, "templates")
# Text a person may see untranslated: names, not sentences.
ALLOWED = {"Breakout Boards", "CSV", "JSON", "Markdown", "ZIP", "UTC"}
WORDS = re.compile(r"[^\W\d_]{2,}")
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description",
                      "aria-roledescription", "aria-valuetext", "label",
                      "data-label"}  # data-label: shown by CSS (a phone's table cards)
TRANSLATED_CALL = re.compile(
    r"""\b(?:_|gettext|ngettext)\(\s*(['"])(?:\\.|(?!\1).)*\1"""
    r"""(?:\s*,\s*(['"])(?:\\.|(?!\2).)*\2)?""", re.S)
LITERAL = re.compile(r"""(['"])((?:\\.|(?!\1).)*)\1""", re.S)
CODE_LIKE = re.compile(r"^[\w.\-/:#%~=]*$")  # endpoints, file names, css classes, keys


def shows_words(text):
    text = text.strip()
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    return bool(WORDS.search(text))


def english_in_expression(expression, output=False):
    """String literals in a Jinja expression that a person would read, untranslated: any
    sentence-like literal, and in an output ({{ }}) a word it prints as it is ("note" in
    `{{ "note" if n == 1 else "notes" }}`)."""
    rest = TRANSLATED_CALL.sub("", expression)
    found = []
    for match in LITERAL.finditer(rest):
        value = match.group(2)
        before = rest[:match.start()].rstrip()
        printed = output and (not before or re.search(r"(\belse|\bor|~)$", before))
        if value.startswith("<") or re.match(r"^[./][\w./-]*$", value):
            continue  # markup passed into a translation, a file name or path
        if shows_words(value) and (printed or not CODE_LIKE.match(value)):
            found.append(value)
    return found


class TextScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            visible = name in VISIBLE_ATTRIBUTES or (
                name == "value" and attributes.get("type") in ("submit", "button", "reset"))
            if visible and value and shows_words(value):
                self.found.append(f'{name}="{value.strip()}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and shows_words(data):
            self.found.append(" ".join(data.split()))


def untranslated_in_template(source):
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{%-?\s*block \w+_class\s*-?%\}.*?\{%-?\s*endblock", "", source,
                    flags=re.S)  # CSS classes
    source = re.sub(r"\{%-?\s*trans\b.*?endtrans\s*-?%\}", "", source, flags=re.S)
    found = []
    for output, statement in re.findall(r"\{\{(.*?)\}\}|\{%(.*?)%\}", source, flags=re.S):
        found += english_in_expression(output or statement, output=bool(output))
    html = re.sub(r"\{%.*?%\}", " ", re.sub(r"\{\{.*?\}\}", "x", source, flags=re.S), flags=re.S)
    scan = TextScan()
    scan.feed(html)
    return found + scan.found


def template_names():
    return sorted(name for name in os.listdir(TEMPLATES) if name.endswith(".html"))


@pytest.mark.parametrize("name", template_names())
def test_templates_show_no_untranslated_english(name):
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as handle:
        found = untranslated_in_template(handle.read())
    assert not found, (f"{name} shows English that is not wrapped in _() / ngettext() / "
                       f"{{% trans %}}: {found}")


def test_the_scan_catches_what_it_should():
    assert untranslated_in_template("<p>Hello there</p>") == ["Hello there"]
    assert untranslated_in_template('<input placeholder="e.g. Mobility">') == [
        'placeholder="e.g. Mobility"']
    assert untranslated_in_template('{{ "note" if n == 1 else "notes" }}') == ["note", "notes"]
    assert untranslated_in_template('<p>{{ _("Hello there") }} · Breakout Boards</p>') == []
    assert untranslated_in_template('{% trans %}Hi <b>{{ x }}</b>{% endtrans %}') == []
    assert untranslated_in_template("{{ url_for('views.index') }}") == []


REFUSAL_HELPERS = {"invalid": 0, "not_found": 0, "forbidden": 0, "conflict": 0, "Refused": 1,
                   "gettext": 0, "ngettext": 0, "N_": 0}


def python_files():
    for folder, _, files in os.walk(os.path.join(ROOT, "facilitation")):
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def test_messages_to_people_are_literal_templates():
    """A refusal or gettext message is a literal (or a constant marked N_): never an f-string,
    `+` or `.format()`, which pybabel cannot extract and no translator would ever see."""
    found = []
    for path in python_files():
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in REFUSAL_HELPERS or len(node.args) <= REFUSAL_HELPERS[name]:
                continue
            message = node.args[REFUSAL_HELPERS[name]]
            if isinstance(message, (ast.JoinedStr, ast.BinOp)) or (
                    isinstance(message, ast.Call)
                    and getattr(message.func, "attr", None) == "format"):
                found.append(f"{os.path.relpath(path, ROOT)}:{node.lineno}")
    assert not found, f"messages built in code (pass values as parameters): {found}"


# ---- browser modules

JS = os.path.join(ROOT, "static", "js")
# Literals that are code, told by what comes right before them: selectors, classes, imports,
# comparisons, keys, events, attributes, errors for developers.
JS_CODE_BEFORE = re.compile(
    r"(querySelector(All)?|closest|matches|getElementById|addEventListener|removeEventListener"
    r"|classList\.(add|remove|toggle|contains)|toggle|setAttribute|getAttribute|hasAttribute"
    r"|removeAttribute|startsWith|endsWith|includes|split|join|replace|createElement"
    r"|createElementNS|Error|emit|request|on|off|console\.\w+|import|from|new URL|fetch"
    r"|setAttribute\(\s*[\"'](class|id|role|data-[\w-]+)[\"'],"
    r"|dataset\.\w+\s*=|\b(class|className|type|name|role|rel|target|id|for|href|src|autocomplete"
    r"|enterkeyhint|inputmode|accept|action|method|kind|icon|look|mode|key|status|code|area"
    r"|format|section|head|heading|menu|count|empty|form|small|composer|caption)\s*:"
    r"|===|!==|==|!=|case|typeof\s+\w+\s*===?)\s*\(?\s*$")
JS_LITERAL = re.compile(r"""(["'`])((?:\\.|(?!\1)[^\\])*)\1""", re.S)
# Calls whose first (and second) argument is the message itself.
JS_TRANSLATED = re.compile(r"\b(t|tn)\(\s*$")


def js_code(source):
    """The source without comments (strings kept, so `//` inside a string survives)."""
    out, i = [], 0
    while i < len(source):
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = len(source) if i < 0 else i
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = len(source) if end < 0 else end + 2
        elif source[i] in "\"'`":
            match = JS_LITERAL.match(source, i)
            end = match.end() if match else i + 1
            out.append(source[i:end])
            i = end
        else:
            out.append(source[i])
            i += 1
    return "".join(out)


def untranslated_in_js(source):
    code = js_code(source)
    found = []
    previous_was_translated = False
    for match in JS_LITERAL.finditer(code):
        before = code[max(0, match.start() - 80):match.start()]
        value = re.sub(r"\$\{[^}]*\}", " ", match.group(2))
        translated = bool(JS_TRANSLATED.search(before)) or (
            previous_was_translated and re.search(r",\s*$", before))
        previous_was_translated = bool(JS_TRANSLATED.search(before))
        if translated or JS_CODE_BEFORE.search(before):
            continue
        words = re.sub(r"[^\W\d_]+(?:-[^\W\d_]+)+", " ", value)  # css-like-names
        sentence = re.search(r"[^\W\d_]{2,}[,.:;!?…]*\s+[^\W\d_]{2,}", words)
        capital = re.search(r"(^|\s)[A-Z][a-z]{2,}", words)
        if (sentence or capital) and shows_words(value) and value.strip() not in JS_ALLOWED:
            found.append(value.strip())
    return found


# Texts a person may see as they are (names), and English compared, never shown.
JS_ALLOWED = {"Breakout Boards", "CSV", "JSON", "Markdown", "ZIP",
              "note cnote",  # CSS classes chosen by a condition
              "(pointer: fine)"}  # a media query


def js_files():
    return sorted(name for name in os.listdir(JS) if name.endswith(".js"))


@pytest.mark.parametrize("name", js_files())
def test_browser_modules_show_no_untranslated_english(name):
    with open(os.path.join(JS, name), encoding="utf-8") as handle:
        source = handle.read()
    found = untranslated_in_js(source)
    # pybabel does not look inside ${...} of a template literal: a t() there is never extracted.
    found += [f"t() inside a template literal: {m}" for m in re.findall(r"\$\{\s*tn?\([^}]*", source)
              if not re.match(r"\$\{\s*tn?\(\s*[a-zA-Z_]", m)]
    assert not found, (f"static/js/{name} shows English outside t() / tn() from i18n.js: "
                       f"{found}")


def test_the_js_scan_catches_what_it_should():
    assert untranslated_in_js('el.textContent = "Add a note";') == ["Add a note"]
    assert untranslated_in_js("x = `${n} new notes`;") == ["new notes"]
    assert untranslated_in_js('h("button", { text: "Copy" })') == ["Copy"]
    assert untranslated_in_js('el.textContent = t("Add a note");') == []
    assert untranslated_in_js('tn("%(num)s note", "%(num)s notes", n)') == []
    assert untranslated_in_js('document.querySelector(".group .note")') == []
    assert untranslated_in_js('h("div", { class: "btn btn-small" })') == []
    assert untranslated_in_js('if (e.key === "Enter") go(); // Press Enter to add') == []
    assert untranslated_in_js('import { t } from "./i18n.js";') == []
