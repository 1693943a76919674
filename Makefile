# Quartiere — the two commands every user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install run test test-fast lint format check messages bench lighthouse backup restore clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# AgID's checker of SPID metadata (tests/identita/test_metadati_agid.py), in a virtualenv of
# its own: through spid-compliant-certificates it pins packaging 21.2, which pytest, pip and
# the project's other tools no longer run with.
SPID_SP_TEST := $(VENV)/spid-sp-test/bin/spid_sp_test
$(SPID_SP_TEST): $(STAMP)
	$(PY) -m venv $(VENV)/spid-sp-test
	$(VENV)/spid-sp-test/bin/pip install --quiet "spid-sp-test==1.2.18"

## Start the app with demo data on http://127.0.0.1:8000 (embedded PostgreSQL under var/).
run: $(STAMP)
	scripts/requisiti-sistema run
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py avvia

## Run every test (unit, integration, browser) against a throwaway PostgreSQL. Installs the
## Debian packages the browser and PDF tests need first (as root), or says which are missing.
test: $(STAMP) $(SPID_SP_TEST)
	scripts/requisiti-sistema test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## Lighthouse scores of the citizen's pages with the production configuration (docs/performance.md).
lighthouse: $(STAMP)
	$(PY) -m bench.lighthouse

## Rebuild the translation catalogues (needs GNU gettext); the compiled .mo files are committed.
## The core and the shared templates go to locale/, each app to <app>/locale/.
APPS := segnalazioni mediazione laboratori patti abitare
I18N_ENV := QUARTIERE_NO_EMBEDDED_DB=1 DJANGO_DEBUG=1
messages: $(STAMP)
	$(I18N_ENV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests \
		--ignore=bench --ignore=staticfiles $(addprefix --ignore=,$(APPS))
	for app in $(APPS); do (cd $$app && mkdir -p locale && $(I18N_ENV) ../$(PY) ../manage.py makemessages -l en); done
	$(I18N_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles

## Back up the database and the uploaded files into var/backups/ (docs/operations.md).
## Without a secret key in the environment this is a development checkout: DEBUG settings.
OPS_ENV = DJANGO_DEBUG=$${DJANGO_DEBUG:-$$(test -n "$$DJANGO_SECRET_KEY$$DJANGO_SECRET_KEY_FILE" && echo 0 || echo 1)}
backup: $(STAMP)
	$(OPS_ENV) $(PY) manage.py backup

## Restore a backup into an EMPTY database and media folder: make restore FILE=var/backups/x.tar
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Uso: make restore FILE=var/backups/quartiere-....tar" >&2; exit 2; }
	$(OPS_ENV) $(PY) manage.py restore "$(FILE)"

## Benchmark at scale 1, served by gunicorn on 127.0.0.1 (docs/performance.md). Builds the
## database under var/bench/ once and reuses it; BENCH_ARGS="--ricostruisci" rebuilds it.
bench: $(STAMP)
	$(PY) bench/harness.py $(BENCH_ARGS)
