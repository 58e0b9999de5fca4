"""The hour folder kept current: each card rendered in the three shapes through the graphics gate, written
with its sidecar, and withdrawn when the gate refuses a fact it states or the rundown drops it.

``sync`` is the one path, for ``studio social`` and for each round of ``--watch``. A card is written
image by image then sidecar last, each file under a temporary name renamed into place
(studio/graphics/output.py ``atomic_write``, sidecar.py ``Sidecar.write``), so a reader (the social team,
``studio social publish``) never sees half a file nor a sidecar naming an image not there yet. Images are
named by content (``<card>-<shape>-<key>.png``, the renderer's key), so an unchanged card is not redrawn
and a changed one gets new files; the old ones go once the new sidecar is in place. A withdrawn card's
sidecar is written in ``withdrawn/`` before its live one is removed, then its images follow.

A card rewritten because its facts changed keeps what ``published`` recorded: the publisher's message ids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.graphics import FactSource, GraphicsError, Template, load_templates
from studio.graphics.errors import FactRefused
from studio.graphics.output import atomic_write, encode_png
from studio.graphics.render import Prepared, draw, prepare
from studio.graphics.resolve import ZONE
from studio.graphics.results import words
from studio.i18n import Msg
from studio.paths import shipped
from studio.social.cards import Card
from studio.social.sidecar import CAPTION_LIMIT, SHAPES, WITHDRAWN, Published, Shape, Sidecar, StatedFact, Withdrawal

ELLIPSIS = "…"
CAPTION_WORDS = {
    "kk": {"source": "Дереккөз: {sources}", "as_of": "сағат {time} жағдайы бойынша",
           "turnout": "Қазақстан бойынша сайлаушылардың келуі, сағат {hour}: {national}"},
    "ru": {"source": "Источник: {sources}", "as_of": "по состоянию на {time}",
           "turnout": "Явка по Казахстану на {hour}: {national}"},
}
"""A caption's own words (on-air text, kk then ru, as the cards' literals): the rest is the card's text."""


def templates_folder() -> Path:
    return shipped("social", "templates")


def hour_folder(out: Path, show_id: str, hour: datetime, zone: Any = ZONE) -> Path:
    """``<out>/<show_id>/<YYYY-MM-DD>T<HH>``, local time of the show (sidecar.py)."""
    return Path(out) / show_id / f"{hour.astimezone(zone):%Y-%m-%dT%H}"


