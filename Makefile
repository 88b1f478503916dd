# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Resolve (and if need be start) PostgreSQL once per make invocation; DATABASE_URL wins.
WITH_DB = DATABASE_URL="$$(scripts/ensure-postgres)" && export DATABASE_URL &&

.PHONY: run test test-fast lint format install db messages bench bench-quick wrk help

help:
	@echo "make run          set up and serve http://127.0.0.1:8000 with the demo data"
	@echo "make test         set up and run ruff and the whole test suite (what CI runs)"
	@echo "make test-fast    the same without the browser tests, for the edit loop"
	@echo "make bench-quick  the figures on 5,000 learners, two gunicorn servers on loopback (under 3 minutes)"
	@echo "make bench        the same on 100,000 learners (seeded once into creditbank_scale)"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

db: install
	@$(WITH_DB) $(PY) scripts/createdb.py && $(PY) manage.py migrate --noinput

run: install
	@$(WITH_DB) $(PY) scripts/createdb.py \
		&& $(PY) manage.py migrate --noinput \
		&& $(PY) manage.py issuer_keys --if-missing \
		&& $(PY) manage.py seed_demo \
		&& echo "Serving http://127.0.0.1:8000  (demo users: see README.md)" \
		&& { $(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		     $(PY) manage.py runserver 127.0.0.1:8000; }

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: lint
	@$(WITH_DB) $(PY) scripts/createdb.py && $(PY) -m pytest $(PYTEST_ARGS)

# The edit loop: `make test` without the browser tests. CI runs `make test`.
test-fast: lint
	@$(WITH_DB) $(PY) scripts/createdb.py && $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

messages: install
	$(PY) manage.py makemessages -l th -l en --no-obsolete -i '.venv/*' -i '.pgdata/*'
	$(PY) manage.py compilemessages -i .venv

# The load generator of the throughput figures, from Debian's packages when missing (needs root).
wrk:
	@command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }

# Full size: 100,000 learners (about 2,000,000 deposits) in creditbank_scale, seeded once and kept.
bench: install wrk
	@DBNAME=creditbank_scale && export DBNAME && $(WITH_DB) $(PY) scripts/createdb.py \
		&& DEBUG=false SECRET_KEY=bench-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz SITE_URL=http://127.0.0.1:8000 \
		   $(PY) manage.py collectstatic --noinput -v0 && $(PY) manage.py issuer_keys --if-missing && $(PY) bench/run.py

# Small size on a fresh database, under 3 minutes.
bench-quick: install wrk
	@DBNAME=creditbank_bench_quick && export DBNAME && $(WITH_DB) $(PY) scripts/createdb.py --fresh \
		&& DEBUG=false SECRET_KEY=bench-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz SITE_URL=http://127.0.0.1:8000 \
		   $(PY) manage.py collectstatic --noinput -v0 && $(PY) manage.py issuer_keys --if-missing && $(PY) bench/run.py --quick
