"""`studio social publish --telegram` against the fake Bot API, through the real python-telegram-bot:
posting, the gate at publish time, the correction of a retracted card, no double post after a crash, and
the channel's failures said in one line."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from studio.desk.model import Claim, Draft, ReportKind, SourceKind
from studio.desk.provenance import records
from studio.errors import StudioError
from studio.social.sidecar import Sidecar
from studio.store.social import progress, published
from tests.observer_bot.fake_telegram import FakeTelegram
from tests.social_publish.conftest import CHANNEL, HOUR, NOW, SHOW, retract, withdraw

KEY = f"{SHOW}/{HOUR}"


def said(outcomes) -> list[tuple[str, str]]:
    return [(o.card, o.said.key) for o in outcomes]


def test_a_ready_card_is_posted_once_with_its_caption_and_recorded(desk, verified, card, publish, fake_telegram):
    fact = verified()
    path = card("fact-turnout", (fact,))
    first = publish()
    assert said(first) == [(f"{KEY}/fact-turnout", "social.publish.posted")]
    [post] = fake_telegram.sent_to(CHANNEL)
    assert post.photo == (path.parent / "fact-turnout-square.png").read_bytes()
    assert post.text == Sidecar.read(path).caption
    [entry] = Sidecar.read(path).published.telegram
    assert (entry.chat, entry.message_id, entry.corrected, entry.correction_message_id) == (
        CHANNEL, post.message_id, False, None)
    [row] = published(desk.db)
    assert (row.card, row.step, row.message_id, row.facts) == ("fact-turnout", "post", post.message_id,
                                                               ((fact.id, fact.version),))
    assert publish() == []  # the next round: nothing more
    assert len(fake_telegram.sent_to(CHANNEL)) == 1


def test_the_provenance_export_lists_the_post_of_each_fact(desk, verified, card, publish, fake_telegram):
    fact = verified()
    card("fact-turnout", (fact,))
    publish()
    [record] = [r for r in records(desk) if r["fact_id"] == fact.id]
    [post] = fake_telegram.sent_to(CHANNEL)
    assert record["social_posts"] == [{"network": "telegram", "chat": CHANNEL, "card": f"{KEY}/fact-turnout",
                                       "step": "post", "message_id": post.message_id, "at": record["social_posts"][0]["at"],
                                       "version": fact.version}]


def test_the_gate_refuses_a_fact_not_verified_or_changed_since_the_card_was_drawn(desk, verified, card, publish,
                                                                                  fake_telegram):
    changed = verified("51.20")
    card("fact-changed", (replace(changed, version=changed.version - 1),))  # drawn before the verdict
    retracted = verified("48.00", "astana")
    card("fact-retracted", (retracted,))
    retract(desk, retracted, ru="Явка 48,10%")
    outcomes = publish()
    assert said(outcomes) == [(f"{KEY}/fact-changed", "social.publish.refused"),
                              (f"{KEY}/fact-retracted", "social.publish.refused")]
    assert f"F{changed.id} has changed since the card was drawn (version {changed.version - 1}, now " \
           f"{changed.version})" in outcomes[0].said
    assert "'retracted'" in outcomes[1].said
    assert all(o.problem for o in outcomes)
    assert fake_telegram.sent_to(CHANNEL) == []
    assert published(desk.db) == []


def test_the_gate_refuses_a_figure_held_in_a_conflict(desk, verified, card, publish, fake_telegram):
    first = verified("51.20")
    card("fact-turnout", (first,))
    other = desk.add_source(SourceKind.MEDIA, "https://www.nur.kz/turnout-14", by="dana", at=first.updated_at)
    draft = Draft(ReportKind.TURNOUT, Claim(ru="Явка 52,00%"), None, None, Decimal("52.00"), first.as_of)
    desk.create_fact(draft, by="dana", at=first.updated_at, source_ids=[other.id])  # disagrees: both are held
    assert desk.conflict_holding(first.id) is not None
    outcomes = publish()
    assert said(outcomes) == [(f"{KEY}/fact-turnout", "social.publish.refused")]
    assert "conflict" in outcomes[0].said
    assert fake_telegram.sent_to(CHANNEL) == []


def test_a_retracted_fact_edits_the_post_and_a_correction_replies_once(desk, verified, card, publish, fake_telegram):
    fact = verified()
    path = card("fact-turnout", (fact,))
    publish()
    retract(desk, fact, kk="Келу 50,20%", ru="Явка 50,20%")
    outcomes = publish()
    assert said(outcomes) == [(f"{KEY}/fact-turnout", "social.publish.corrected")]
    post, correction = fake_telegram.sent_to(CHANNEL)
    assert correction.reply_to == post.message_id
    assert "ТҮЗЕТУ: Келу 50,20%" in correction.text and "ПОПРАВКА: Явка 50,20%" in correction.text
    [(_, edited, caption)] = fake_telegram.edits()
    assert edited == post.message_id and caption.startswith(correction.text)
    assert post.text == caption and len(caption) <= 1024
    entry = Sidecar.read(path).published.telegram[0]
    assert (entry.corrected, entry.correction_message_id) == (True, correction.message_id)
    assert publish() == []
    assert len(fake_telegram.sent_to(CHANNEL)) == 2 and len(fake_telegram.edits()) == 1


def test_a_withdrawn_card_is_corrected_in_the_centres_words_and_its_sidecar_says_so(desk, verified, card, publish,
                                                                                    fake_telegram):
    path = card("fact-turnout", (verified(),), caption="Ж" * 1024)  # the longest caption: the correction still fits
    publish()
    moved = withdraw(path)
    assert said(publish()) == [(f"{KEY}/fact-turnout", "social.publish.corrected")]
    post, correction = fake_telegram.sent_to(CHANNEL)
    assert "центр отозвал эту карточку" in correction.text and "орталық бұл карточканы кері алды" in correction.text
    assert len(post.text) == 1024 and post.text.endswith("…")
    entry = Sidecar.read(moved).published.telegram[0]
    assert entry.corrected and entry.correction_message_id == correction.message_id


def test_a_withdrawn_card_never_posted_is_left_alone(desk, verified, card, publish, fake_telegram):
    withdraw(card("fact-turnout", (verified(),)))
    assert publish() == []
    assert fake_telegram.sent_to(CHANNEL) == []


class Crash(BaseException):
    """studio stopped in the middle (a SIGKILL, a power cut): nothing after this line ran."""


class Crashing:
    """The channel, with studio stopping right after a request reached Telegram, before its answer was kept."""

    def __init__(self, channel: Any, *, after: str) -> None:
        self.channel, self.after = channel, after
        self.chat = channel.chat

    async def __aenter__(self) -> Crashing:
        await self.channel.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.channel.__aexit__(*exc)

    async def post_photo(self, image: Path, caption: str) -> int:
        return await self.channel.post_photo(image, caption)

    async def edit_caption(self, message_id: int, caption: str) -> None:
        await self.channel.edit_caption(message_id, caption)
        if self.after == "edit":
            raise Crash

    async def reply(self, message_id: int, text: str) -> int:
        await self.channel.reply(message_id, text)
        raise Crash


def retracted_then_crashed(after: str, desk, verified, card, publish) -> None:
    """A posted card whose fact is retracted; the round that corrects it stops right after ``after``."""
    fact = verified()
    card("fact-turnout", (fact,))
    publish()
    retract(desk, fact, ru="Явка 50,20%")
    with pytest.raises(Crash):
        publish(wrap=lambda channel: Crashing(channel, after=after))


def test_a_crash_between_the_edit_and_the_correction_post_posts_the_correction_once(desk, verified, card, publish,
                                                                                    fake_telegram):
    retracted_then_crashed("edit", desk, verified, card, publish)
    assert [p.reply_to for p in fake_telegram.sent_to(CHANNEL)] == [None]  # edited, not yet followed up
    assert said(publish()) == [(f"{KEY}/fact-turnout", "social.publish.corrected")]
    assert said(publish()) == []
    post, correction = fake_telegram.sent_to(CHANNEL)
    assert correction.reply_to == post.message_id
    assert len(fake_telegram.edits()) == 1


def test_a_correction_post_that_may_have_gone_out_before_a_crash_is_never_sent_again(desk, verified, card, publish,
                                                                                     fake_telegram):
    retracted_then_crashed("correction", desk, verified, card, publish)
    for _ in range(2):  # every round after says so, and sends nothing
        outcomes = publish()
        assert said(outcomes) == [(f"{KEY}/fact-turnout", "social.publish.unconfirmed")]
        assert "correction post was started" in outcomes[0].said and outcomes[0].problem
    assert [p.reply_to is not None for p in fake_telegram.sent_to(CHANNEL)] == [False, True]
    assert progress(desk.db, KEY, "fact-turnout", CHANNEL)["correction"].state == "started"


@pytest.mark.parametrize("setup, key", [
    (lambda fake: {"token": fake.token + "x"}, "social.error.token_refused"),
    (lambda fake: {"chat": "@nobody_channel"}, "social.error.channel"),
    (lambda fake: (fake.channel("@members_only", admin=False), {"chat": "@members_only"})[1], "social.error.channel"),
    (lambda fake: (fake.fail("sendPhoto", 502, "Bad Gateway"), {})[1], "social.error.unreachable"),
])
def test_the_channels_failures_are_one_line_and_nothing_is_lost(desk, verified, card, publish, fake_telegram, setup,
                                                                 key):
    card("fact-a", (verified(),))
    card("fact-b", (verified("12.00", "astana"),))
    outcomes = publish(**setup(fake_telegram))
    assert [o.said.key for o in outcomes] == [key]
    assert outcomes[0].problem and "Traceback" not in outcomes[0].said and fake_telegram.token not in outcomes[0].said
    assert fake_telegram.sent_to(CHANNEL) == []
    assert all(step.state != "started" for c in ("fact-a", "fact-b")
               for step in progress(desk.db, KEY, c, CHANNEL).values())
    if key == "social.error.unreachable":  # the Bot API is back: the next round posts both
        assert said(publish()) == [(f"{KEY}/fact-a", "social.publish.posted"), (f"{KEY}/fact-b", "social.publish.posted")]


def test_a_sidecar_that_cannot_be_read_is_said_and_the_others_go_on(desk, verified, card, publish, fake_telegram):
    path = card("fact-a", (verified(),))
    (path.parent / "broken.json").write_text("{not json", encoding="utf-8")
    outcomes = publish()
    assert said(outcomes) == [(f"{KEY}/broken", "social.publish.unreadable"), (f"{KEY}/fact-a", "social.publish.posted")]
    assert json.loads(path.read_text(encoding="utf-8"))["published"]["telegram"]


def test_a_card_whose_image_is_gone_is_refused_and_the_others_go_on(desk, verified, card, publish, fake_telegram):
    gone = card("fact-a", (verified(),))
    (gone.parent / "fact-a-square.png").unlink()
    card("fact-b", (verified("12.00", "astana"),))
    outcomes = publish()
    assert said(outcomes) == [(f"{KEY}/fact-a", "social.publish.refused"), (f"{KEY}/fact-b", "social.publish.posted")]
    assert "fact-a-square.png is missing" in outcomes[0].said


@pytest.mark.parametrize("seen, then", [(99, []), (None, [True])])
def test_a_person_settles_an_unconfirmed_correction_post_and_the_rounds_go_on(desk, verified, card, publish,
                                                                            fake_telegram, seen, then):
    from studio.social.publish import settle

    retracted_then_crashed("correction", desk, verified, card, publish)
    with pytest.raises(StudioError) as refused:
        settle(desk.db, CHANNEL, f"{KEY}/fact-other", seen, NOW)
    assert refused.value.message.key == "social.settle.nothing"
    said_back = settle(desk.db, CHANNEL, f"{KEY}/fact-turnout", seen, NOW)
    assert said_back.key == ("social.settle.sent" if seen else "social.settle.not_sent")
    sent_before = len(fake_telegram.sent_to(CHANNEL))
    publish()  # seen: nothing more to do; not seen: the correction post goes out now, once
    assert [p.reply_to is not None for p in fake_telegram.sent_to(CHANNEL)[sent_before:]] == then
    assert progress(desk.db, KEY, "fact-turnout", CHANNEL)["correction"].state == "done"
    assert said(publish()) == []
    with pytest.raises(StudioError):  # settled once: nothing is left unconfirmed
        settle(desk.db, CHANNEL, f"{KEY}/fact-turnout", seen, NOW)
