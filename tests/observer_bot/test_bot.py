"""``studio bot`` through the real python-telegram-bot against the fake Bot API (tests/observer_bot/fake_telegram.py)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from studio.desk import rules
from studio.desk.model import Claim, Draft, ReportKind
from studio.machine import utc_now
from studio.store.health import read as read_health
from studio.store.observers import revoke_observer
from studio.store.telegram import bindings
from studio.desk.media import GPS_IFD, located
from tests.observer_bot.conftest import eventually

USER = 501


def reports(store) -> list:
    return store.reports([row[0] for row in store.db.execute("SELECT id FROM report ORDER BY id")])


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 54.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def answered(fake, user: int, words: str, count: int = 1) -> list[str]:
    return eventually(
        lambda: (found := [t for t in fake.texts(user) if words in t]) and len(found) >= count and found,
        f"an answer with {words!r} to user {user}",
    )


def home(fake, region: str, station: str, saved: str = "Сохранено") -> None:
    """Register the observer's region and station (/home), as they would once in the morning."""
    fake.message(USER, "/home")
    fake.press(USER, f"region:{region}")
    fake.message(USER, station)
    answered(fake, USER, saved)


# --- registration ---------------------------------------------------------------------------


def test_a_link_binds_the_account_once_and_observers_list_shows_it(start_bot, observer, fake_telegram, store) -> None:
    code = observer("Айгерім")
    start_bot()
    fake_telegram.message(USER, f"/start {code}")
    answered(fake_telegram, USER, "Айгерім")
    assert [b.observer for b in bindings(store.db).values()] == ["Айгерім"]
    fake_telegram.message(777, f"/start {code}")  # the same link, another account
    answered(fake_telegram, 777, "уже использована")
    assert list(bindings(store.db)) == [USER]


def test_an_expired_link_binds_nobody(start_bot, observer, fake_telegram, store) -> None:
    code = observer("Ерлан", at=utc_now() - timedelta(hours=73))
    start_bot()
    fake_telegram.message(USER, f"/start {code}", language="kk")
    answered(fake_telegram, USER, "мерзімі өтіп кеткен")
    assert bindings(store.db) == {}


def test_an_unknown_account_is_told_politely_and_nothing_is_stored(start_bot, fake_telegram, store) -> None:
    start_bot()
    fake_telegram.message(900, "На участке 12 вброс")
    fake_telegram.message(901, "/start not-a-code")
    answered(fake_telegram, 900, "только от зарегистрированных наблюдателей")
    answered(fake_telegram, 901, "недействительна")
    assert reports(store) == []


# --- reports --------------------------------------------------------------------------------


def test_a_guided_report_with_a_photo_is_stored_without_the_photos_location(bound, fake_telegram, store) -> None:
    bound()
    fake_telegram.message(USER, "/report")
    answered(fake_telegram, USER, "Какой регион?")
    fake_telegram.press(USER, "region:almaty")
    answered(fake_telegram, USER, "Номер избирательного участка")
    fake_telegram.message(USER, "№154")
    answered(fake_telegram, USER, "Что произошло?")
    fake_telegram.press(USER, "kind:protocol")
    answered(fake_telegram, USER, "Опишите")
    fake_telegram.message(USER, "Итоговый протокол не вывешен для ознакомления")
    answered(fake_telegram, USER, "затем нажмите «Отправить»")
    fake_telegram.photo(USER, photo_with_gps())
    answered(fake_telegram, USER, "Добавлено (1)")
    fake_telegram.press(USER, "send")
    ack = answered(fake_telegram, USER, "Принято")[0]
    [report] = reports(store)
    assert f"R{report.id}" in ack
    assert (report.observer, report.channel, report.region, report.station, report.kind) == (
        "Айгерім", "telegram", "almaty", 154, ReportKind.PROTOCOL)
    assert report.text == "Итоговый протокол не вывешен для ознакомления"
    [path] = report.attachments
    kept = located(path, store.files)
    assert path == f"media/{kept.name}"  # relative to the store's folder: the store moves with its media
    assert kept.parent == store.path.parent / "media" and kept.stem == hashlib.sha256(kept.read_bytes()).hexdigest()
    exif = Image.open(kept).getexif()
    assert GPS_IFD not in exif and exif[0x010F] == "PhoneMaker"  # the location goes, the rest stays


def test_a_location_shared_on_purpose_goes_with_the_report_and_stays_in_the_photo(bound, fake_telegram, store) -> None:
    bound()
    fake_telegram.message(USER, "/report")
    fake_telegram.press(USER, "region:astana")
    fake_telegram.press(USER, "station:none")
    fake_telegram.press(USER, "kind:violation")
    fake_telegram.message(USER, "Наблюдателя не пустили на участок")
    fake_telegram.location(USER, 51.1694, 71.4491)
    fake_telegram.photo(USER, photo_with_gps())
    answered(fake_telegram, USER, "Добавлено (1)")
    fake_telegram.press(USER, "send")
    answered(fake_telegram, USER, "Принято")
    [report] = reports(store)
    assert report.station is None and report.attachments[1] == "geo:51.1694,71.4491"
    assert GPS_IFD in Image.open(located(report.attachments[0], store.files)).getexif()


