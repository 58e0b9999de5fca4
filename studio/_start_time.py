"""The moment studio started importing, for the startup measurement."""

import time

START_NS = time.perf_counter_ns()
