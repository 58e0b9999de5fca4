"""The request batch (op 8 -> op 9) against a fake socket. No OBS."""

from __future__ import annotations

import json
from typing import Any

import pytest
from websocket import WebSocketConnectionClosedException

from studio.obs.batch import run_batch
from studio.obs.errors import ObsError
from studio.obs.protocol import SERIAL_FRAME, request

SWITCH = request("SetCurrentProgramScene", sceneName="Astana")
SHOW = request("SetSceneItemEnabled", sceneName="Astana", sceneItemId=3, sceneItemEnabled=True)


class FakeSocket:
    """Answers a batch with the messages a test scripts, after whatever came first."""

    def __init__(self, before: list[Any], statuses: list[tuple[bool, int, str | None]]) -> None:
        self.sent: list[dict[str, Any]] = []
        self.before = before
        self.statuses = statuses
        self.queue: list[str] = []

    def send(self, payload: str) -> None:
        message = json.loads(payload)
        self.sent.append(message)
        requests = message["d"]["requests"]
        results = [
            {
                "requestType": r["requestType"],
                "requestId": r["requestId"],
                "requestStatus": {"result": ok, "code": code, **({"comment": c} if c else {})},
            }
            for r, (ok, code, c) in zip(requests, self.statuses)
        ]
        answer = {"op": 9, "d": {"requestId": message["d"]["requestId"], "results": results}}
        self.queue = [m if isinstance(m, str) else json.dumps(m) for m in self.before]
        self.queue.append(json.dumps(answer))

    def recv(self) -> str:
        return self.queue.pop(0)


def test_sends_one_serial_frame_batch_that_halts_on_failure() -> None:
    ws = FakeSocket([], [(True, 100, None), (True, 100, None)])
    results = run_batch(ws, [SWITCH, SHOW])
    assert len(ws.sent) == 1
    message = ws.sent[0]
    assert message["op"] == 8
    assert message["d"]["executionType"] == SERIAL_FRAME
    assert message["d"]["haltOnFailure"] is True
    assert [r["requestType"] for r in message["d"]["requests"]] == [
        "SetCurrentProgramScene",
        "SetSceneItemEnabled",
    ]
    assert message["d"]["requests"][1]["requestData"]["sceneItemId"] == 3
    assert [r["requestType"] for r in results] == ["SetCurrentProgramScene", "SetSceneItemEnabled"]


def test_skips_events_and_other_answers() -> None:
    event = {"op": 5, "d": {"eventType": "CurrentProgramSceneChanged"}}
    stale = {"op": 9, "d": {"requestId": "an older batch", "results": []}}
    single = {"op": 7, "d": {"requestId": 12, "requestStatus": {"result": True, "code": 100}}}
    ws = FakeSocket([event, stale, single], [(True, 100, None), (True, 100, None)])
    assert len(run_batch(ws, [SWITCH, SHOW])) == 2
    assert ws.queue == []


def test_names_the_failed_request_and_obs_reason() -> None:
    ws = FakeSocket([], [(False, 600, "No source was found by the name of `Astana`.")])
    with pytest.raises(ObsError) as caught:
        run_batch(ws, [SWITCH, SHOW])
    error = caught.value
    assert error.failure == "request"
    assert error.request_type == "SetCurrentProgramScene"
    assert error.request_code == 600
    text = str(error)
    assert "SetCurrentProgramScene" in text and "No source was found" in text
    assert "request 1 of 2" in text and "1 after it were not run" in text


def test_without_check_returns_failures() -> None:
    ws = FakeSocket([], [(True, 100, None), (False, 600, "missing")])
    results = run_batch(ws, [SWITCH, SHOW], halt_on_failure=False, check=False)
    assert [r["requestStatus"]["result"] for r in results] == [True, False]
    assert ws.sent[0]["d"]["haltOnFailure"] is False


def test_close_frame_is_a_lost_connection() -> None:
    ws = FakeSocket([""], [(True, 100, None)])
    with pytest.raises(WebSocketConnectionClosedException):
        run_batch(ws, [SWITCH])


def test_empty_batch_sends_nothing() -> None:
    ws = FakeSocket([], [])
    assert run_batch(ws, []) == []
    assert ws.sent == []
