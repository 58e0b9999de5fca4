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

# At length: the on-air invariant's state machine (10,000 examples, make test: 500); hostile input (tests/fuzz:
# 10,000 examples a kind, make test: 250); SIGKILLs of the show's processes mid-request (100, make test: 20);
# OBS killed and restarted (20, make test: 5); memory over the whole sample day at 60x (make test: its evening).
soak: $(STAMP)
	STUDIO_INVARIANT_EXAMPLES=10000 $(BIN)/python -m pytest -q tests/test_nothing_unverified_on_air.py
	STUDIO_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q -n 2 -p no:cacheprovider tests/fuzz
	STUDIO_KILLS=100 $(BIN)/python -m pytest -q -s tests/reliability/test_kills.py
	STUDIO_REHEARSAL_KILLS=100 $(BIN)/python -m pytest -q -s tests/reliability/test_rehearsal_kills.py
	STUDIO_OBS_RESTARTS=20 $(BIN)/python -m pytest -q -s tests/obs/test_obs_reconnect.py
	STUDIO_SOAK_DAY=1 $(BIN)/python -m pytest -q -s tests/reliability/test_memory.py

test-snapshot-update: $(STAMP)
	$(BIN)/python -m pytest --snapshot-update tests/tui

# Every benchmark, its figures (each beside its same-run baseline) kept in one file of bench/results/;
# bench/compare.py OLD NEW says what moved. programme_screenshots.py makes pictures, not figures: not here.
BENCHES := startup timing render obs_take console_take prompter_latency onair_pull desk_import desk_intake observer_bot store_backends
bench: $(STAMP)
	@results=bench/results/$$(date -u +%Y%m%d-%H%M%S)-$$(git rev-parse --short HEAD 2>/dev/null || echo tree).json; \
	failed=""; for b in $(BENCHES); do echo "== bench/$$b.py"; \
	STUDIO_BENCH_RESULTS=$$results $(BIN)/python bench/$$b.py || failed="$$failed $$b"; done; \
	echo "figures: $$results"; if [ -n "$$failed" ]; then echo "missed or failed:$$failed" >&2; exit 1; fi

clean:
	rm -rf $(VENV) build *.egg-info
