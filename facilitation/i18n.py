"""Languages: which one a request or a socket speaks, its gettext catalogues, Babel formats.

Every user-visible string is English in the code and marked for extraction (`_()` / `ngettext()`
in templates, `N_()` or a refusal helper in Python, `t()` / `tn()` in browser modules). `pybabel`
collects them into `translations/*.pot`; each language's `.po` holds its translations, compiled to
`.mo` (see the README, "Languages"). Placeholders are `%(name)s` everywhere, filled after
translation, so a translation may move them.

A request's language: `?lang=xx` (kept in a cookie), else the cookie, else the browser's
Accept-Language, else the workshop's default language (set by the view through
`use_workshop_language`), else English.
"""

import os
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from babel.support import Translations
from flask import g, has_request_context, request
from flask_babel import (Babel, force_locale, get_locale, gettext,  # noqa: F401 (re-exported)
                         ngettext, refresh)

# Each language under its own name, in the menu's order; English is the source language.
LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "translations")


class Msg(str):
    """English text marked for translation (by `N_`): a str everywhere, translated on the way out.

    A refusal's parameters that are `Msg` (a field's label, say) are translated too.
    """

    __slots__ = ()


def N_(text):
    """Mark a string for extraction without translating it now (module constants, labels)."""
    return Msg(text)


def supported(code):
    """The language code if we ship it, else None."""
    return code if isinstance(code, str) and code in LANGUAGES else None


def select_language():
    """The current request's language (see the module's docstring for the order)."""
    if not has_request_context():
        return g.get("language") or DEFAULT
    chosen = supported(request.args.get("lang")) or supported(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    best = accepted_language(request.accept_languages)
    if best:
        return best
    return supported(g.get("workshop_language")) or DEFAULT


def accepted_language(accept):
    """The browser's most wanted language that we ship ("fr-CA" asks for French), or None."""
    for value, quality in accept:  # highest quality first
        code = supported(value.split("-")[0].split("_")[0].lower())
        if code and quality > 0:
            return code
    return None


def current_language():
    """The code of the language this request (or CLI command) speaks."""
    locale = get_locale()
    return str(locale) if locale is not None else DEFAULT


def use_workshop_language(code):
    """Tell the language choice this request's workshop default (before anything renders)."""
    g.workshop_language = supported(code)
    refresh()


def remember_choice(response):
    """`?lang=xx` keeps its choice in a cookie for the next pages."""
    chosen = supported(request.args.get("lang"))
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            path=(request.script_root or "") + "/", httponly=False)
    return response


@lru_cache(maxsize=None)
def translations(code, domain="messages"):
    """The compiled catalogue of a language (English: the source texts themselves)."""
    return Translations.load(DIRECTORY, [supported(code) or DEFAULT], domain)


def translate(text, code=None, **params):
    """`text` in a language (the current one by default), placeholders filled after."""
    code = code or current_language()
    out = translations(code).gettext(text)
    params = {key: shown(value, code) for key, value in params.items()}
    return out % params if params else out


def shown(value, code):
    """A placeholder's value as shown: marked text and nested refusals translated too."""
    if isinstance(value, Msg):
        return translations(code).gettext(value)
    if hasattr(value, "text"):  # a Refused inside another's message
        return value.text(code)
    return value


# Marked texts the browser shows from server data (a map's captions and axes arrive in the room
# state in English): the browser catalogue carries their translations too, for t(text).
FOR_BROWSER = []


def for_browser(*texts):
    """Let browser modules translate these marked server texts with t(text)."""
    FOR_BROWSER.extend(texts)
    js_catalogue.cache_clear()


def plural_categories(code):
    """Which CLDR plural category (Intl.PluralRules) picks which gettext form of a language."""
    catalogue = translations(code, "js")
    plural = getattr(catalogue, "plural", lambda n: int(n != 1))
    locale = Locale.parse(code)
    forms = {}
    for n in range(0, 1001):
        forms.setdefault(locale.plural_form(n), plural(n))
    forms.setdefault("other", max(forms.values()))
    return forms


@lru_cache(maxsize=None)
def js_catalogue(code):
    """The browser's catalogue for a language: {msgid: text or {plural category: text}}."""
    code = supported(code) or DEFAULT
    catalogue = getattr(translations(code, "js"), "_catalog", {})
    categories = plural_categories(code)
    messages = {}
    for key, text in catalogue.items():
        if not key or not text:
            continue
        if isinstance(key, tuple):
            msgid, index = key
            forms = messages.setdefault(msgid, {})
            for category, form in categories.items():
                if form == index:
                    forms[category] = text
        else:
            messages[key] = text
    if code != DEFAULT:
        for text in FOR_BROWSER:
            messages.setdefault(text, translations(code).gettext(text))
    return {"lang": code, "messages": messages}


def format_locale(code=None):
    """The Babel locale for formats: British English for English (day month year, 24 hours)."""
    code = code or current_language()
    return "en_GB" if code == "en" else code


def readable_time(iso, code=None):
    """An ISO UTC time as a reader of the language writes it, e.g. 22 Nov 2026, 09:30 UTC."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return ""
    locale = format_locale(code)
    day = format_skeleton("yMMMd", moment, tzinfo=moment.tzinfo, locale=locale)
    return f"{day}, {format_time(moment, 'HH:mm', tzinfo=moment.tzinfo, locale=locale)} UTC"


def long_date(day, code=None):
    """A date as a reader of the language writes it in full: 2 December 2026, 2. Dezember 2026."""
    return format_date(day, "long", locale=format_locale(code))


def number(value, code=None):
    """A number written the language's way (1,234 / 1 234 / 1.234)."""
    return format_decimal(value, locale=format_locale(code))


def language_links():
    """The language menu's entries: code, own name, and this page's URL in that language."""
    args = request.args.to_dict(flat=False)
    links = []
    for code, name in LANGUAGES.items():
        query = {**args, "lang": [code]}
        pairs = [(key, value) for key, values in query.items() for value in values]
        links.append({"code": code, "name": name,
                      "url": f"{request.script_root}{request.path}?{urlencode(pairs)}"})
    return links


def init_app(app):
    """Flask-Babel over translations/, the language cookie, and the template helpers."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", DIRECTORY)
    Babel(app, locale_selector=select_language)
    app.after_request(remember_choice)
    app.add_template_filter(number, "number")
    app.add_template_filter(long_date, "long_date")

    # Template texts are trimmed like the extraction (babel.cfg): `{% trans %}` blocks may wrap.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.context_processor
    def language_context():
        code = current_language()
        return {"lang": code, "language_name": LANGUAGES.get(code, code),
                "language_links": language_links, "js_catalogue": lambda: js_catalogue(code)}
