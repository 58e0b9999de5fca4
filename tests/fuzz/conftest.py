"""The one hypothesis profile of every fuzz module (issue 18: hostile input never gives a traceback).

``make test`` runs EXAMPLES (a few hundred) per test; ``make soak`` sets ``STUDIO_FUZZ_EXAMPLES=10000``.
No deadline: a slow example on a busy 2-core machine is no failure. The examples hypothesis keeps
to replay a failure go to ``.hypothesis/`` (ignored by git), never into the repository.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("STUDIO_FUZZ_EXAMPLES", "250"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    print_blob=True,
    # Hostile values are large on purpose; the fixtures (a store, a server) are shared by the examples on purpose.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
