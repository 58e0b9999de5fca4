# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := studio/sample/referendum-day.toml
RUNDOWN ?= $(SAMPLE)

.PHONY: run demo test soak test-snapshot-update bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The sample show is a rehearsal: its plan (of 15 March 2026) on today's clock, starting now, without
# OBS, in the store of today's rehearsal (`studio locate`), never the show's. It opens on the sample
# day's desk, loaded only into a store nobody has worked in: a store with any report or fact is never touched.
run: $(STAMP)
ifeq ($(RUNDOWN),$(SAMPLE))
	$(BIN)/studio demo-data --if-empty --on-today
	$(BIN)/studio run --on-today --rehearsal $(RUNDOWN)
else
	$(BIN)/studio run $(RUNDOWN)
endif

# The sample day in the store: figures in review, report groups, a fake, a correction (safe to repeat).
demo: $(STAMP)
	$(BIN)/studio demo-data

check: $(STAMP)
	$(BIN)/studio check $(RUNDOWN)

# pytest exits 5 when it collected nothing: that must fail, never pass silently.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

# The on-air invariant at length: 10,000 examples of the state machine instead of make test's 500;
# and hostile input (tests/fuzz): 10,000 examples of each kind instead of make test's 250.
soak: $(STAMP)
	STUDIO_INVARIANT_EXAMPLES=10000 $(BIN)/python -m pytest -q tests/test_nothing_unverified_on_air.py
	STUDIO_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q -n 2 -p no:cacheprovider tests/fuzz

test-snapshot-update: $(STAMP)
	$(BIN)/python -m pytest --snapshot-update tests/tui

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
