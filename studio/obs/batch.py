"""Send several requests as one obs-websocket request batch (op 8 -> op 9).

obsws-python 1.8 has no batch call, so this speaks on its socket directly. The
caller must hold the adapter's lock: the socket serves one exchange at a time.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from websocket import WebSocketConnectionClosedException

from studio.obs.errors import ObsError, ObsMsg, request_failed
from studio.obs.protocol import SERIAL_FRAME, Request

OP_REQUEST_BATCH = 8
OP_REQUEST_BATCH_RESPONSE = 9


class TextSocket(Protocol):
    def send(self, payload: str) -> Any: ...
    def recv(self) -> str | bytes: ...


def batch_message(
    requests: Sequence[Request], *, request_id: str, execution_type: int, halt_on_failure: bool
) -> dict[str, Any]:
    numbered = [{**r, "requestId": str(i)} for i, r in enumerate(requests)]
    return {
        "op": OP_REQUEST_BATCH,
        "d": {
            "requestId": request_id,
            "haltOnFailure": halt_on_failure,
            "executionType": execution_type,
            "requests": numbered,
        },
    }


def run_batch(
    ws: TextSocket,
    requests: Sequence[Request],
    *,
    execution_type: int = SERIAL_FRAME,
    halt_on_failure: bool = True,
    check: bool = True,
) -> list[dict[str, Any]]:
    """Send one batch, wait for its response, return the per-request results.

    Messages that are not this batch's response (events, stale answers) are skipped.
    With check, the first failed result raises ObsError naming that request.
    """
    if not requests:
        return []
    request_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            batch_message(
                requests,
                request_id=request_id,
                execution_type=execution_type,
                halt_on_failure=halt_on_failure,
            )
        )
    )
    while True:
        raw = ws.recv()
        if not raw:  # websocket-client returns "" for a close frame
            raise WebSocketConnectionClosedException("OBS closed the connection")
        message = json.loads(raw)
        data = message.get("d") or {}
        if message.get("op") == OP_REQUEST_BATCH_RESPONSE and data.get("requestId") == request_id:
            break
    results: list[dict[str, Any]] = data.get("results") or []
    if check:
        check_results(requests, results)
    return results


def check_results(requests: Sequence[Request], results: Sequence[dict[str, Any]]) -> None:
    total = len(requests)
    for index, result in enumerate(results):
        status = result.get("requestStatus") or {}
        if not status.get("result"):
            request_type = result.get("requestType") or requests[index]["requestType"]
            skipped = total - index - 1
            where = {"index": index + 1, "total": total, "skipped": skipped}
            position = ObsMsg("obs.error.position_skipped" if skipped else "obs.error.position", **where)
            raise request_failed(
                request_type, status.get("code"), status.get("comment"), position=position
            )
    if len(results) != total:
        raise ObsError("protocol", ObsMsg("obs.error.batch_short", answered=len(results), total=total))
