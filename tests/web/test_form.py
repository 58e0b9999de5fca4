"""The phone form over HTTP (studio/web/form.py): its link, its pages, its photos, and its reports going the
intake's own way. The browser's side is tests/web/test_form_browser.py."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request

import pytest
from PIL import Image

from studio.desk.media import GPS_IFD, media_folder
from studio.store.observers import issue_link, link_table, token_hash
from tests.web.form_helpers import OBSERVERS, form_site, photo_with_location  # noqa: F401 (a fixture)
from tests.web.http_helpers import http

REPORT = {"region": "shymkent", "station": "№87", "kind": "хаттама", "text": "Хаттама учаскеде ілінбеген."}


def get(url: str, language: str = "kk") -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def post_photo(url: str, data: bytes, content_type: str = "image/jpeg"):
    return http("POST", url + "/photos", data=data, headers={"Content-Type": content_type})


def test_the_link_is_its_own_secret_kept_as_a_hash_and_a_new_one_ends_the_old(form_site) -> None:
    site = form_site()
    link = site.links[OBSERVERS[0]]
    assert len(link) >= 22 and not link.startswith("sto_")
    stored = site.store.db.execute("SELECT hash, link_hash FROM observer_token WHERE name = ?", (OBSERVERS[0],))
    token_digest, link_digest = stored.fetchone()
    assert link_digest == token_hash(link) and link not in repr(link_table(site.store.db))
    assert link_table(site.store.db)[link_digest] == (OBSERVERS[0], token_digest, True)

    renewed = issue_link(site.store.db, OBSERVERS[0])
    site.ticks.next_reload()
    assert get(f"{site.url}/r/{link}")[0] == 404  # the old link is no link at all now
    assert get(f"{site.url}/r/{renewed}")[0] == 200


def test_the_page_is_small_self_contained_and_leaks_nothing(form_site) -> None:
    site = form_site()
    status, page, headers = get(site.form(), "ru")
    assert status == 200 and len(page.encode()) < 24 * 1024
    assert "Сообщение с избирательного участка" in page and "Вы отправляете как Айгерім Сәрсенова." in page
    assert "Шымкент" in page and "Итоговый протокол" in page and "Область Ұлытау" in page
    assert not re.search(r"(src|href)=", page)  # nothing fetched: no script, style, font or image from anywhere
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    assert site.links[OBSERVERS[0]] not in page  # the page knows its link from the address bar only
    assert get(site.form(), "kk")[1].count("Сайлау учаскесінен хабарлама") >= 2  # title and heading, in Kazakh


def test_an_unknown_link_is_a_404_page_that_says_nothing_more(form_site) -> None:
    site = form_site()
    unknown = get(f"{site.url}/r/not-a-link-0123456789", "ru")
    other = get(f"{site.url}/r/{'x' * 22}", "ru")
    assert unknown[0] == other[0] == 404
    same = [re.sub(r'nonce="[^"]+"', "", page) for page in (unknown[1], other[1])]
    assert same[0] == same[1]  # the same page, whichever link was tried
    assert "Страница не найдена" in unknown[1] and "not-a-link" not in unknown[1]
    assert OBSERVERS[0] not in unknown[1]
    answer = http("POST", f"{site.url}/r/not-a-link-0123456789/reports", json_body=REPORT)
    assert answer.status == 404 and site.reports() == []


def test_revoking_the_observer_stops_the_form_at_the_next_reread(form_site) -> None:
    site = form_site()
    site.revoke()
    assert get(site.form())[0] == 200  # the tables read less than RELOAD_SECONDS ago
    site.ticks.next_reload()
    status, page, _ = get(site.form(), "kk")
    assert status == 410 and "Бұл сілтеме енді жұмыс істемейді" in page
    answer = http("POST", site.form() + "/reports", json_body=REPORT, headers={"Accept-Language": "ru"})
    assert answer.status == 401 and answer.body["error"] == "token_revoked"
    assert "попросите у координатора новую" in answer.body["message"]
    assert post_photo(site.form(), photo_with_location()).status == 401
    assert site.reports() == []
    assert get(site.form(OBSERVERS[1]))[0] == 200  # the others' links work on


def test_a_revocation_the_tables_have_not_seen_is_refused_in_the_store(form_site) -> None:
    site = form_site()
    site.revoke()  # no reread: the form still takes the link, the writer's transaction does not
    answer = http("POST", site.form() + "/reports", json_body=REPORT)
    assert answer.status == 401 and site.reports() == []


def test_a_report_goes_the_intakes_way_with_its_channel_and_its_key(form_site) -> None:
    site = form_site()
    sent = REPORT | {"channel": "app"}  # whatever the body says, the form's channel is written
    first = http("POST", site.form() + "/reports", json_body=sent, headers={"Idempotency-Key": "draft-1"})
    again = http("POST", site.form() + "/reports", json_body=sent, headers={"Idempotency-Key": "draft-1"})
    assert first.status == again.status == 201 and first.body == again.body
    assert again.headers.get("Idempotent-Replayed") == "true"
    [report] = site.reports()
    assert (report.observer, report.channel, report.region, report.station, report.kind.value) == (
        OBSERVERS[0], "form", "shymkent", 87, "protocol")
    other = http("POST", site.form() + "/reports", json_body=REPORT | {"text": "басқа"},
                 headers={"Idempotency-Key": "draft-1"})
    assert other.status == 409


def test_a_refused_report_names_its_fields_in_the_phones_language(form_site) -> None:
    site = form_site()
    answer = http("POST", site.form() + "/reports", json_body={"region": "", "kind": "turnout", "text": " ",
                                                                 "station": "жоқ"}, headers={"Accept-Language": "kk"})
    assert answer.status == 422
    assert [p["field"] for p in answer.body["problems"]] == ["region", "text", "station"]
    assert "мәтіні бос" in answer.body["problems"][1]["message"]
    assert site.reports() == []


def test_a_photo_is_kept_by_content_without_where_it_was_taken(form_site) -> None:
    site = form_site()
    data = photo_with_location()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the phone wrote where
    first, second = post_photo(site.form(), data), post_photo(site.form(), data)
    assert first.status == second.status == 201 and first.body == second.body
    path = first.body["path"]
    assert re.fullmatch(r"media/[0-9a-f]{64}\.jpg", path)
    stored = site.store.files / path
    with Image.open(stored) as image:
        assert image.getexif().get_ifd(GPS_IFD) == {} and image.getexif()[0x0110] == "Phone"
    answer = http("POST", site.form() + "/reports", json_body=REPORT | {"attachments": [path, "geo:43.23,76.95"]})
    assert answer.status == 201
    assert site.reports()[0].attachments == (path, "geo:43.23,76.95")


def test_a_photo_keeps_where_it_was_taken_only_when_the_observer_shared_their_location(form_site) -> None:
    site = form_site()
    answer = http("POST", site.form() + "/photos?location=shared", data=photo_with_location(),
                  headers={"Content-Type": "image/jpeg"})
    assert answer.status == 201
    with Image.open(site.store.files / answer.body["path"]) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def test_a_photos_type_is_read_from_its_content_not_from_what_the_browser_declares(form_site) -> None:
    site = form_site()
    image, out = Image.new("RGB", (8, 8)), io.BytesIO()
    image.save(out, format="PNG")
    answer = post_photo(site.form(), out.getvalue(), content_type="image/jpeg")
    assert answer.status == 201 and answer.body["path"].endswith(".png")


@pytest.mark.parametrize(
    "data, status, code",
    [
        (b"%PDF-1.7 not a photo", 415, "bad_type"),
        (photo_with_location()[:200], 415, "bad_type"),  # cut short
        (b"\xff" * (64 * 1024 + 1), 413, "too_large"),
    ],
    ids=["not-a-photo", "cut-short", "too-large"],
)
def test_a_file_that_is_not_a_photo_taken_is_refused_with_what_to_send(form_site, data, status, code) -> None:
    site = form_site(max_photo=64 * 1024)
    answer = http("POST", site.form() + "/photos", data=data, headers={"Content-Type": "image/jpeg",
                                                                     "Accept-Language": "ru"})
    assert (answer.status, answer.body["error"]) == (status, code)
    assert "отправьте" in answer.body["message"]
    assert not media_folder(site.store.files).exists() or not any(media_folder(site.store.files).iterdir())
