"""The browser prompter's one page: HTML, CSS and script, with the catalogue's words filled in.

The page holds no show logic: it draws the ``CueCard`` JSON that arrives on
``/events`` and keeps only the presenter's own settings (text size, pause,
scroll position). All user text goes in through ``textContent``, never as
HTML. The inline style and script carry a per-response nonce that the
Content-Security-Policy header names, so nothing else can run on the page.
"""

from __future__ import annotations

import html
import json
from string import Template
from typing import Any

SIZES_VW = (3.4, 4.4, 5.6, 7.0, 8.8)
"""Cue font size per size step (1 = smallest), in percent of the viewport width."""

_PAGE = Template(
    """<!doctype html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<title>$title</title>
<style nonce="$nonce">
:root { --cue-size: 5.6vw; --dim: #9e9e9e; --overrun: #e53935; --accent: #f9a825; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: #000; color: #fff;
  font-family: "DejaVu Sans", "Noto Sans", "Segoe UI", Arial, sans-serif; }
#prompter { display: flex; flex-direction: column; height: 100vh; }
body.mirror #prompter { transform: scaleX(-1); }
#bar { display: flex; align-items: flex-start; gap: 2vw; padding: 1.2vh 2vw;
  border-bottom: 1px solid #444; font-size: 2.2vw; }
body.overrun #bar { border-bottom: 4px solid var(--overrun); }
#on-air { flex: 1; min-width: 0; }
#badge { display: inline-block; background: #c62828; color: #fff; font-weight: bold;
  padding: 0 0.6em; border-radius: 0.2em; }
#badge:empty { display: none; }
#title { font-weight: bold; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#detail, #count-label, #clock-label, #status { color: var(--dim); }
#count, #clock-box { text-align: right; }
#countdown { font-size: 6vw; font-weight: bold; font-variant-numeric: tabular-nums; line-height: 1; }
#clock { font-size: 3.6vw; color: var(--dim); font-variant-numeric: tabular-nums; line-height: 1.4; }
body.overrun #countdown, body.overrun #count-label { color: var(--overrun); }
#cue-wrap { flex: 1; overflow-y: auto; scrollbar-width: none; padding: 3vh 6vw 50vh; }
#cue-wrap::-webkit-scrollbar { display: none; }
#cue { max-width: 60em; margin: 0 auto; font-size: var(--cue-size); font-weight: bold;
  line-height: 1.45; white-space: pre-wrap; overflow-wrap: break-word; }
#cue.empty { color: var(--dim); font-weight: normal; }
#next { padding: 1vh 2vw; border-top: 1px solid #444; font-size: 2.4vw;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#next-label { color: var(--accent); font-weight: bold; margin-right: 1em; }
#status { padding: 0.4vh 2vw 0.8vh; font-size: 1.4vw; display: flex; gap: 2em; }
#connection:empty { display: none; }
#connection, body.paused #scrolling { color: var(--accent); font-weight: bold; }
</style>
</head>
<body class="$body_class">
<main id="prompter">
  <header id="bar">
    <div id="on-air"><span id="badge"></span><div id="title"></div><div id="detail"></div></div>
    <div id="count"><div id="countdown"></div><div id="count-label"></div></div>
    <div id="clock-box"><div id="clock"></div><div id="clock-label"></div></div>
  </header>
  <section id="cue-wrap"><div id="cue"></div></section>
  <footer id="next"><span id="next-label"></span><span id="next-text"></span></footer>
  <div id="status"><span id="connection"></span><span id="scrolling"></span><span id="keys"></span></div>
</main>
<script type="application/json" id="config">$config</script>
<script nonce="$nonce">
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("config").textContent);
  const $$ = (id) => document.getElementById(id);
  const wrap = $$("cue-wrap");
  const body = document.body;
  let size = config.size, paused = false, card = null, segment = undefined, position = 0;
  let last = performance.now();

  function setText(id, text) { const node = $$(id); if (node.textContent !== text) node.textContent = text; }
  function applySize() {
    document.documentElement.style.setProperty("--cue-size", config.sizes[size - 1] + "vw");
    showScrolling();
  }
  function showScrolling() {
    setText("scrolling", (paused ? config.text.paused : config.text.scrolling) + " · " + config.text.size
      .replace("{size}", size).replace("{max}", config.sizes.length));
  }
  function render(data) {
    card = data;
    setText("badge", card.state === "on_air" ? card.labels.on_air : "");
    setText("title", card.title);
    setText("detail", card.detail);
    setText("countdown", card.countdown);
    setText("count-label", card.countdown_label);
    setText("clock", card.clock);
    setText("clock-label", card.labels.local_time);
    setText("next-label", card.labels.next);
    setText("next-text", [card.next_at, card.next_title, card.next_detail].filter(Boolean).join("  ·  "));
    const empty = card.state === "on_air" && !card.cue;
    setText("cue", card.cue || (empty ? card.no_cue : ""));
    $$("cue").classList.toggle("empty", empty);
    body.classList.toggle("overrun", card.overrun);
    setText("connection", card.warning || "");
    body.dataset.segment = card.segment_id || "";
    body.dataset.revision = String(card.revision);
    if (card.segment_id !== segment) { segment = card.segment_id; position = 0; wrap.scrollTop = 0; }
  }
  function tick(now) {
    const seconds = Math.min((now - last) / 1000, 1);
    last = now;
    if (!paused && card && card.state === "on_air") {
      const left = wrap.scrollHeight - wrap.clientHeight - position;
      if (left > 0) {
        position += left * seconds / Math.max(card.planned_s - card.elapsed_s, 10);
        wrap.scrollTop = position;
      }
    }
    requestAnimationFrame(tick);
  }
  function lineHeight() { return parseFloat(getComputedStyle($$("cue")).lineHeight) || 40; }
  function nudge(lines) {
    position = Math.max(0, Math.min(wrap.scrollHeight - wrap.clientHeight, position + lines * lineHeight()));
    wrap.scrollTop = position;
  }
  function togglePause() { paused = !paused; body.classList.toggle("paused", paused); showScrolling(); }

  wrap.addEventListener("scroll", () => {
    if (Math.abs(wrap.scrollTop - position) > 2) position = wrap.scrollTop;  // a finger or a wheel moved it
  });
  wrap.addEventListener("click", togglePause);
  document.addEventListener("keydown", (event) => {
    if (event.key === " " || event.key === "p") togglePause();
    else if (event.key === "ArrowDown" || event.key === "j") nudge(1);
    else if (event.key === "ArrowUp" || event.key === "k") nudge(-1);
    else if (event.key === "Home" || event.key === "g") nudge(-1e6);
    else if (event.key === "+" || event.key === "=") { size = Math.min(config.sizes.length, size + 1); applySize(); }
    else if (event.key === "-") { size = Math.max(1, size - 1); applySize(); }
    else return;
    event.preventDefault();
  });

  setText("connection", config.text.connecting);
  setText("keys", config.text.keys);
  applySize();
  const source = new EventSource(config.events);
  source.addEventListener("card", (event) => render(JSON.parse(event.data)));
  source.addEventListener("open", () => setText("connection", card && card.warning || ""));
  source.addEventListener("error", () => setText("connection", config.text.disconnected));
  requestAnimationFrame(tick);
})();
</script>
</body>
</html>
"""
)


def _json_for_script(value: Any) -> str:
    """JSON that cannot close its <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(
    *, language: str, title: str, text: dict[str, str], events: str, size: int, mirror: bool, nonce: str
) -> str:
    config = {"events": events, "size": size, "sizes": list(SIZES_VW), "lang": language, "text": text}
    return _PAGE.substitute(
        lang=html.escape(language),
        title=html.escape(title),
        nonce=html.escape(nonce),
        body_class="mirror" if mirror else "",
        config=_json_for_script(config),
    )
