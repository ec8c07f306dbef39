# One command sets everything up and runs the main job; one sets everything up and runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup  ## grade every reference (live Keras) and every stub; write reports/ (JSON, HTML, Markdown)
	$(VENV)/bin/grade selfcheck --reports reports

test: setup  ## the whole test suite (CI runs this)
	$(VENV)/bin/pytest

bench: setup  ## speed and memory figures
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

messages: setup  ## extract every message into grader/locale/messages.pot, update the .po, compile the .mo (docs/i18n.md)
	$(VENV)/bin/pybabel -q extract -F grader/locale/babel.cfg --no-location --sort-output -w 110 \
		--project rnn-grader --msgid-bugs-address "" -c TRANSLATORS: -o grader/locale/messages.pot grader
	$(VENV)/bin/pybabel -q update -D messages -i grader/locale/messages.pot -d grader/locale -l zh_CN -w 110 \
		--no-fuzzy-matching --ignore-obsolete
	$(PY) -c "from grader.i18n_extract import compile_catalogs; print(*compile_catalogs(), sep='\n')"

clean:
	rm -rf $(VENV) reports
