# ckanext-cdm — everything from a clean clone:
#   make demo   install, start the services, migrate, load the demo, serve :5000 (gunicorn)
#   make test   the same set-up, then ruff and the whole test suite
#   make stop   stop the services this project started (and only those)
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= $(CURDIR)/.venv
CKAN := $(VENV)/bin/ckan
export CDM_VENV := $(VENV)

.PHONY: help venv services stop status demo demo-data demo-reset test test-quick test-dates test-browser browser lint format i18n db-demo db-test bench

help:
	@echo "make demo     install, start services, migrate, load the demo catalogue, serve http://127.0.0.1:5000 with gunicorn"
	@echo "make test     install, start services, ruff, pytest against the real services (with Chromium)"
	@echo "make test-quick  the same without the browser, junk and demo tests (the inner loop)"
	@echo "make test-dates  the quick suite under five dates with faketime (31 Dec 23:50 and 23:58:30, 1 Jan 00:10, 29 Feb, 15 Aug)"
	@echo "make test-browser  only the browser suite (tests/browser: Chromium and axe-core)"
	@echo "make stop     stop the services started by the project"
	@echo "make status   tell which services answer"
	@echo "make demo-reset  empty the demo database and search index"
	@echo "make i18n     extract, update and compile the translation catalogues"
	@echo "make bench    time the catalogue with and without the cdm plugin (2,000 datasets; docs/performance.md)"
	@echo "make bench-report  time the annual report's figures on 10,000 reviews and opinions"
	@echo "make bench-scale-out  two gunicorn nodes, an rq worker, SolrCloud (2 shards): badges and races checked (docs/scaling.md)"
	@echo "make bench-scale  time badges refresh, the register, the CSV export, the report, a charter adoption (CDM_BENCH_DATASETS=100000: at scale)"

venv:
	@bash scripts/venv.sh

services: venv
	@bash scripts/postgres.sh start
	@bash scripts/redis.sh start
	@bash scripts/solr.sh start

stop:
	@bash scripts/solr.sh stop
	@bash scripts/redis.sh stop
	@bash scripts/postgres.sh stop

status:
	@rc=0; for service in postgres redis solr; do bash scripts/$$service.sh status || rc=1; done; exit $$rc

db-demo: services
	@bash scripts/ckan-db.sh demo.ini

db-test: services
	@bash scripts/ckan-db.sh test.ini

demo-data: db-demo
	@$(CKAN) -c demo.ini cdm demo
	@# a search index started afresh beside a kept database (say, after removing
	@# .run/) gets the datasets it lacks
	@$(CKAN) -c demo.ini search-index rebuild --only-missing --quiet 2>/dev/null

demo: demo-data
	@bash scripts/serve.sh demo.ini

demo-reset: services
	@$(CKAN) -c demo.ini db clean --yes >/dev/null
	@$(CKAN) -c demo.ini search-index clear >/dev/null
	@$(CKAN) -c demo.ini jobs clear >/dev/null
	@echo "Demo database and search index emptied: 'make demo' loads the catalogue again."

lint: venv
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: venv
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

# Debian's Chromium and ChromeDriver for tests/browser (never a downloaded browser)
browser:
	@bash scripts/chromium.sh

# the whole suite, with its 20 slowest tests (docs/development.md: the layers and their budgets)
test: lint db-test browser
	@$(VENV)/bin/pytest --ckan-ini=test.ini tests --durations=20 $(PYTEST_ARGS)

# the inner loop of a change: everything but the browser, junk and demo tests
test-quick: db-test
	@$(VENV)/bin/pytest --ckan-ini=test.ini tests -m "not browser and not junk and not demo" $(PYTEST_ARGS)

# the quick suite under four dates (libfaketime): no test may depend on the day
# it runs; TESTS="tests/x.py ..." runs those instead (docs/development.md)
test-dates: db-test
	@bash scripts/test-dates.sh $(TESTS)

test-browser: db-test browser
	@$(VENV)/bin/pytest --ckan-ini=test.ini tests/browser $(PYTEST_ARGS)

i18n: venv
	@bash scripts/i18n.sh

# a benchmark, never a test: its own database and Solr core (docs/performance.md)
bench: services
	@bash bench/run.sh
# what grows with the catalogue, on the benchmark's catalogue (docs/performance.md)
.PHONY: bench-scale
bench-scale: services
	@bash bench/run.sh scale
# the annual report's figures for a year of 10,000 reviews and opinions
# (built in a transaction rolled back at the end: the test database is left as it was)
.PHONY: bench-report
bench-report: db-test
	@$(VENV)/bin/python bench/report.py test.ini
# the portal scaled out on this machine: SolrCloud (two shards), two gunicorn
# nodes, one rq worker, all started and stopped by the script (docs/scaling.md)
.PHONY: bench-scale-out
bench-scale-out: services
	@bash bench/scale_out.sh
