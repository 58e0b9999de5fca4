"""The phone form's one page: HTML, CSS and a little script, no framework, nothing fetched but the report.

Made for a cheap phone on a bad network: one small response (about 15 kB,
``tests/web/test_form_browser.py`` holds it under 24 kB), inline style and
script under a per-response nonce (the Content-Security-Policy of
studio/web/form.py lets nothing else run), system fonts.

What the script keeps (``localStorage``, per link): the observer's language
and the draft: every field as typed, its Idempotency-Key, the stored photo's
path or location once there, and whether it is waiting to be sent. A chosen
photo not yet sent waits in IndexedDB. So a reload, a closed tab or a dead
battery loses nothing; a draft waiting to be sent is sent again, with the
same key, when the page opens, when the phone says it is ``online`` again and
on a timer (1, 2, 4 ... 30 s, or the server's Retry-After). The intake
replays the first answer for a key it has stored, so a resend after a lost
answer stores nothing twice. While a draft waits its fields are locked: the
body sent again is the body sent first. A refusal (422) names fields: each
message goes next to its field and the draft is the observer's to fix.
All text goes in through ``textContent``, never as HTML.
"""

from __future__ import annotations

import html
import json
import re

from studio.desk.model import ReportKind
from studio.i18n import Catalogue
from studio.regions import regions

LANGUAGE_KEY = "studio-form-language"
"""The localStorage key of the observer's language (kk or ru)."""
SCRIPT_KEYS = (
    "form.status.sending", "form.status.waiting", "form.status.offline", "form.status.stored",
    "form.status.refused", "form.status.revoked", "form.status.failed", "form.status.restored",
    "form.photo.kept", "form.location.shared", "form.location.failed",
)
"""Catalogue keys the script says (the page's own are its ``data-t`` elements)."""
_PLACEHOLDER = re.compile(r"\{\{([a-z_.]+)\}\}")

