# Every target sets itself up: a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT := demo-output

.PHONY: help install demo test lint bench clean

help:
	@echo "make demo   - run abm on the bundled examples (writes $(DEMO_OUT)/)"
	@echo "make test   - run the test suite"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - time the pipeline on generated bundles; weekly stability; a 5 GB feed"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p $(DEMO_OUT)
	$(BIN)/abm inspect examples/salesforce_account_report.csv
	$(BIN)/abm merge examples/*.csv --config examples/abm.toml -o $(DEMO_OUT)/hub.xlsx \
		--lineage $(DEMO_OUT)/lineage.csv --decisions $(DEMO_OUT)/decisions.csv
	$(BIN)/abm score $(DEMO_OUT)/hub.xlsx --config examples/abm.toml
	$(BIN)/abm tier $(DEMO_OUT)/hub.xlsx --config examples/abm.toml -o $(DEMO_OUT)/tiers.xlsx \
		--csv-dir $(DEMO_OUT)/tiers
	$(BIN)/abm explain $(DEMO_OUT)/tiers.xlsx homedepot.com --config examples/abm.toml
	$(BIN)/abm segment $(DEMO_OUT)/tiers.xlsx --config examples/abm.toml -o $(DEMO_OUT)/lists
	@echo "--- the same in one command, as the weekly cron job runs it:"
	$(BIN)/abm run --config examples/abm.toml
	@echo "--- the scorecard: funnel, pipeline, influence, lift and buying committees:"
	$(BIN)/abm measure $(DEMO_OUT)/tiers.xlsx --config examples/abm.toml \
		--opportunities examples/measure/salesforce_opportunity_report.csv \
		--contacts examples/measure/hubspot_contacts.csv \
		--engagement examples/engagement_weekly.csv -o $(DEMO_OUT)/scorecard.xlsx
	@echo "Open $(DEMO_OUT)/hub.xlsx, $(DEMO_OUT)/tiers.xlsx and $(DEMO_OUT)/scorecard.xlsx in Excel;"
	@echo "the weekly run wrote $(DEMO_OUT)/weekly/latest/."

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check abmcli tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_domains.py
	$(BIN)/python bench/bench_score_tier.py
	$(BIN)/python bench/bench_workbook.py
	$(BIN)/python bench/bench_weekly.py
	$(BIN)/python bench/bench_naive.py
	$(BIN)/python bench/bench_measure.py
	$(BIN)/python bench/title_accuracy.py
	$(BIN)/python bench/lookalikes.py
	$(BIN)/python bench/bench_run.py
	$(BIN)/python bench/bench_feed.py --gigabytes 5 --engines

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
