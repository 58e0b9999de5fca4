# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNDOWN ?= rundowns/referendum-day.toml

.PHONY: run test soak test-snapshot-update bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/studio run $(RUNDOWN)

check: $(STAMP)
	$(BIN)/studio check $(RUNDOWN)

# pytest exits 5 when it collected nothing: that must fail, never pass silently.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

# The on-air invariant at length: 10,000 examples of the state machine instead of make test's 500.
soak: $(STAMP)
	STUDIO_INVARIANT_EXAMPLES=10000 $(BIN)/python -m pytest -q tests/test_nothing_unverified_on_air.py

test-snapshot-update: $(STAMP)
	$(BIN)/python -m pytest --snapshot-update tests/tui

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
