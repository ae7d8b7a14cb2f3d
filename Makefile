# Two commands do all set-up: `make run` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

PYBABEL := $(VENV)/bin/pybabel
# Languages we ship besides English (the source language). See the README, "Languages".
LANGS := de es fr it nl pl pt
DOMAINS := messages js
MO_FILES := $(foreach l,$(LANGS),$(foreach d,$(DOMAINS),translations/$(l)/LC_MESSAGES/$(d).mo))
# pybabel keywords: gettext/ngettext/_ (default) plus N_ and the refusal helpers' message argument.
PY_KEYWORDS := -k N_ -k invalid -k not_found -k forbidden -k conflict -k Refused:2
EXTRACT := extract --add-location=file --sort-output --no-wrap --project="Breakout Boards" \
	--copyright-holder="Breakout Boards"
UPDATE := update --no-fuzzy-matching --ignore-obsolete --no-wrap

.PHONY: run test bench clean translations messages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed translations
	$(PY) app.py

test: $(VENV)/.test-installed translations
	$(PY) -m pytest $(PYTEST_ARGS)

# Compile each catalogue (.po -> .mo) when its .po changed; `make run` and `make test` do it.
translations: $(MO_FILES)

translations/%.mo: translations/%.po | $(VENV)/.run-installed
	$(PYBABEL) compile -i $< -o $@

# After adding or changing user-visible strings: collect them into the .pot templates and
# merge those into every language's .po (then translate the new entries, then `make translations`).
messages: | $(VENV)/.run-installed
	$(PYBABEL) $(EXTRACT) -F babel.cfg $(PY_KEYWORDS) -o translations/messages.pot .
	$(PYBABEL) $(EXTRACT) -F babel-js.cfg --no-default-keywords -k t -k tn:1,2 \
		-o translations/js.pot .
	$(PYBABEL) $(UPDATE) -i translations/messages.pot -d translations -D messages
	$(PYBABEL) $(UPDATE) -i translations/js.pot -d translations -D js
	$(PY) translations/normalise.py


clean:
	rm -rf $(VENV) .pytest_cache
