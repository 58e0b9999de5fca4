"""The OpenAPI document is true: schemathesis against a live control API.

The server runs on a free loopback port in a thread, on a throwaway store.
Every operation gets positive and negative examples (the examples, coverage
and fuzzing phases) with every built-in check: no 5xx, only documented
statuses, bodies and headers that match their schemas, 405 for methods not
in the document, a token that is really required (and a wrong one refused),
malformed input rejected. Examples per operation are bounded (``max-examples``)
so the file runs in about ten seconds.

The document is fetched from the server; the one change the test makes is to
draw positive segment ids from the live rundown (an ``enum`` on the path
parameter), so takes, holds and skips also succeed instead of all being 404.
The show starts with a segment on air that has two graphics armed (a stand-in
renderer; one refused by the "gate"), so graphics takes and clears succeed too.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from studio.rundown.load import load_rundown
from studio.web.api import make_api
from tests.web.http_helpers import ALMATY, SHOW, TOKEN, StandInGraphics, with_graphics

MAX_EXAMPLES = 30


def config(url: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "base-url": url,
            "headers": {"Authorization": f"Bearer {TOKEN}"},
            "generation": {"max-examples": MAX_EXAMPLES},
            "checks": {
                # A valid call may still be refused by the show (409: already on air, nothing
                # next) or name a segment that is not in the rundown (404): both documented.
                "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "409"]},
            },
        }
    )


@pytest.fixture
def api_schema(controllers, serve, clock):
    show = with_graphics(load_rundown(SHOW))
    controller = controllers(origin="api", operator="api", clock=clock, rundown=show, graphics=StandInGraphics())
    controller.take("open")  # a segment with graphics on air: graphics takes can succeed too
    served = serve(make_api(controller, {"api": TOKEN}, ALMATY))
    with urllib.request.urlopen(f"{served.url}/openapi.json", timeout=10) as response:
        document = json.load(response)
    ids = [segment.id for segment in controller.rundown.segments]
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "segment_id":
                    parameter["schema"]["enum"] = ids
    return schemathesis.openapi.from_dict(document, config=config(served.url))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_document(case) -> None:
    case.call_and_validate()
