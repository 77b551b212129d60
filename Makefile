# haet: `make run` for a newcomer, `make test` for everyone (and CI via .ci/run).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAGE ?= cfp
HOST ?= 127.0.0.1:8000
# The demo clock for each stage (see haet/seed.py STAGE_NOW).
HAET_NOW_cfp := 2022-05-20T12:00:00-11:00
HAET_NOW_review := 2022-06-03T12:00:00-11:00
HAET_NOW_decision := 2022-06-12T12:00:00-11:00
HAET_NOW_over := 2022-07-24T12:00:00-11:00
# Each demo stage has its own SQLite file, so switching stages needs no clean-up;
# a DATABASE_URL in the environment wins.
STAGE_DB := sqlite:///$(CURDIR)/var/haet-$(STAGE).sqlite3
DB_ENV = DATABASE_URL=$${DATABASE_URL:-$(STAGE_DB)}
# Links in mails and exports come from SITE_URL: the address `make run` serves.
SITE_ENV = SITE_URL=$${SITE_URL:-http://$(HOST)}
DEMO_PAPERS ?= 24
DEMO_REVIEWERS ?= 12
# A local run keeps the PostgreSQL test database between runs (migrations still
# apply); CI (.ci/run sets CI) always builds it afresh.
PYTEST_DB := $(if $(CI),--create-db,--reuse-db)
# Production-like variables for `check --deploy`.
DEPLOY_ENV := DEBUG=0 SECRET_KEY=ci-deploy-check-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH \
	ALLOWED_HOSTS=haet.example SITE_URL=https://haet.example HAET_NOW=

.PHONY: install axe run worker beat migrate seed test lint fmt typecheck check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# axe-core for the accessibility audit (tests/a11y.py), pinned in package-lock.json and
# loaded into the test browser from node_modules (never from a CDN). `npm ci` runs only
# when it is missing or the lock changed; without npm the audit skips (fails in CI).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	elif [ -n "$(CI)" ]; then echo "npm is needed for the accessibility audit" >&2; exit 1; \
	else echo "npm not found: the accessibility audit will skip (install Node.js and npm)"; fi

axe: $(AXE)

migrate: install
	mkdir -p var
	$(DB_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DB_ENV) $(SITE_ENV) DEBUG=1 HAET_NOW=$(HAET_NOW_$(STAGE)) $(BIN)/python manage.py seed_haet2022 \
		--stage $(STAGE) --papers $(DEMO_PAPERS) --reviewers $(DEMO_REVIEWERS) --reviews

run: seed
	$(DB_ENV) $(SITE_ENV) DEBUG=1 HAET_NOW=$(HAET_NOW_$(STAGE)) $(BIN)/python manage.py runserver $(HOST)

worker: install
	$(BIN)/celery -A haet worker --loglevel=INFO

beat: install
	$(BIN)/celery -A haet beat --loglevel=INFO --schedule=var/celerybeat-schedule

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# mypy with django-stubs over every app's services, queries, rules and models
# ([tool.mypy] in pyproject.toml says which modules and why).
typecheck: install
	$(BIN)/mypy

test: install axe
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python -m pytest $(PYTEST_DB) $(PYTEST_ARGS)

check: lint test

clean:
	rm -rf $(VENV) var staticfiles tests/artifacts .mypy_cache node_modules