def test_a_free_text_is_a_report_needing_details_once_its_region_is_known(bound, fake_telegram, store) -> None:
    bound()
    fake_telegram.message(USER, "У входа толпа, полиция никого не пускает")
    answered(fake_telegram, USER, "О каком регионе речь?")
    assert reports(store) == []  # asked, kept, not yet sent
    fake_telegram.press(USER, "region:shymkent")
    answered(fake_telegram, USER, "Дежурные могут уточнить детали")
    fake_telegram.message(USER, "Теперь толпа разошлась")  # the region is known now: stored at once
    answered(fake_telegram, USER, "Дежурные могут уточнить детали", count=2)
    assert [(r.region, r.kind, r.text) for r in reports(store)] == [
        ("shymkent", ReportKind.OTHER, "У входа толпа, полиция никого не пускает"),
        ("shymkent", ReportKind.OTHER, "Теперь толпа разошлась"),
    ]


def test_a_registered_station_skips_region_and_station(bound, fake_telegram, store) -> None:
    bound(language="kk")
    home(fake_telegram, "karaganda", "УИК 31", saved="Сақталды")
    fake_telegram.message(USER, "/report")
    answered(fake_telegram, USER, "Не болды?")
    fake_telegram.press(USER, "kind:turnout")
    fake_telegram.message(USER, "Сағат 12:00-де келу 41%")
    fake_telegram.press(USER, "send")
    answered(fake_telegram, USER, "Қабылданды")
    [report] = reports(store)
    assert (report.region, report.station, report.kind) == ("karaganda", 31, ReportKind.TURNOUT)
    assert not any("Қай өңір?" in t for t in fake_telegram.texts(USER)[-6:])


def test_status_lists_todays_reports_and_a_verdict_is_told(bound, fake_telegram, store) -> None:
    bound()
    home(fake_telegram, "astana", "12")
    fake_telegram.message(USER, "Вброс бюллетеней на участке 12")
    answered(fake_telegram, USER, "Принято")
    [report] = reports(store)
    fake_telegram.message(USER, "/status")
    answered(fake_telegram, USER, f"R{report.id} · Другое · ждёт проверки")
    draft = Draft(kind=ReportKind.OTHER, claim=Claim(ru="Вброс на участке 12"),
                  region="astana", station=12)
    fact = store.create_fact(draft, by="aigerim", at=utc_now(), report_ids=[report.id])
    fact = store.change(fact.id, fact.version, rules.StartReview(), by="aigerim", at=utc_now())
    store.change(fact.id, fact.version, rules.MarkFalse(why="проверено по видео"), by="dana", at=utc_now())
    answered(fake_telegram, USER, f"по сообщению R{report.id}: признано ложным")


def test_over_the_rate_the_report_waits_for_send_and_nothing_is_lost(bound, fake_telegram, store) -> None:
    bound(rate=0.001, burst=1)
    fake_telegram.message(USER, "Первое сообщение")
    fake_telegram.press(USER, "region:abai")
    answered(fake_telegram, USER, "Принято")
    fake_telegram.message(USER, "Второе сообщение")
    answered(fake_telegram, USER, "Слишком много сообщений сразу")
    assert len(reports(store)) == 1
    state = bindings(store.db)[USER].state
    assert state["draft"]["text"] == "Второе сообщение"  # kept for «Отправить»


def test_files_of_a_type_or_size_not_taken_are_refused_with_the_reason(bound, fake_telegram, store) -> None:
    bound(max_file_mb=1)
    fake_telegram.document(USER, b"MZ\x90\x00", "application/x-msdownload", "setup.exe")
    answered(fake_telegram, USER, "Такие файлы не принимаются")
    fake_telegram.document(USER, b"\x00" * (1024 * 1024 + 1), "video/mp4", "big.mp4")
    answered(fake_telegram, USER, "не более 1 МБ")
    assert not (store.path.parent / "media").exists() or not any((store.path.parent / "media").iterdir())


# --- revocation, restarts, outages ------------------------------------------------------------


def test_revocation_in_the_middle_of_a_report_stops_it(bound, fake_telegram, store) -> None:
    bound()
    fake_telegram.message(USER, "/report")
    fake_telegram.press(USER, "region:almaty")
    answered(fake_telegram, USER, "Номер избирательного участка")
    revoke_observer(store.db, "Айгерім", by="coordinator", at=utc_now())
    fake_telegram.message(USER, "154")
    answered(fake_telegram, USER, "доступ к боту отозван")
    fake_telegram.message(USER, "Всё равно отправляю")
    answered(fake_telegram, USER, "доступ к боту отозван", count=2)
    assert reports(store) == []


