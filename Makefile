# One command sets everything up and runs the main job; one sets everything up and runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean

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

clean:
	rm -rf $(VENV) reports
