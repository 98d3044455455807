# The two set-up commands are `make generate` and `make test`; both create .venv
# and install the project (with its dev extras) when needed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: generate test check conformance bench bench-scale lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $(BENCH_STAMP)

## generate: regenerate every target of [tool.generator] in pyproject.toml into generated/
generate: $(STAMP)
	$(PY) -m generator generate

## test: the whole test suite (golden, June, client, CLI errors, conformance, property tests)
test: $(STAMP)
	$(PY) -m pytest -q -n 2 -p no:cacheprovider

## check: exit 1 with a diff when generated/ is stale
check: $(STAMP)
	$(PY) -m generator check

## conformance: the official JSON Schema Test Suite against the compiled validator
conformance: $(STAMP)
	$(PY) tests/conformance/run_suite.py

## bench: speed against peers, printed as ratios in one run
bench: $(BENCH_STAMP)
	$(PY) tests/bench/bench_validators.py
	$(PY) tests/bench/bench_models.py
	$(PY) tests/bench/bench_client.py

## bench-scale: generation time against schema size (synthetic 1k/10k/100k nodes, megabyte real-world schemas)
bench-scale: $(BENCH_STAMP)
	$(PY) tests/bench/bench_scale.py

## lint: ruff on generator and tests, mypy --strict on generator (make test runs both too)
lint: $(STAMP)
	$(PY) -m ruff check generator tests
	$(PY) -m mypy

clean:
	rm -rf $(VENV) build *.egg-info
