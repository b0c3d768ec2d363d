# Two commands for a newcomer:
#   make dashboard   serve the coordinator's dashboard on http://127.0.0.1:8866/
#   make test        lint and type check (make check), then the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.makker-installed
PORT   ?= 8866

.PHONY: dashboard test check browser proxy bench samples clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@# the editable install skips data files: link the template where `voila --template=makker` looks
	@mkdir -p $(VENV)/share/jupyter/voila/templates && ln -sfn $(CURDIR)/share/jupyter/voila/templates/makker $(VENV)/share/jupyter/voila/templates/makker
	@touch $(STAMP)

dashboard: $(STAMP)
	$(VENV)/bin/makker dashboard --port=$(PORT) --no-browser $(DASHBOARD_ARGS)

browser:
	@bash tools/ensure_browser.sh

proxy:
	@bash tools/ensure_proxy.sh

check: $(STAMP)
	$(VENV)/bin/ruff check makker tests
	$(VENV)/bin/mypy

test: $(STAMP) browser proxy check
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(VENV)/bin/makker bench

samples: $(STAMP)
	$(PY) sample_rosters/make_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis deploy/jupyterhub/node_modules
