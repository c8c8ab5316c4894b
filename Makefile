# The assistant's two everyday commands are `make run` and `make test`; everything else is what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(PY) -m rasa
# Rasa 3.6 runs on Python 3.8-3.10: use python3.10 from PATH, else a pyenv installation of it.
PYTHON310 := $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	if $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then echo $$p; break; fi; done)

MODEL := models/shop.tar.gz
SPACY_MODEL := models/spacy/shop_en/meta.json
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(SPACY_MODEL)

.PHONY: install run run-scaled test test-fast check train spacy-model demo-data bench clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt constraints.txt requirements-nodeps.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6 runs on 3.8-3.10)"; exit 1; }
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-nodeps.txt
	@touch $@

node_modules/.installed: package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi
	@mkdir -p node_modules && touch $@

spacy-model: $(SPACY_MODEL)
$(SPACY_MODEL): $(VENV)/.installed bot/store/catalog.py bot/rasa_server/nlu/spacy_pipeline.py bot/rasa_server/nlu/entity_patterns.py
	$(PY) -m bot spacy-model

demo-data: $(VENV)/.installed
	$(PY) -m bot demo-data

train: $(MODEL)
$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	$(RASA) train --fixed-model-name shop --out models
	@touch $@

# The demo (DEMO_MODE=1) answers live around the clock, creates a demo agent with a generated password,
# switches the REST channel on with a generated token and offers "sign in as a demo customer". A shop runs
# `python -m bot run` with ASSISTANT_ENV=production and its own secrets instead (README, "Security").
run: install train demo-data
	DEMO_MODE=$${DEMO_MODE:-1} BUSINESS_HOURS="$${BUSINESS_HOURS:-Mon-Sun 00:00-24:00}" WEBCHAT_DEMO_SIGNIN=$${WEBCHAT_DEMO_SIGNIN:-1} $(PY) -m bot run

# The same assistant on this machine's Redis, RabbitMQ and PostgreSQL: two Rasa servers and two bot services
# behind nginx on the same public ports (docs/scaling.md). The supervisor refuses to start without the three.
run-scaled: install train
	DEPLOYMENT=scaled DEMO_MODE=$${DEMO_MODE:-1} BUSINESS_HOURS="$${BUSINESS_HOURS:-Mon-Sun 00:00-24:00}" WEBCHAT_DEMO_SIGNIN=$${WEBCHAT_DEMO_SIGNIN:-1} $(PY) -m bot run

test: install train
	$(PY) -m pytest

# Under a minute: the tests that need no trained model, server, database service or browser (tests/conftest.py).
test-fast: install
	$(PY) -m pytest -q -m fast

# What the machine checks before the tests (CI runs it first): style, formatting, types, the import contract.
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	node_modules/.bin/eslint -c bot/service/eslint.config.mjs bot/service/webchat/static bot/service/console_files

bench: install train demo-data
	$(PY) -m benchmarks all

clean:
	rm -rf models/*.tar.gz models/spacy var results .pytest_cache