@dataclass
class Outcome:
    """What one sync did, card by card."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, GraphicsError]] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)


class CardFolder:
    """The social templates loaded once, the fact source, the hour folder."""

    def __init__(self, folder: Path, facts: FactSource | None, *, templates: Path | None = None,
                 zone: Any = ZONE, language: str = "en") -> None:
        self.folder = Path(folder)
        self.facts = facts
        self.zone = zone
        self.language = language
        self.templates: dict[str, Template] = load_templates(templates or templates_folder())

    def prepare(self, card: Card, now: datetime) -> dict[Shape, Prepared]:
        """The card in every shape, through the gate; GraphicsError if it may not be published."""
        return {shape: prepare(self.templates[f"social-{card.design}-{shape}"], card.data, self.facts, now=now,
                               zone=self.zone)
                for shape in SHAPES}

    def live(self) -> dict[str, Sidecar]:
        """The cards in the folder now, withdrawn ones not counted."""
        if not self.folder.is_dir():
            return {}
        found = {}
        for path in sorted(self.folder.glob("*.json")):
            sidecar = Sidecar.read(path)
            found[sidecar.card] = sidecar
        return found

    def sync(self, cards: list[Card], now: datetime) -> Outcome:
        """Write what may be published, withdraw what may no longer be (refused, or gone from the rundown)."""
        outcome = Outcome()
        present = self.live()
        for card in cards:
            try:
                shapes = self.prepare(card, now)
            except GraphicsError as error:
                outcome.refused.append((card.name, error))
                if card.name in present:
                    fact = self.refused_fact(error, present[card.name])
                    self.withdraw(present[card.name], error.said.render(self.language), fact, now)
                    outcome.withdrawn.append(card.name)
                continue
            if self.write(card, shapes, present.get(card.name), now):
                outcome.written.append(card.name)
            else:
                outcome.unchanged.append(card.name)
        planned = {card.name for card in cards}
        for name, sidecar in present.items():
            if name not in planned:
                self.withdraw(sidecar, Msg("social.withdrawn.not_in_rundown").render(self.language), None, now)
                outcome.withdrawn.append(name)
        return outcome

    def refused_fact(self, error: GraphicsError, sidecar: Sidecar) -> str | None:
        """The fact a refusal withdraws the card for: the one it names; for a board refused as a whole (a
        retracted line is a missing line), the first fact the card stated that is no longer verified as it was."""
        if not isinstance(error, FactRefused):
            return None
        if not isinstance(error.fact_id, Msg):  # a fact's id, not the board's label
            return error.fact_id
        for stated in sidecar.facts:
            current = self.facts.fact(stated.id) if self.facts is not None else None
            if current is None or current.status != "verified" or current.version != stated.version:
                return stated.id
        return None

    def write(self, card: Card, shapes: dict[Shape, Prepared], before: Sidecar | None, now: datetime) -> bool:
        """Write the card unless the folder has it as it is; True when written."""
        images = {shape: f"{card.name}-{shape}-{prepared.key[:16]}.png" for shape, prepared in shapes.items()}
        square = shapes["square"].resolved
        sidecar = Sidecar(
            card=card.name, kind=card.kind, rendered_at=now, images=images,
            caption=caption(card, square.values, square.data),
            facts=tuple(StatedFact(id=f["id"], version=f["version"], sources=tuple(f["sources"]))
                        for f in square.facts),
            published=before.published if before is not None else Published(),
        )
        if before is not None and before.images == images and before.caption == sidecar.caption:
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        for shape, prepared in shapes.items():
            target = self.folder / images[shape]
            if not target.is_file():
                atomic_write(target, encode_png(draw(prepared).image))
        sidecar.write(self.folder)
        if before is not None:
            for old in set(before.images.values()) - set(images.values()):
                (self.folder / old).unlink(missing_ok=True)
        return True

    def withdraw(self, sidecar: Sidecar, reason: str, fact: str | None, now: datetime) -> None:
        """Move the card and its images to ``withdrawn/``, the reason in its sidecar; an earlier withdrawal of
        the same card stays as it was (``<card>~2`` ...)."""
        into = self.folder / WITHDRAWN
        into.mkdir(exist_ok=True)
        name, number = sidecar.card, 1
        while (into / f"{name}.json").exists():
            number += 1
            name = f"{sidecar.card}~{number}"
        moved = sidecar.model_copy(update={"card": name, "withdrawn": Withdrawal(at=now, reason=reason, fact=fact)})
        moved.write(into)
        (self.folder / f"{sidecar.card}.json").unlink()
        for image in sidecar.images.values():
            source = self.folder / image
            if source.is_file():
                source.replace(into / image)


def caption(card: Card, values: dict[str, str], data: dict[str, Any]) -> str:
    """Kazakh then Russian, at most CAPTION_LIMIT characters: a claim or a title is shortened (with «…»)
    before the source line, the time or the link ever is; the card itself carries the whole text."""
    kk, ru = CAPTION_WORDS["kk"], CAPTION_WORDS["ru"]
    if card.design == "announce":
        when = f" — {values['time']}" if "time" in values else ""
        lines = [values[key] for key in ("line1", "line2", "line3") if key in values]
        blocks = [(values["title_kk"], True), (when + "\n" + values["centre_kk"], False),
                  ("\n\n", False), (values["title_ru"], True), (when + "\n" + values["centre_ru"], False)]
        blocks += [("\n\n" + "\n".join(lines), False)] if lines else []
        blocks += [("\n\n" + values["link"], False)] if "link" in values else []
        return fit_caption(blocks)
    if card.design == "turnout":
        national, hour = values["hour.national"], values["hour"]
        return fit_caption([
            (kk["turnout"].format(hour=hour, national=national) + "\n"
             + kk["source"].format(sources=values["hour.sources"]), False), ("\n\n", False),
            (ru["turnout"].format(hour=hour, national=national) + "\n"
             + ru["source"].format(sources=values["hour.sources_ru"]), False),
        ])
    if card.design == "result":
        return fit_caption([(result_caption(values, "kk"), False), ("\n\n", False),
                            (result_caption(values, "ru"), False)])
    as_of = values["fact.as_of"]
    blocks: list[tuple[str, bool]] = []
    for language, words in (("kk", kk), ("ru", ru)):
        if blocks:
            blocks.append(("\n\n", False))
        if card.design == "debunk":
            verdict = values["fact.verdict"].split(" · ")[0 if language == "kk" else -1]
            blocks += [(f"{verdict}: «", False), (values[f"fact.claim_{language}"], True), ("»\n", False),
                       (values[f"fact.correction_{language}"], True)]
        else:
            blocks.append((values[f"fact.claim_{language}"], True))
        sources = values["fact.sources" if language == "kk" else "fact.sources_ru"]
        blocks.append(("\n" + words["source"].format(sources=sources) + " · " + words["as_of"].format(time=as_of),
                       False))
    return fit_caption(blocks)


def result_caption(values: dict[str, str], language: str) -> str:
    """«РЕФЕРЕНДУМ ҚОРЫТЫНДЫСЫ — Түпкілікті нәтиже · сағат 11:00», Yes and No, turnout, the source line: the
    card's own lines, in the words of the results board (studio/graphics/results.py)."""
    said = words(language)
    return "\n".join((
        f"{said['title']} — {values[f'result.stage_{language}']}",
        f"{said['yes']}: {values['result.yes_percent']} ({values['result.yes']})",
        f"{said['no']}: {values['result.no_percent']} ({values['result.no']})",
        f"{said['turnout']}: {values[f'result.turnout_{language}']}",
        values[f"result.sources_{language}"],
    ))


def fit_caption(blocks: list[tuple[str, bool]], limit: int = CAPTION_LIMIT) -> str:
    """The blocks joined; when longer than ``limit``, the shortenable ones cut in proportion to their
    length, each ending in «…»."""
    excess = sum(len(text) for text, _ in blocks) - limit
    if excess <= 0:
        return "".join(blocks_text for blocks_text, _ in blocks)
    room = sum(len(text) for text, shortenable in blocks if shortenable)
    fitted = []
    for text, shortenable in blocks:
        if shortenable and room:
            cut = math.ceil(excess * len(text) / room) + len(ELLIPSIS)
            text = text[: max(0, len(text) - cut)].rstrip() + ELLIPSIS
        fitted.append(text)
    return "".join(fitted)[:limit]
