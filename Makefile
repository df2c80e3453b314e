# qualstat: `make tour` runs the quick tour, `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-installed

.PHONY: docs wheel wheel-test fuzz tour test develop rust-test lint py-test stubtest bench compare compare-dask spark-recipe clean report-screenshot

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "maturin>=1.9.4,<2" numpy polars pytest hypothesis scipy statsmodels pandas mypy ruff matplotlib mpmath "dask[dataframe]" distributed psutil
	touch $(STAMP)

develop: $(STAMP)
	rm -f python/qualstat/_qualstat.cpython-*.so  # a pre-abi3 build would shadow the abi3 one
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --release

tour: develop
	$(PY) -m qualstat.tour

rust-test:
	cargo test --quiet
	cargo test --quiet --features serde
	cargo test --quiet --features python --lib
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --all-targets --features python,serde -- -D warnings
	cargo fmt --check
	RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --features serde
	for example in plan_lookup lot_service capability; do \
	  cargo run --quiet --features serde --example $$example > /dev/null; \
	done

lint: $(STAMP)
	$(VENV)/bin/ruff check python tests benches
	$(VENV)/bin/ruff format --check python tests benches

stubtest: develop
	$(PY) -m mypy.stubtest qualstat._qualstat --allowlist stubtest-allowlist.txt
	$(PY) -m mypy python/qualstat

py-test: develop
	$(PY) -m pytest -q

test: rust-test lint stubtest py-test wheel-test

# The documentation site (mkdocs-material + mkdocstrings; the walk-throughs'
# code blocks are executed by markdown-exec), warnings as errors, in site/.
DOCS_STAMP := $(VENV)/.docs-deps-installed
$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet mkdocs==1.6.1 mkdocs-material==9.8.2 mkdocstrings==1.0.8 \
	  mkdocstrings-python==2.0.11 markdown-exec==1.12.6
	touch $@

docs: develop $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 MPLBACKEND=Agg $(VENV)/bin/mkdocs build --strict --quiet

# One abi3 wheel for CPython >= 3.10 (pyo3 feature abi3-py310), in dist/.
wheel: $(STAMP)
	rm -rf dist
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin build --release --quiet --out dist

# The wheel installed alone into a clean virtual environment runs the tour and
# the qualstat command, from a folder where the source tree cannot be imported
# by mistake.
WHEEL_VENV := $(abspath .wheel-venv)
wheel-test: wheel
	rm -rf $(WHEEL_VENV)
	python3 -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet dist/qualstat-*-abi3-*.whl
	cd "$$(mktemp -d)" && $(WHEEL_VENV)/bin/python -c \
	  "import qualstat, pathlib; assert 'site-packages' in pathlib.Path(qualstat.__file__).as_posix()" \
	  && $(WHEEL_VENV)/bin/python -m qualstat.tour > /dev/null \
	  && $(WHEEL_VENV)/bin/qualstat plan --aql 1.0 --lot-size 2000 --format json \
	     | $(WHEEL_VENV)/bin/python -c "import json, sys; d = json.load(sys.stdin); assert (d['n'], d['ac'], d['re'], d['code']) == ([125], [3], [4], 'K')"

# Every property test under FUZZ_ROUNDS fresh random seeds (not part of `make test`).
FUZZ_ROUNDS ?= 20
fuzz: develop
	for i in $$(seq $(FUZZ_ROUNDS)); do \
	  $(PY) -m pytest -q -x -p no:cacheprovider --hypothesis-seed=$$RANDOM$$RANDOM \
	    $$(grep -l "@given" tests/python/*.py); \
	done

# The PySpark recipe (scripts/spark_recipe.py) against the in-memory calls; needs a
# Java runtime. pyspark is installed here, not by `make test`.
spark-recipe: develop
	$(PY) -m pip install --quiet pyspark
	$(PY) scripts/spark_recipe.py

# qualstat.dask on a local cluster against single-process polars + qualstat.
compare-dask: develop
	$(PY) benches/compare_dask.py
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
