"""The browser prompter in a real headless Chromium: a take made by another controller
shows on the page, the cue text is in the DOM, mirror mode flips it. Screenshots are
saved in the test's tmp folder (look at them: they should read from across a studio)."""

from __future__ import annotations

import pytest

from studio.web.follow import Follower
from studio.web.prompter import make_prompter_web
from tests.web.chromium import Chromium, require_chromium
from tests.web.http_helpers import ALMATY


@pytest.fixture
def browser(tmp_path):
    chromium = Chromium(require_chromium(), tmp_path / "chromium-profile")
    yield chromium
    chromium.close()


@pytest.fixture
def prompter_url(controllers, serve):
    producer = controllers(origin="console")
    served = serve(make_prompter_web(Follower(controllers(origin="prompter")), ALMATY, "kk"))
    return served.url, producer


def test_a_take_shows_the_new_cue_in_the_browser(browser: Chromium, prompter_url, tmp_path) -> None:
    url, producer = prompter_url
    browser.navigate(f"{url}/?lang=kk")
    browser.wait_for("document.body.dataset.revision !== undefined")
    assert browser.evaluate("document.getElementById('title').textContent") == "Эфирде ештеңе жоқ"
    assert browser.evaluate("document.body.dataset.segment") == ""
    browser.screenshot(tmp_path / "prompter-idle.png")

    producer.take("open")
    browser.wait_for("document.body.dataset.segment === 'open'", timeout=10)  # how fast: bench/prompter_latency.py
    cue = browser.evaluate("document.getElementById('cue').textContent")
    assert cue.startswith("Қайырлы таң, құрметті көрермендер! Байқаушылар орталығы тікелей эфирде.")
    assert browser.evaluate("document.getElementById('title').textContent") == "Эфирді ашу"
    assert "Астанадан тікелей қосылу" in browser.evaluate("document.getElementById('next-text').textContent")
    assert browser.evaluate("document.getElementById('countdown').textContent") != ""
    shot = browser.screenshot(tmp_path / "prompter-on-air.png")
    assert shot.stat().st_size > 10_000

    producer.take("almaty-live")
    browser.wait_for("document.body.dataset.segment === 'almaty-live'", timeout=5)
    assert browser.evaluate("document.getElementById('cue').textContent") == (
        "Передаём слово нашему корреспонденту в Алматы."
    )


def test_mirror_mode_flips_the_view_for_beam_splitter_glass(browser: Chromium, prompter_url, tmp_path) -> None:
    url, producer = prompter_url
    producer.take("astana-live")
    browser.navigate(f"{url}/?lang=ru&mirror=1")
    browser.wait_for("document.body.dataset.segment === 'astana-live'")
    transform = browser.evaluate("getComputedStyle(document.getElementById('prompter')).transform")
    assert transform == "matrix(-1, 0, 0, 1, 0, 0)"
    assert browser.evaluate("document.getElementById('title').textContent") == "Прямое включение из Астаны"
    browser.screenshot(tmp_path / "prompter-mirror.png")


def test_presenter_keys_in_the_browser(browser: Chromium, prompter_url) -> None:
    url, producer = prompter_url
    producer.take("open")
    browser.navigate(f"{url}/?lang=kk&size=2")
    browser.wait_for("document.body.dataset.segment === 'open'")
    size = "getComputedStyle(document.documentElement).getPropertyValue('--cue-size')"
    assert browser.evaluate(size).strip() == "4.4vw"
    for key in ("+", "+", " "):
        browser.send("Input.dispatchKeyEvent", type="keyDown", key=key, text=key)
        browser.send("Input.dispatchKeyEvent", type="keyUp", key=key)
    assert browser.evaluate(size).strip() == "7vw"
    assert browser.evaluate("document.body.classList.contains('paused')")
    assert browser.evaluate("document.getElementById('scrolling').textContent").startswith("Айналдыру кідіртілді")