_FORM = """<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{form.title}}</title>
<style nonce="{{nonce}}">
*{box-sizing:border-box}
body{margin:0;font:16px/1.4 system-ui,"Noto Sans","DejaVu Sans",Arial,sans-serif;background:#f4f4f2;color:#1b1b1b}
main{max-width:36em;margin:0 auto;padding:12px 14px 40px}
header{display:flex;align-items:flex-start;justify-content:space-between;gap:8px}
h1{font-size:1.25em;margin:8px 0}
#languages{white-space:nowrap;margin-top:6px}
#who{color:#555;margin:0 0 10px}
#languages button{border:1px solid #888;background:#fff;padding:6px 10px;border-radius:6px;font:inherit}
#languages button[aria-pressed=true]{background:#1b4f8a;border-color:#1b4f8a;color:#fff}
fieldset{border:0;margin:0;padding:0}
label{display:block;font-weight:600;margin:14px 0 4px}
select,input,textarea{width:100%;font:inherit;padding:9px;border:1px solid #888;border-radius:6px;background:#fff}
textarea{min-height:8em;resize:vertical}
.hint{color:#555;font-size:.875em;margin:3px 0 0}
.error{color:#b00020;font-weight:600;font-size:.9em;margin:4px 0 0}
.error:empty{display:none}
.invalid{border:2px solid #b00020}
.row{display:flex;align-items:center;gap:10px;margin-top:14px;flex-wrap:wrap}
button{font:inherit}
#locate,#pick{display:inline-block;border:1px solid #1b4f8a;color:#1b4f8a;background:#fff;padding:8px 12px;
border-radius:6px;font-weight:400;margin:0}
#photo{position:absolute;opacity:0;width:1px;height:1px}
#photo:focus+#pick{outline:2px solid #1b4f8a}
#send{display:block;width:100%;margin-top:22px;padding:14px;border:0;border-radius:8px;background:#1b4f8a;color:#fff;
font-weight:700;font-size:1.1em}
fieldset:disabled,#send:disabled{opacity:.6}
#notice{margin:14px 0 0;padding:10px 12px;border-radius:6px;background:#e8eef6}
#notice:empty{display:none}
#notice.ok{background:#e3f3e6;color:#1d5e2a;font-weight:700}
#notice.error{background:#fbe6e9;color:#8a0018;font-weight:600}
</style>
</head>
<body>
<main>
<header><h1 data-t="form.title">{{form.title}}</h1>
<div id="languages"><button type="button" data-lang="kk">Қазақша</button> <button type="button" data-lang="ru">Русский</button></div>
</header>
<p id="who" data-t="form.observer">{{form.observer}}</p>
<form id="report" novalidate>
<fieldset id="fields">
<label for="region" data-t="form.label.region">{{form.label.region}}</label>
<select id="region" name="region"><option value="" data-t="form.region.choose">{{form.region.choose}}</option>{{regions}}</select>
<p class="error" id="error-region"></p>
<label for="station" data-t="form.label.station">{{form.label.station}}</label>
<input id="station" name="station" inputmode="numeric" autocomplete="off" maxlength="32">
<p class="hint" data-t="form.station.hint">{{form.station.hint}}</p>
<p class="error" id="error-station"></p>
<label for="kind" data-t="form.label.kind">{{form.label.kind}}</label>
<select id="kind" name="kind"><option value="" data-t="form.kind.choose">{{form.kind.choose}}</option>{{kinds}}</select>
<p class="error" id="error-kind"></p>
<label for="text" data-t="form.label.text">{{form.label.text}}</label>
<textarea id="text" name="text" maxlength="4000"></textarea>
<p class="error" id="error-text"></p>
<label data-t="form.label.photo">{{form.label.photo}}</label>
<input id="photo" type="file" accept="image/jpeg,image/png,image/webp">
<label id="pick" for="photo" data-t="form.photo_pick">{{form.photo_pick}}</label>
<p class="hint" id="photo-hint" data-t="form.photo.hint">{{form.photo.hint}}</p>
<p class="hint" id="photo-kept"></p>
<p class="error" id="error-attachments"></p>
<div class="row"><button type="button" id="locate" data-t="form.location.share">{{form.location.share}}</button>
<span id="geo"></span></div>
<p class="error" id="error-location"></p>
</fieldset>
<p id="notice" role="status" aria-live="polite"></p>
<button type="submit" id="send" data-t="form.send">{{form.send}}</button>
</form>
</main>
<script type="application/json" id="strings">{{strings}}</script>
<script nonce="{{nonce}}">
(function () {
"use strict";
var S = JSON.parse(document.getElementById("strings").textContent);
var DRAFT = "studio-form-draft:" + location.pathname, LANGUAGE = "{{language_key}}";
var FIELDS = ["region", "station", "kind", "text"];
var $ = function (id) { return document.getElementById(id); };
var lang = S[localStorage.getItem(LANGUAGE)] ? localStorage.getItem(LANGUAGE) : document.documentElement.lang;
var draft = load(), photo = null, said = null, timer = null, attempt = 0, sending = false;

function t(key, params) {
  return (S[lang][key] || key).replace(/\\{(\\w+)\\}/g, function (all, name) {
    return params && name in params ? params[name] : all;
  });
}
function newKey() {
  var bytes = crypto.getRandomValues(new Uint8Array(16));
  return "form-" + Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
}
function load() {
  try { var kept = JSON.parse(localStorage.getItem(DRAFT)); if (kept && kept.key) return kept; } catch (e) {}
  return {key: newKey(), fields: {}, photo: null, geo: null, pending: false};
}
function save() { try { localStorage.setItem(DRAFT, JSON.stringify(draft)); } catch (e) {} }

// The chosen photo waits in IndexedDB until it is stored: a reload keeps it too.
function photos(mode, work) {
  return new Promise(function (done) {
    if (!window.indexedDB) return done(null);
    var open = indexedDB.open("studio-form", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("photos"); };
    open.onerror = function () { done(null); };
    open.onsuccess = function () {
      var tx = open.result.transaction("photos", mode), request = work(tx.objectStore("photos"));
      tx.oncomplete = function () { done(request.result || null); };
      tx.onerror = function () { done(null); };
    };
  });
}
function keepPhoto(file) {
  photo = file;
  return photos("readwrite", function (store) { return file ? store.put(file, DRAFT) : store.delete(DRAFT); });
}

function show(key, params, tone) {
  said = key ? {key: key, params: params, tone: tone} : null;
  $("notice").textContent = key ? t(key, params) : "";
  $("notice").className = tone || "";
}
function fieldError(field, message) {
  var target = $("error-" + field) ? field : "attachments";
  $("error-" + target).textContent = message;
  if ($(field)) $(field).classList.add("invalid");
}
function clearErrors() {
  document.querySelectorAll(".error").forEach(function (e) { e.textContent = ""; });
  document.querySelectorAll(".invalid").forEach(function (e) { e.classList.remove("invalid"); });
}
function drawExtras() {
  $("photo-kept").textContent = photo && photo.name ? t("form.photo.kept", {file: photo.name}) : "";
  $("geo").textContent = draft.geo ? t("form.location.shared", {where: draft.geo.slice(4).split(";")[0]}) : "";
  $("locate").textContent = t(draft.geo ? "form.location.forget" : "form.location.share");
}
function setLanguage(code) {
  lang = code;
  try { localStorage.setItem(LANGUAGE, code); } catch (e) {}
  document.documentElement.lang = code;
  document.title = t("form.title");
  document.querySelectorAll("[data-t]").forEach(function (e) { e.textContent = t(e.dataset.t); });
  document.querySelectorAll("option[data-kk]").forEach(function (e) { e.textContent = e.dataset[code]; });
  document.querySelectorAll("#languages button").forEach(function (b) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === code));
  });
  if (said) show(said.key, said.params, said.tone);
  drawExtras();
}
function setGeo(geo) {
  draft.geo = geo;
  if (photo) draft.photo = null;  // uploaded again at Send, with or without where it was taken, as now chosen
  save(); drawExtras();
}
function lock(locked) { $("fields").disabled = locked; $("send").disabled = locked; }

function body() {
  var f = draft.fields, report = {region: f.region || "", kind: f.kind || "", text: f.text || ""};
  var station = (f.station || "").trim(), attachments = [];
  if (station) report.station = station;
  if (draft.photo) attachments.push(draft.photo);
  if (draft.geo) attachments.push(draft.geo);
  if (attachments.length) report.attachments = attachments;
  return report;
}
function post(path, data, headers) {
  headers["Accept-Language"] = lang;
  return fetch(location.pathname + path, {method: "POST", headers: headers, body: data, cache: "no-store"})
    .then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        return {status: response.status, body: answer, wait: Number(response.headers.get("Retry-After")) || 0};
      });
    });
}
function send() {
  clearTimeout(timer);
  if (sending || !draft.pending) return;
  sending = true;
  show("form.status.sending");
  // The photo keeps where it was taken only when the observer shares their location with this report.
  var step = photo && !draft.photo
    ? post("/photos" + (draft.geo ? "?location=shared" : ""), photo,
           {"Content-Type": photo.type || "application/octet-stream"}).then(function (a) {
        if (a.status !== 201) return a;
        draft.photo = a.body.path; save();
        return null;
      })
    : Promise.resolve(null);
  step.then(function (refused) {
    return refused || post("/reports", JSON.stringify(body()),
                           {"Content-Type": "application/json", "Idempotency-Key": draft.key});
  }).then(settle, function () { later(t("form.status.offline"), 0); })
    .then(function () { sending = false; });
}
function settle(a) {
  if (a.status === 201) return stored(a.body.id);
  if (a.status === 429 || a.status >= 500) return later(a.body.message || String(a.status), a.wait);
  draft.pending = false; save(); lock(false);  // refused: nothing was stored, the draft is the observer's again
  if (a.status === 422 && a.body.problems) {
    a.body.problems.forEach(function (p) { fieldError(p.field, p.message); });
    return show("form.status.refused", null, "error");
  }
  if (a.body.error === "token_revoked") return show("form.status.revoked", null, "error");
  if (a.body.error === "bad_type" || a.body.error === "too_large") {
    fieldError("attachments", a.body.message);
    return show("form.status.refused", null, "error");
  }
  show("form.status.failed", {reason: a.body.message || String(a.status)}, "error");
}
function later(reason, seconds) {
  var wait = seconds ? seconds * 1000 : Math.min(30000, 1000 * Math.pow(2, attempt));
  attempt += 1;
  show("form.status.waiting", {reason: reason, seconds: Math.round(wait / 1000)}, "wait");
  timer = setTimeout(send, wait);
}
function stored(id) {
  localStorage.removeItem(DRAFT);
  keepPhoto(null);
  draft = load();
  form.reset(); clearErrors(); lock(false); drawExtras();
  document.body.dataset.report = id;
  show("form.status.stored", {id: id}, "ok");
}

var form = $("report");
FIELDS.forEach(function (name) {
  $(name).value = draft.fields[name] || "";
  $(name).addEventListener("input", function () {
    draft.fields[name] = $(name).value; save();
    $("error-" + name).textContent = ""; $(name).classList.remove("invalid");
  });
});
$("photo").addEventListener("change", function () {
  draft.photo = null; save();
  $("error-attachments").textContent = "";
  keepPhoto($("photo").files[0] || null).then(drawExtras);
});
$("locate").addEventListener("click", function () {
  $("error-location").textContent = "";
  if (draft.geo) return setGeo(null);
  if (!navigator.geolocation) return fieldError("location", t("form.location.failed"));
  navigator.geolocation.getCurrentPosition(function (p) {
    setGeo("geo:" + p.coords.latitude.toFixed(5) + "," + p.coords.longitude.toFixed(5) +
      ";u=" + Math.round(p.coords.accuracy));
  }, function () { fieldError("location", t("form.location.failed")); },
  {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
});
document.querySelectorAll("#languages button").forEach(function (b) {
  b.addEventListener("click", function () { setLanguage(b.dataset.lang); });
});
form.addEventListener("submit", function (event) {
  event.preventDefault();
  if (draft.pending) return;
  clearErrors();
  draft.pending = true; save(); lock(true);
  attempt = 0; send();
});
window.addEventListener("online", function () { attempt = 0; send(); });

setLanguage(lang);
var restored = draft.fields.text || draft.fields.region;
photos("readonly", function (store) { return store.get(DRAFT); }).then(function (kept) {
  if (kept) photo = kept;
  drawExtras();
  if (draft.pending) { lock(true); send(); }
  else if (restored) show("form.status.restored");
  document.body.dataset.ready = "1";
});
})();
</script>
</body>
</html>
"""

