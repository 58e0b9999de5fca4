"""The sidecar JSON beside each social card: what the card says, from which facts, and where it went.

One sidecar per card (``<card>.json``), naming that card's images in the three shapes. The folder is
``<out>/<show_id>/<YYYY-MM-DD>T<HH>/``, local time of the show; a withdrawn card and its images move to
``withdrawn/`` inside it, with ``withdrawn`` filled in. The social team publishes to other networks from this
folder by hand; ``studio social publish --telegram`` fills ``published``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

WITHDRAWN = "withdrawn"
"""The folder inside an hour folder where withdrawn cards go."""

CAPTION_LIMIT = 1024
"""Telegram's limit for a photo caption, in characters (core.telegram.org/bots/api#sendphoto)."""

Shape = Literal["square", "story", "landscape"]
SHAPES: dict[Shape, tuple[int, int]] = {"square": (1080, 1080), "story": (1080, 1920), "landscape": (1200, 675)}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatedFact(_Strict):
    """A fact the card states, as it was when the card was rendered."""

    id: str
    version: int
    sources: tuple[str, ...]


class Withdrawal(_Strict):
    at: datetime
    reason: str
    fact: str | None = None
    """The retracted or contested fact, when a fact was the reason."""


class TelegramPost(_Strict):
    chat: str
    message_id: int
    at: datetime
    corrected: bool = False
    """The post was edited to carry the correction."""
    correction_message_id: int | None = None
    """The short correction post that followed."""


class Published(_Strict):
    telegram: tuple[TelegramPost, ...] = ()


class Sidecar(_Strict):
    card: str
    """The card's name, unique in its hour folder: ``announce-next``, ``fact-F12``…"""
    kind: Literal["announcement", "fact"]
    rendered_at: datetime
    images: dict[Shape, str]
    """File names, beside the sidecar."""
    caption: str = Field(max_length=CAPTION_LIMIT)
    """Kazakh then Russian, with the provenance line for a fact card."""
    facts: tuple[StatedFact, ...] = ()
    withdrawn: Withdrawal | None = None
    published: Published = Published()

    def write(self, folder: Path) -> Path:
        """Written whole to a temporary name then renamed, so a reader never sees half a sidecar."""
        path = folder / f"{self.card}.json"
        partial = path.with_suffix(".json.partial")
        partial.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        partial.replace(path)
        return path

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))


def hour_folders(out: Path, day: str, hour: int) -> list[tuple[Path, str]]:
    """Every show's folder of this hour under ``out``, with the key the store names it by."""
    name = f"{day}T{hour:02d}"
    return [(folder, f"{folder.parent.name}/{name}") for folder in sorted(out.glob(f"*/{name}")) if folder.is_dir()]


def cards_in(hour_folder: Path) -> list[Path]:
    """The sidecars of an hour folder: ready cards first, then withdrawn ones, each by name."""
    return [*sorted(hour_folder.glob("*.json")), *sorted((hour_folder / WITHDRAWN).glob("*.json"))]
