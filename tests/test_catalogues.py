"""The translation catalogues: complete, faithful to their placeholders, compiled, up to date.

For every language we ship and both domains (`messages`: templates and server texts; `js`:
browser strings): every message of the template (.pot) is translated, not fuzzy, with exactly
the same %(name)s placeholders in every plural form; the committed .mo files hold what the .po
files say; and the .pot files hold exactly what the code marks today (so a string wrapped but
not extracted, or extracted but gone, fails here: run `make messages`).
"""

import io
import os
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from facilitation.i18n import DIRECTORY, LANGUAGES

ROOT = os.path.dirname(DIRECTORY)
SHIPPED = [code for code in LANGUAGES if code != "en"]
DOMAINS = ["messages", "js"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# The same keywords as `make messages` (Makefile: PY_KEYWORDS; js: t and tn).
KEYWORDS = {
    "messages": {**DEFAULT_KEYWORDS, "N_": None, "invalid": None, "not_found": None,
                 "forbidden": None, "conflict": None, "Refused": (2,)},
    "js": {"t": None, "tn": (1, 2)},
}
CONFIG = {"messages": "babel.cfg", "js": "babel-js.cfg"}


def read_catalogue(path, locale=None):
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def template(domain):
    return read_catalogue(os.path.join(DIRECTORY, f"{domain}.pot"))


def po_path(code, domain):
    return os.path.join(DIRECTORY, code, "LC_MESSAGES", f"{domain}.po")


def ids(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def placeholders(text):
    return set(PLACEHOLDER.findall(text))


def test_we_ship_at_least_the_eight_languages():
    assert {"en", "fr", "it", "es", "pt", "pl", "de", "nl"} <= set(LANGUAGES)
    for code in SHIPPED:
        for domain in DOMAINS:
            assert os.path.exists(po_path(code, domain)), (code, domain)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated_with_the_same_placeholders(code, domain):
    catalogue = read_catalogue(po_path(code, domain), code)
    problems = []
    for message in template(domain):
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        translated = catalogue.get(key)
        if translated is None:
            problems.append(f"missing: {key!r}")
            continue
        if translated.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        forms = strings(translated)
        if isinstance(message.id, tuple) and len(forms) != catalogue.num_plurals:
            problems.append(f"{len(forms)} plural forms, not {catalogue.num_plurals}: {key!r}")
        wanted = set().union(*(placeholders(text) for text in ids(message)))
        for form in forms:
            if not form.strip():
                problems.append(f"untranslated: {key!r}")
            elif placeholders(form) != wanted:
                problems.append(f"placeholders {sorted(placeholders(form))} instead of "
                                f"{sorted(wanted)}: {key!r} -> {form!r}")
    for message, errors in catalogue.check():
        problems += [f"{message.id!r}: {error}" for error in errors]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("code", SHIPPED)
def test_compiled_catalogues_match_their_po_files(code, domain):
    """The .mo files are committed (and rebuilt by make run / make test): they must not lag."""
    catalogue = read_catalogue(po_path(code, domain), code)
    mo = po_path(code, domain)[:-3] + ".mo"
    assert os.path.exists(mo), f"{mo} is missing: run `make translations`"
    with open(mo, "rb") as handle:
        compiled = read_mo(handle)
    def entries(messages):
        return {flat(message.id): flat(message.string) for message in messages
                if message.id and any(strings(message)) and not message.fuzzy}

    assert entries(compiled) == entries(catalogue), f"{mo} is out of date: run `make translations`"


def flat(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize("domain", DOMAINS)
def test_templates_hold_what_the_code_marks(domain):
    with open(os.path.join(ROOT, CONFIG[domain])) as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    marked = {message[2][0] if isinstance(message[2], tuple) else message[2]
              for message in extract_from_dir(ROOT, method_map, options_map,
                                              keywords=KEYWORDS[domain])}
    extracted = {message.id[0] if isinstance(message.id, tuple) else message.id
                 for message in template(domain) if message.id}
    assert marked == extracted, (
        "translations/*.pot is out of date: run `make messages`, then translate.\n"
        f"not extracted: {sorted(marked - extracted)}\nno longer in the code: "
        f"{sorted(extracted - marked)}")


def test_polish_plural_forms_follow_the_numbers():
    catalogue = read_catalogue(po_path("pl", "messages"), "pl")
    assert catalogue.num_plurals == 3
    from babel.support import Translations

    with open(po_path("pl", "messages")[:-3] + ".mo", "rb") as handle:
        translations = Translations(io.BytesIO(handle.read()))
    shown = [translations.ngettext("%(num)d note", "%(num)d notes", n) % {"num": n}
             for n in (1, 2, 5, 12, 22, 25)]
    assert shown == ["1 notatka", "2 notatki", "5 notatek", "12 notatek", "22 notatki",
                     "25 notatek"]
