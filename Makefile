# qualstat: `make tour` runs the quick tour, `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-installed

.PHONY: docs wheel wheel-test fuzz tour test develop rust-test lint py-test stubtest bench compare clean

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

# The wheel installed alone into a clean virtual environment runs the tour,
# from a folder where the source tree cannot be imported by mistake.
WHEEL_VENV := $(abspath .wheel-venv)
wheel-test: wheel
	rm -rf $(WHEEL_VENV)
	python3 -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet dist/qualstat-*-abi3-*.whl
	cd "$$(mktemp -d)" && $(WHEEL_VENV)/bin/python -c \
	  "import qualstat, pathlib; assert 'site-packages' in pathlib.Path(qualstat.__file__).as_posix()" \
	  && $(WHEEL_VENV)/bin/python -m qualstat.tour > /dev/null

# Every property test under FUZZ_ROUNDS fresh random seeds (not part of `make test`).
FUZZ_ROUNDS ?= 20
fuzz: develop
	for i in $$(seq $(FUZZ_ROUNDS)); do \
	  $(PY) -m pytest -q -x -p no:cacheprovider --hypothesis-seed=$$RANDOM$$RANDOM \
	    $$(grep -l "@given" tests/python/*.py); \
	done

bench:
	cargo bench

compare: develop
	$(PY) benches/compare_peers.py

clean:
	cargo clean
	rm -rf $(VENV)
