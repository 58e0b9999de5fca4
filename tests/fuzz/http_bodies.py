"""Hostile HTTP bodies and headers, and what every answer of studio's HTTP edges must be."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.hostile import hostile_value, mutated
from tests.web.http_helpers import Answer, http

ASCII_ODD = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)
"""What a header may carry (http.client sends latin-1 only)."""

raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b"[]", b"null", b'"x"', b"NaN", b"1e999999", b'{"a":1}' * 3, b"\xef\xbb\xbf{}"]),
    st.integers(1, 60_000).map(lambda depth: b"[" * depth + b"]" * depth),  # deep, yet under the size limit
    st.integers(1, 60_000).map(lambda depth: b'{"a":' * depth + b"1" + b"}" * depth),
)


def as_json(value: Any) -> bytes:
    """``value`` as Python writes JSON: NaN and Infinity included, a lone surrogate as it is."""
    return json.dumps(value, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")


@st.composite
def bodies(draw: st.DrawFn, *good: dict[str, Any]) -> bytes:
    """Mostly one of ``good`` mutated by key (so the examples reach past the first check), or one of them as it
    is; else any hostile JSON value, or raw bytes."""
    pick = draw(st.integers(0, 9))
    if pick < 6:
        body = draw(st.sampled_from(good))
        return as_json(body if pick == 0 else draw(mutated(body)))
    return as_json(draw(hostile_value)) if pick < 8 else draw(raw_bodies)


headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Type": st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain",
                                         "application/json; charset=latin-1", "multipart/form-data; boundary=x", ""]),
        "Accept-Language": ASCII_ODD | st.sampled_from(["kk", "ru-RU,ru;q=0.9", "*"]),
    },
)


def send(url: str, data: bytes, headers: dict[str, str], token: str | None) -> Answer:
    return http("POST", url, token=token, data=data, headers={"Content-Type": "application/json"} | headers)


def assert_answered(answer: Answer, ok: tuple[int, ...]) -> None:
    """An answer in ``ok``, or a 4xx with studio's ``{"error", "message"}`` body: never a 5xx."""
    assert answer.status < 500, answer
    if answer.status not in ok:
        assert 400 <= answer.status < 500 and isinstance(answer.body, dict), answer
        assert isinstance(answer.body.get("error"), str) and isinstance(answer.body.get("message"), str), answer
        assert answer.body["message"].strip() and "Traceback" not in answer.body["message"], answer

