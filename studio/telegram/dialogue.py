"""The bot's conversation with one observer, as a pure function: (state, what came) -> (state, replies, report).

No Telegram types and no I/O here: studio/telegram/bot.py turns an update into
an ``Incoming`` (a media file already saved, its path given) and sends the
``Reply`` objects. The state is a JSON-ready dict the store keeps per account
(studio/store/telegram.py): ``lang`` (kk or ru), ``home_region`` and
``home_station`` (registered with /home: the guided report then skips them),
``last_region``, ``step`` and ``draft``.

A guided report: region (buttons), station (typed, or "no station"), kind
(buttons), text, then photos, videos, documents and a location if the
observer wants, and Send. A message outside a conversation is a report on its
own (kind ``other``, "needs details"), in the home or last region; with none
known, the region is asked first. The report is the intake's body
(studio/desk/report_body.py), checked and stored by the intake's own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from studio.desk.importer import BadValue, FieldRules
from studio.desk.mapping import Mapping
from studio.i18n import Catalogue, Msg
from studio.regions import regions

CHANNEL = "telegram"
LANGUAGES = ("kk", "ru")
KINDS = ("turnout", "violation", "incident", "protocol", "other")
"""The kind buttons, in order (``protocol``: a station's result protocol)."""
FREE_KIND = "other"

_RULES = FieldRules(Mapping(channel=CHANNEL))

Button = tuple[str, str]  # (label, callback data)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing an observer did. ``what``: command (``name``, ``text`` its argument), text, button (``name``:
    its data), media (``path`` saved, ``text`` its caption), location (``text``: the geo URI)."""

    what: Literal["command", "text", "button", "media", "location"]
    name: str = ""
    text: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(slots=True)
class Turn:
    state: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    report: dict[str, Any] | None = None  # a ReportBody to store; the bot answers with its id


def language_of(code: str | None) -> str:
    """The first language of a new account: Kazakh when Telegram says so, else Russian (it can switch)."""
    return "kk" if (code or "").lower().startswith("kk") else "ru"


def new_state(language: str) -> dict[str, Any]:
    return {"lang": language, "step": None, "draft": {}}


def _say(state: dict[str, Any], key: str, /, **params: Any) -> str:
    return Catalogue(state.get("lang", "ru")).t(key, **params)


def _rows(pairs: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(pairs[n : n + per_row]) for n in range(0, len(pairs), per_row))


def _region_buttons(state: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    language = state.get("lang", "ru")
    pairs = [(region.name(language), f"region:{region.id}") for region in regions().values()]
    return _rows(pairs + [(_say(state, "bot.button.cancel"), "cancel")], 2)


def _kind_buttons(state: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    pairs = [(_say(state, f"bot.kind.{kind}"), f"kind:{kind}") for kind in KINDS]
    return _rows(pairs + [(_say(state, "bot.button.cancel"), "cancel")], 2)


def _station_buttons(state: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    return (((_say(state, "bot.button.no_station"), "station:none"), (_say(state, "bot.button.cancel"), "cancel")),)


def _send_buttons(state: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    return (((_say(state, "bot.button.send"), "send"), (_say(state, "bot.button.cancel"), "cancel")),)


def language_buttons() -> tuple[tuple[Button, ...], ...]:
    return ((("Қазақша", "lang:kk"), ("Русский", "lang:ru")),)


def menu(state: dict[str, Any]) -> Reply:
    """What the observer can do now."""
    return Reply(
        _say(state, "bot.menu"),
        (((_say(state, "bot.button.report"), "report"), (_say(state, "bot.button.home"), "home")),),
    )


def step(state: dict[str, Any], came: Incoming) -> Turn:
    """The next state, what to answer, and the report to store if this completed one."""
    state = {**state, "draft": dict(state.get("draft") or {})}
    if (came.what == "command" and came.name == "cancel") or (came.what == "button" and came.name == "cancel"):
        state["step"], state["draft"] = None, {}
        return Turn(state, [Reply(_say(state, "bot.cancelled")), menu(state)])
    if came.what == "command":
        return _command(state, came)
    if came.what == "button" and came.name.startswith("lang:"):
        state["lang"] = came.name.removeprefix("lang:") if came.name[5:] in LANGUAGES else state.get("lang", "ru")
        if state.get("step") == "language":
            state["step"] = None
        return Turn(state, [Reply(_say(state, "bot.language_set")), menu(state)])
    handler = _STEPS.get(state.get("step") or "idle", _idle)
    return handler(state, came)


def _command(state: dict[str, Any], came: Incoming) -> Turn:
    if came.name == "lang":
        state["step"] = "language"
        return Turn(state, [Reply(_say(state, "bot.ask.language"), language_buttons())])
    if came.name in ("report", "new"):
        return _begin(state, {})
    if came.name == "home":
        state["step"], state["draft"] = "home_region", {}
        return Turn(state, [Reply(_say(state, "bot.ask.home_region"), _region_buttons(state))])
    return Turn(state, [Reply(_say(state, "bot.help")), menu(state)])


def _begin(state: dict[str, Any], draft: dict[str, Any]) -> Turn:
    """A guided report: the registered region and station are taken, the rest asked."""
    if "region" not in draft and state.get("home_region"):
        draft = {**draft, "region": state["home_region"], "station": state.get("home_station")}
    state["draft"] = draft
    if "region" not in draft:
        state["step"] = "region"
        return Turn(state, [Reply(_say(state, "bot.ask.region"), _region_buttons(state))])
    if "station" not in draft:
        state["step"] = "station"
        return Turn(state, [Reply(_say(state, "bot.ask.station"), _station_buttons(state))])
    state["step"] = "kind"
    return Turn(state, [Reply(_say(state, "bot.ask.kind"), _kind_buttons(state))])


def _idle(state: dict[str, Any], came: Incoming) -> Turn:
    if came.what == "button" and came.name == "report":
        return _begin(state, {})
    if came.what == "button" and came.name == "home":
        return _command(state, Incoming("command", "home"))
    if came.what in ("text", "media", "location"):  # a message on its own: a report needing details
        draft = _attached({"kind": FREE_KIND, "free": True}, came)
        if came.what == "text" or came.text:
            draft["text"] = came.text
            return _free(state, draft)
        state["draft"], state["step"] = draft, "text"
        return Turn(state, [Reply(_say(state, "bot.ask.text"), _send_buttons(state))])
    return Turn(state, [menu(state)])


def _free(state: dict[str, Any], draft: dict[str, Any]) -> Turn:
    region = state.get("home_region") or state.get("last_region")
    if region is None:
        state["draft"], state["step"] = draft, "region"
        return Turn(state, [Reply(_say(state, "bot.ask.region_free"), _region_buttons(state))])
    station = state.get("home_station") if region == state.get("home_region") else None
    return _report(state, {**draft, "region": region, "station": draft.get("station", station)})


def _attached(draft: dict[str, Any], came: Incoming) -> dict[str, Any]:
    if came.what == "media":
        draft["attachments"] = [*draft.get("attachments", []), came.path]
    elif came.what == "location":
        draft["location"] = came.text
    return draft


def _region(state: dict[str, Any], came: Incoming) -> Turn:
    region = came.name.removeprefix("region:") if came.what == "button" else ""
    if region not in regions():
        return Turn(state, [Reply(_say(state, "bot.ask.region"), _region_buttons(state))])
    if state["step"] == "home_region":
        state["draft"], state["step"] = {"region": region}, "home_station"
        return Turn(state, [Reply(_say(state, "bot.ask.station"), _station_buttons(state))])
    draft = {**state["draft"], "region": region}
    if draft.get("free"):
        return _report(state, {**draft, "station": draft.get("station")})
    return _begin(state, draft)


def _station(state: dict[str, Any], came: Incoming) -> Turn:
    if came.what == "button" and came.name == "station:none":
        number = None
    elif came.what == "text":
        try:
            number = _RULES.station(came.text)  # the import's own rule: "154", "№154", "УИК 154"
        except BadValue as bad:
            reason = bad.reason
            said = reason.render(state.get("lang", "ru")) if isinstance(reason, Msg) else str(reason)
            return Turn(state, [Reply(_say(state, "bot.bad_station", reason=said), _station_buttons(state))])
    else:
        return Turn(state, [Reply(_say(state, "bot.ask.station"), _station_buttons(state))])
    if state["step"] == "home_station":
        state["home_region"], state["home_station"] = state["draft"]["region"], number
        state["step"], state["draft"] = None, {}
        return Turn(state, [Reply(_say(state, "bot.home_set")), menu(state)])
    return _begin(state, {**state["draft"], "station": number})


def _kind(state: dict[str, Any], came: Incoming) -> Turn:
    kind = came.name.removeprefix("kind:") if came.what == "button" else ""
    if kind not in KINDS:
        return Turn(state, [Reply(_say(state, "bot.ask.kind"), _kind_buttons(state))])
    state["draft"], state["step"] = {**state["draft"], "kind": kind}, "text"
    return Turn(state, [Reply(_say(state, "bot.ask.text"))])


def _text(state: dict[str, Any], came: Incoming) -> Turn:
    draft = _attached(state["draft"], came)
    if came.what == "button" and came.name == "send" and draft.get("text"):
        return _report(state, draft)
    if came.text and came.what in ("text", "media"):
        draft["text"] = f"{draft['text']}\n{came.text}" if draft.get("text") else came.text
    if draft.get("free") and draft.get("text"):
        return _free(state, draft)
    state["draft"] = draft
    if not draft.get("text"):
        return Turn(state, [Reply(_say(state, "bot.ask.text"))])
    state["step"] = "attach"
    key = "bot.attached" if came.what in ("media", "location") else "bot.ask.attach"
    return Turn(state, [Reply(_say(state, key, count=len(draft.get("attachments", []))), _send_buttons(state))])


def _report(state: dict[str, Any], draft: dict[str, Any]) -> Turn:
    attachments = [*draft.get("attachments", []), *([draft["location"]] if draft.get("location") else [])]
    body: dict[str, Any] = {
        "region": draft["region"], "kind": draft["kind"], "text": draft["text"], "channel": CHANNEL,
    }
    if draft.get("station") is not None:
        body["station"] = draft["station"]
    if attachments:
        body["attachments"] = attachments
    state["last_region"] = draft["region"]
    state["step"] = "sending"  # until the store answers: the bot then clears the draft, or keeps it to resend
    state["draft"] = draft
    return Turn(state, [], body)


_STEPS = {
    "idle": _idle,
    "language": _idle,
    "region": _region,
    "home_region": _region,
    "station": _station,
    "home_station": _station,
    "kind": _kind,
    "text": _text,
    "attach": _text,
    "sending": _text,
}


def stored(state: dict[str, Any]) -> dict[str, Any]:
    """The state once the draft's report is in the store."""
    return {**state, "step": None, "draft": {}}


def held(state: dict[str, Any]) -> dict[str, Any]:
    """The state when the store did not take the report (rate, refusal): the draft waits for Send again."""
    return {**state, "step": "attach"}


def needs_details(body: dict[str, Any]) -> bool:
    return body.get("kind") == FREE_KIND