def test_an_update_being_processed_when_the_bot_dies_is_processed_once_after_the_restart(
    bound, start_bot, fake_telegram, store
) -> None:
    first = bound()
    home(fake_telegram, "almaty", "7")
    fake_telegram.hold_files(True)
    fake_telegram.photo(USER, photo_with_gps(), caption="Фото протокола")  # a free report, its photo downloading
    eventually(lambda: fake_telegram.calls().count("getFile") >= 1, "the download begun")
    first.kill()
    assert reports(store) == []  # nothing half-written
    fake_telegram.hold_files(False)
    start_bot()
    answered(fake_telegram, USER, "Принято")
    [report] = reports(store)
    assert report.text == "Фото протокола" and len(report.attachments) == 1


def test_updates_telegram_delivers_again_after_a_restart_are_not_processed_twice(
    bound, start_bot, fake_telegram, store
) -> None:
    first = bound()
    home(fake_telegram, "almaty", "7")
    fake_telegram.message(USER, "Очередь на улице")
    answered(fake_telegram, USER, "Принято")
    first.stop()
    acks = len(fake_telegram.texts(USER))
    fake_telegram.redeliver_all()  # as if Telegram never got the offset that confirmed them
    start_bot()
    eventually(lambda: fake_telegram.pending() == 0, "the old updates confirmed by the restarted bot")
    assert len(reports(store)) == 1 and len(fake_telegram.texts(USER)) == acks


def test_429_waits_telegrams_retry_after_and_loses_nothing(bound, fake_telegram, store, caplog) -> None:
    caplog.set_level(logging.WARNING)
    bound()
    fake_telegram.fail("getUpdates", 429, "Too Many Requests: retry after 1", retry_after=1)
    fake_telegram.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    home(fake_telegram, "almaty", "3")
    fake_telegram.message(USER, "Урна не опломбирована")
    answered(fake_telegram, USER, "Принято")
    assert len(reports(store)) == 1
    assert "rate_limited" in caplog.text


def test_another_poller_is_retried_and_shown_as_health(bound, fake_telegram, store, caplog) -> None:
    caplog.set_level(logging.WARNING)
    bound()
    fake_telegram.fail("getUpdates", 409, "Conflict: terminated by other getUpdates request", times=2)
    eventually(lambda: read_health(store.db).get("telegram") and read_health(store.db)["telegram"].detail["reason"]
               == "another_poller", "the health snapshot saying another poller runs")
    fake_telegram.message(USER, "/status")
    answered(fake_telegram, USER, "Сегодня от вас сообщений нет")
    eventually(lambda: read_health(store.db)["telegram"].detail["state"] == "polling", "polling again")


def test_a_quiet_long_poll_keeps_the_health_fresh(start_bot, fake_telegram, store) -> None:
    bot = start_bot(poll_seconds=30)  # no update comes: the first getUpdates waits its whole 30 s
    first = eventually(lambda: (h := read_health(store.db).get("telegram")) and h.detail["state"] == "polling" and h,
                       "the bot polling")
    again = eventually(lambda: (h := read_health(store.db)["telegram"]).at > first.at and h, "a heartbeat")
    assert again.detail["state"] == "polling" and fake_telegram.calls().count("getUpdates") == 1  # still that poll
    bot.kill()


def test_a_refused_token_stops_the_bot_and_is_never_written_anywhere(start_bot, fake_telegram, store, caplog, capsys) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "7000000001:WRONG-secret-token-never-to-be-seen"
    bot = start_bot(token=wrong)
    eventually(lambda: not bot.alive, "the bot stopped")
    assert bot.error is not None and "token" in str(bot.error) and wrong not in str(bot.error)
    health = read_health(store.db)["telegram"]
    assert health.detail["state"] == "stopped" and health.detail["reason"] == "token_refused"
    everything = caplog.text + json.dumps(health.detail) + "".join(capsys.readouterr())
    assert wrong not in everything and "WRONG-secret" not in everything


def test_the_token_is_in_no_log_line_of_a_whole_conversation(bound, fake_telegram, store, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    bound()
    fake_telegram.fail("sendMessage", 502, "Bad Gateway")
    fake_telegram.photo(USER, photo_with_gps(), caption="Фото")
    fake_telegram.press(USER, "region:almaty")
    answered(fake_telegram, USER, "Принято")
    secret = fake_telegram.token.split(":", 1)[1]
    assert caplog.records and secret not in caplog.text
    assert all(secret not in json.dumps(h.detail) for h in read_health(store.db).values())
