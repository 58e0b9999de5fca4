"""The intake's /openapi.json: generated from the report's model, and true against a live server.

The document is fetched from a real intake on a loopback port (throwaway
store). Its body schema is the pydantic model's own; schemathesis then sends
positive and negative bodies, wrong and missing tokens and wrong methods, and
checks every answer against the document: documented statuses only, bodies
and headers matching their schemas, no 5xx.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from studio.desk.report_body import MAX_TEXT, ReportBody
from studio.store.desk import open_desk
from studio.store.observers import add_observer
from studio.web.intake import make_intake
from tests.web.http_helpers import ServerThread, http

T0 = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
MAX_EXAMPLES = 30


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(base URL, a working token) of a live intake with a generous rate."""
    store = open_desk(tmp_path / "desk.db")
    token = add_observer(store.db, "aigerim", by="desk", at=T0)
    server = ServerThread(make_intake(store, rate=10_000.0, burst=10_000, max_body=64 * 1024))
    url = server.start()
    yield url, token
    server.stop()
    store.close()


def document(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/openapi.json", timeout=10) as response:
        assert response.status == 200
        return json.load(response)


def test_the_document_needs_no_token_and_describes_post_reports(served) -> None:
    url, _ = served
    found = document(url)
    assert found["openapi"].startswith("3.1")
    post = found["paths"]["/reports"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ReportBody"}
    assert found["components"]["schemas"]["ReportBody"] == json.loads(
        json.dumps(ReportBody.model_json_schema(ref_template="#/components/schemas/{model}"))
    )
    fields = found["components"]["schemas"]["ReportBody"]["properties"]
    assert set(fields) == {"region", "kind", "text", "station", "attachments", "channel"}
    assert fields["text"]["maxLength"] == MAX_TEXT and fields["text"]["type"] == "string"
    assert found["components"]["schemas"]["ReportBody"]["required"] == ["region", "kind", "text"]
    assert found["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert found["security"] == [{"bearer": []}]
    assert [p["name"] for p in post["parameters"]] == ["Idempotency-Key"]
    assert set(post["responses"]) == {"201", "202", "400", "401", "409", "413", "415", "422", "429", "503"}
    assert "65536 bytes" in found["info"]["description"]


def test_a_refusal_and_an_acceptance_match_their_schemas(served) -> None:
    url, token = served
    schemas = document(url)["components"]["schemas"]
    refused = http("POST", f"{url}/reports", token=token, json_body={"text": "", "station": 0})
    accepted = http("POST", f"{url}/reports", token=token, json_body={"region": "astana", "kind": "queue", "text": "x"})
    for answer, name in ((refused, "ReportRefusal"), (accepted, "ReportAccepted")):
        validator = jsonschema_rs.validator_for({"$ref": f"#/components/schemas/{name}", "components": {"schemas": schemas}})
        assert validator.is_valid(answer.body), answer.body
    assert refused.status == 422 and accepted.status == 201


@pytest.fixture
def intake_schema(served):
    url, token = served
    config = schemathesis.Config.from_dict(
        {
            "base-url": url,
            "headers": {"Authorization": f"Bearer {token}"},
            "generation": {"max-examples": MAX_EXAMPLES},
            "checks": {
                # A body can match the schema and still name no known region or kind (422), or reuse a
                # key for another body (409): both documented refusals, not failures.
                "positive_data_acceptance": {"expected-statuses": ["2xx", "409", "422"]},
            },
        }
    )
    return schemathesis.openapi.from_dict(document(url), config=config)


schema = schemathesis.pytest.from_fixture("intake_schema")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_intake_keeps_its_document(case) -> None:
    case.call_and_validate()