_NOTICE = """<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style nonce="{{nonce}}">
body{margin:0;font:17px/1.5 system-ui,"Noto Sans","DejaVu Sans",Arial,sans-serif;background:#f4f4f2;color:#1b1b1b}
main{max-width:32em;margin:0 auto;padding:24px 16px}
h1{font-size:1.3em}
</style>
</head>
<body><main><h1>{{title}}</h1><p>{{body}}</p></main></body>
</html>
"""


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def render_form(observer: str, language: str, nonce: str, *, max_photo: int) -> str:
    """The form for ``observer``, drawn in ``language`` (kk or ru); the script switches between both."""
    page_keys = sorted(set(re.findall(r'data-t="([a-z_.]+)"', _FORM)) | {"form.location.forget"})
    kind_keys = [f"desk.kind.{kind.value}" for kind in ReportKind]
    params = {"name": observer, "limit": max_photo // (1024 * 1024)}
    strings = {
        code: {key: Catalogue(code).t(key, **params) for key in (*page_keys, *kind_keys, *SCRIPT_KEYS)}
        for code in ("kk", "ru")
    }
    said = strings[language]
    options = "".join(
        f'<option value="{region.id}" data-kk="{html.escape(region.kk)}" data-ru="{html.escape(region.ru)}">'
        f"{html.escape(region.name(language))}</option>"
        for region in regions().values()
    )
    kinds = "".join(
        f'<option value="{kind.value}" data-t="desk.kind.{kind.value}">{html.escape(said[f"desk.kind.{kind.value}"])}'
        "</option>"
        for kind in ReportKind
    )
    # JSON inside <script>: "</" written as "<\/" so no text can close the element.
    embedded = json.dumps(strings, ensure_ascii=False).replace("</", "<\\/")
    values = {key: html.escape(text) for key, text in said.items()} | {
        "lang": language, "nonce": nonce, "regions": options, "kinds": kinds, "strings": embedded,
        "language_key": LANGUAGE_KEY,
    }
    return _fill(_FORM, values)


def render_notice(key: str, language: str, nonce: str) -> str:
    """A page that only says something (``KEY.title``, ``KEY.body``): an unknown or revoked link."""
    say = Catalogue(language).t
    values = {"lang": language, "nonce": nonce, "title": html.escape(say(f"{key}.title")),
              "body": html.escape(say(f"{key}.body"))}
    return _fill(_NOTICE, values)
