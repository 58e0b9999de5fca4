from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from studio.social.sidecar import CAPTION_LIMIT, Sidecar, StatedFact

NOON = datetime(2026, 3, 15, 12, tzinfo=timezone.utc)


def _sidecar(caption: str) -> Sidecar:
    return Sidecar(
        card="fact-F12",
        kind="fact",
        rendered_at=NOON,
        images={"square": "fact-F12-square.png"},
        caption=caption,
        facts=(StatedFact(id="F12", version=3, sources=("CEC",)),),
    )


def test_a_sidecar_reads_back_what_was_written(tmp_path):
    written = _sidecar("Явка 45,2 %")
    path = written.write(tmp_path)
    assert path.name == "fact-F12.json"
    assert Sidecar.read(path) == written
    assert not list(tmp_path.glob("*.partial"))


def test_a_caption_longer_than_telegram_takes_is_refused():
    _sidecar("а" * CAPTION_LIMIT)
    with pytest.raises(ValidationError):
        _sidecar("а" * (CAPTION_LIMIT + 1))
