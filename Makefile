# Quick start:  `make app` (set up, then open the web app on the embedded data)
#               `make test` (set up, then run the whole test suite)
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

# The editable install runs with PYTHONWARNINGS=ignore: setuptools prints a banner on every editable install.
$(VENV)/.runtime: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	PYTHONWARNINGS=ignore $(PY) -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

.PHONY: app test lint system-deps bench
app: $(VENV)/.runtime
	$(VENV)/bin/streamlit run streamlit_server.py --browser.gatherUsageStats false

system-deps:
	bash scripts/system_deps.sh

test: $(VENV)/.dev system-deps lint
	$(PY) -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.dev
	for b in bench/*.py; do $(PY) $$b || exit 1; done
