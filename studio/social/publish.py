"""``studio social publish --telegram``: the cards of an hour, posted to the centre's channel and corrected.

One round looks at every card of the hour folder (studio/social/sidecar.py):

- a ready card not yet posted passes the gate again, now, as an on-air graphic does at its take: every fact
  it states is admitted by studio/graphics/gate.py and still at the version the card was rendered from;
  then its square image is posted with the sidecar's caption. A refused card is said with the reason.
- a posted card that was withdrawn (in ``withdrawn/``) or states a fact now retracted gets its caption
  edited to carry the correction (kk and ru, the desk's correction text when it wrote one), then a short
  correction post replying to it.

Each step is recorded in the store before its request goes out and again after (studio/store/social.py):
a post or a correction post that may have gone out before a crash is never sent again by itself; an edit,
which says the same thing twice, is simply redone. The sidecar's ``published.telegram`` is written from the
store each round, so a sidecar rewritten by ``studio social --watch`` gets it back.

The channel is a port (``Channel``): studio/telegram/channel.py speaks the Bot API.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from studio.desk.ids import FactIdError, fact_label, parse_fact_id
from studio.errors import Kind, StudioError
from studio.graphics.errors import FactRefused
from studio.graphics.gate import FactSource, FactView, admit
from studio.i18n import Msg
from studio.social.sidecar import CAPTION_LIMIT, WITHDRAWN, Published, Sidecar, TelegramPost, cards_in
from studio.store.social import Step, StepState, progress, record, unconfirmed

RETRACTED = "retracted"
NOT_DONE = {"social.publish.refused", "social.publish.unconfirmed"}
"""What a round says of a card it could not carry through: a run that says one of these exits 1."""
GATE_NAME = "social"
"""How a refusal names what was refused (the gate's ``template``)."""


class ChannelError(StudioError):
    """The channel did not take a request. ``whole_round``: every later request would fail the same way (a
    refused token, an unreachable Bot API, a channel the bot cannot post to), so the round stops there.
    ``maybe_sent``: the request may have reached the channel (a timeout), so it is not sent again."""

    kind = Kind.UNAVAILABLE

    def __init__(self, message: Msg, *, whole_round: bool = True, maybe_sent: bool = False) -> None:
        super().__init__(message)
        self.whole_round, self.maybe_sent = whole_round, maybe_sent


class Channel(Protocol):
    chat: str

    async def post_photo(self, image: Path, caption: str) -> int:
        """The new post's message id."""
        ...

    async def edit_caption(self, message_id: int, caption: str) -> None:
        """Done also when the caption already says this."""
        ...

    async def reply(self, message_id: int, text: str) -> int:
        """A text post replying to ``message_id``; its message id."""
        ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """One line of a round: the card (``hour/card``) and what happened to it."""

    card: str
    said: Msg
    problem: bool = False


@dataclass
class Publisher:
    db: sqlite3.Connection
    facts: FactSource
    channel: Channel
    now: Callable[[], datetime]
    stopped: bool = False
    """The last round stopped at an error every later request would meet too."""

    async def round(self, hour_folder: Path, key: str) -> list[Outcome]:
        """Every card of ``hour_folder`` (``key``: ``<show_id>/<date>T<HH>``, as the store names it), ready ones
        first. Stops at the first error that every later request would meet too."""
        outcomes: list[Outcome] = []
        self.stopped = False
        for path in cards_in(hour_folder):
            label = f"{key}/{path.stem}"
            try:
                sidecar = Sidecar.read(path)
            except (OSError, ValueError, ValidationError):
                outcomes.append(Outcome(label, Msg("social.publish.unreadable", file=str(path)), problem=True))
                continue
            try:
                said = await self._card(path, sidecar, key)
            except ChannelError as error:
                outcomes.append(Outcome(label, error.message, problem=True))
                if error.whole_round:
                    self.stopped = True
                    break
                continue
            if said is not None:
                outcomes.append(Outcome(label, said, problem=said.key in NOT_DONE))
        return outcomes

    async def _card(self, path: Path, sidecar: Sidecar, key: str) -> Msg | None:
        steps = progress(self.db, key, sidecar.card, self.channel.chat)
        post = steps.get("post")
        withdrawn = sidecar.withdrawn is not None or path.parent.name == WITHDRAWN
        if post is None or post.state == "failed":
            if withdrawn:
                return None  # never posted: nothing to correct
            refusal = self.refusal(sidecar)
            if refusal is not None:
                return Msg("social.publish.refused", reason=refusal)
            image = path.parent / sidecar.images.get("square", "")
            if not sidecar.images.get("square") or not image.is_file():
                return Msg("social.publish.refused", reason=Msg("social.publish.no_image", file=str(image)))
            message_id = await self._step(key, sidecar, "post", lambda: self.channel.post_photo(image, sidecar.caption))
            self._sync(path, key, sidecar)
            return Msg("social.publish.posted", chat=self.channel.chat, message=message_id)
        if post.state == "started":
            return Msg("social.publish.unconfirmed", step=Msg("social.step.post"), at=_utc(post.at))
        retracted = self._retracted(sidecar)
        said = await self._correct(key, sidecar, post, steps, retracted) if withdrawn or retracted else None
        self._sync(path, key, sidecar)
        return said

    def refusal(self, sidecar: Sidecar) -> Msg | None:
        """Why the card may not be posted now, or None: the gate as on air, and the versions it was drawn from."""
        for stated in sidecar.facts:
            view = self.facts.fact(stated.id)
            kind = "debunk" if view is not None and view.status == "false" else "fact"
            try:
                view = admit(GATE_NAME, kind, stated.id, self.facts)
            except FactRefused as refused:
                return refused.said
            if view.version != stated.version:
                return Msg("social.publish.changed", fact=_label(stated.id), rendered=stated.version, now=view.version)
        return None

    def _retracted(self, sidecar: Sidecar) -> FactView | None:
        """The first fact the card states that the desk has since retracted, or None."""
        for stated in sidecar.facts:
            view = self.facts.fact(stated.id)
            if view is not None and view.status == RETRACTED:
                return view
        return None

    async def _correct(
        self, key: str, sidecar: Sidecar, post: StepState, steps: dict[Step, StepState], fact: FactView | None,
    ) -> Msg | None:
        """The post edited to carry the correction (of ``fact``, or of a withdrawn card), then the correction
        post replying to it; each step once."""
        assert post.message_id is not None
        edit, reply = steps.get("edit"), steps.get("correction")
        if reply is not None and reply.state == "done":
            return None  # corrected and followed up: nothing more, ever
        if reply is not None and reply.state == "started":
            return Msg("social.publish.unconfirmed", step=Msg("social.step.correction"), at=_utc(reply.at))
        if edit is None or edit.state != "done":  # a started edit is redone: the same caption twice is harmless
            caption = corrected_caption(sidecar.caption, fact)
            await self._step(key, sidecar, "edit", lambda: self.channel.edit_caption(post.message_id, caption),
                             post.message_id)
        text = correction_text(fact)
        message_id = await self._step(key, sidecar, "correction", lambda: self.channel.reply(post.message_id, text))
        return Msg("social.publish.corrected", message=post.message_id, correction=message_id)

    async def _step(self, key: str, sidecar: Sidecar, step: Step, send: Callable[[], Awaitable[int | None]],
                    message_id: int | None = None) -> int:
        """``send()`` between its two rows: ``started`` committed first, ``done`` (or ``failed``) after."""
        stated = [(parse_fact_id(f.id), f.version) for f in sidecar.facts if _is_fact_id(f.id)]
        row = {"folder": key, "card": sidecar.card, "chat": self.channel.chat, "step": step, "facts": stated}
        record(self.db, at=self.now(), state="started", message_id=message_id, **row)
        try:
            sent = await send()
        except ChannelError as error:
            if not error.maybe_sent:
                record(self.db, at=self.now(), state="failed", message_id=message_id, **row)
            raise
        done = sent if isinstance(sent, int) else message_id
        record(self.db, at=self.now(), state="done", message_id=done, **row)
        return done

    def _sync(self, path: Path, key: str, sidecar: Sidecar) -> None:
        """The sidecar's ``published.telegram`` as the store has it, written only when it differs and only
        where the sidecar still is (``studio social --watch`` may have moved it: it is synced next round)."""
        steps = progress(self.db, key, sidecar.card, self.channel.chat)
        post = steps.get("post")
        if post is None or post.state != "done" or post.message_id is None:
            return
        edit, reply = steps.get("edit"), steps.get("correction")
        entry = TelegramPost(
            chat=self.channel.chat, message_id=post.message_id, at=post.at,
            corrected=edit is not None and edit.state == "done",
            correction_message_id=reply.message_id if reply is not None and reply.state == "done" else None,
        )
        others = tuple(p for p in sidecar.published.telegram if p.chat != self.channel.chat)
        published = sidecar.published.model_copy(update={"telegram": (*others, entry)})
        if published == sidecar.published or not path.exists():
            return
        Sidecar.model_validate(sidecar.model_dump() | {"published": published.model_dump()}).write(path.parent)


def correction_text(fact: FactView | None) -> str:
    """The short correction post: kk then ru, the desk's correction when it wrote one."""
    return "\n\n".join(_said(fact, language) for language in ("kk", "ru"))


def corrected_caption(caption: str, fact: FactView | None) -> str:
    """The post's caption carrying the correction above the original text, within Telegram's limit."""
    head = correction_text(fact) + "\n\n" + Msg("social.correction.original").render("kk") + " / " + \
        Msg("social.correction.original").render("ru") + "\n"
    room = CAPTION_LIMIT - len(head)
    return head + (caption if len(caption) <= room else caption[: max(room - 1, 0)] + "…")


def _said(fact: FactView | None, language: str) -> str:
    written = "" if fact is None else getattr(fact, f"correction_{language}").strip()
    return Msg("social.correction.head").render(language) + " " + (
        written or Msg("social.correction.withdrawn").render(language))


def _label(fact_id: str) -> str:
    return fact_label(parse_fact_id(fact_id)) if _is_fact_id(fact_id) else fact_id


def _is_fact_id(text: str) -> bool:
    try:
        parse_fact_id(text)
    except FactIdError:
        return False
    return True


def _utc(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M UTC")


def problems(outcomes: Sequence[Outcome]) -> bool:
    return any(outcome.problem for outcome in outcomes)


def settle(db: sqlite3.Connection, chat: str, card: str, message_id: int | None, now: datetime) -> Msg:
    """A person looked at the channel for ``card`` (``<show_id>/<date>T<HH>/<card>``, as a round names it):
    its unconfirmed step went out as ``message_id``, or (None) it did not and the next round sends it."""
    folder, _, name = card.rpartition("/")
    step = unconfirmed(db, folder, name, chat) if folder else None
    if step is None:
        raise StudioError(Msg("social.settle.nothing", card=card), kind=Kind.NOT_FOUND)
    row = {"folder": folder, "card": name, "chat": chat, "step": step}
    if message_id is None:
        record(db, at=now, state="failed", **row)
        return Msg("social.settle.not_sent", step=Msg(f"social.step.{step}"), card=card)
    record(db, at=now, state="done", message_id=message_id, **row)
    return Msg("social.settle.sent", step=Msg(f"social.step.{step}"), card=card, message=message_id)
