# Two commands for a newcomer:
#   make dashboard   serve the coordinator's dashboard on http://127.0.0.1:8866/
#   make test        lint and type check (make check), then the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.makker-installed
PORT   ?= 8866

.PHONY: dashboard test check browser bench samples clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

dashboard: $(STAMP)
	@echo "makker: open http://127.0.0.1:$(PORT)/ in your browser (Ctrl+C stops the server)"
	JUPYTER_PATH="$(CURDIR)/share/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH}" \
	  $(VENV)/bin/voila dashboards/makkerskap.ipynb --template=makker --Voila.ip=127.0.0.1 --port=$(PORT) --no-browser $(VOILA_ARGS)

browser:
	@bash tools/ensure_browser.sh

check: $(STAMP)
	$(VENV)/bin/ruff check makker tests
	$(VENV)/bin/mypy

test: $(STAMP) browser check
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(VENV)/bin/makker bench

samples: $(STAMP)
	$(PY) sample_rosters/make_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
