# qualstat: `make tour` runs the quick tour, `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-installed

.PHONY: fuzz tour test develop rust-test lint py-test stubtest bench compare clean report-screenshot

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "maturin>=1.9.4,<2" numpy polars pytest hypothesis scipy statsmodels pandas mypy ruff matplotlib mpmath
	touch $(STAMP)

develop: $(STAMP)
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --release

tour: develop
	$(PY) -m qualstat.tour

rust-test:
	cargo test --quiet
	cargo test --quiet --features python --lib
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --all-targets --features python -- -D warnings
	cargo fmt --check

lint: $(STAMP)
	$(VENV)/bin/ruff check python tests benches
	$(VENV)/bin/ruff format --check python tests benches

stubtest: develop
	$(PY) -m mypy.stubtest qualstat._qualstat --allowlist stubtest-allowlist.txt
	$(PY) -m mypy python/qualstat

py-test: develop
	$(PY) -m pytest -q

test: rust-test lint stubtest py-test

# Every property test under FUZZ_ROUNDS fresh random seeds (not part of `make test`).
FUZZ_ROUNDS ?= 20
fuzz: develop
	for i in $$(seq $(FUZZ_ROUNDS)); do \
	  $(PY) -m pytest -q -x -p no:cacheprovider --hypothesis-seed=$$RANDOM$$RANDOM \
	    $$(grep -l "@given" tests/python/*.py); \
	done

# The tour's spot-check report as HTML and a headless-Chromium screenshot of it, to check that
# it renders in a real browser (not part of `make test`; installs Debian's chromium if missing).
REPORT_DIR := target/report
report-screenshot: develop
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	mkdir -p $(REPORT_DIR)
	MPLBACKEND=Agg $(PY) -c "from qualstat._tour_supervision import spot_check_example; \
	  spot_check_example().to_html('$(REPORT_DIR)/spot_check_report.html')"
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	  --screenshot=$(abspath $(REPORT_DIR))/spot_check_report.png --window-size=1280,4000 \
	  file://$(abspath $(REPORT_DIR))/spot_check_report.html 2>$(REPORT_DIR)/chromium.log
	@echo "wrote $(REPORT_DIR)/spot_check_report.html and $(REPORT_DIR)/spot_check_report.png"

bench:
	cargo bench

compare: develop
	$(PY) benches/compare_peers.py

clean:
	cargo clean
	rm -rf $(VENV)
