"""``studio youtube auth|schedule|golive|end|status|chapters``: the handlers studio's CLI calls.

Importing this module imports google-api-python-client: import it inside the
handler, so commands that do not talk to YouTube stay light. Exit status: 0 done;
1 refused at the prompt; 2 a clear error (never a traceback, never a token or key).
Every line is said in ``language`` (catalogue ``youtube.cli.*``). Before an action
asks or does anything, every prerequisite it has is checked (OBS, the sign-in, the
show's broadcast and its stream) and all the missing ones are said together.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Callable, TextIO, TypeVar

from studio.broadcast import LiveStatus, unprepared
from studio.desk.issued_list import local_stamp
from studio.errors import StudioError
from studio.i18n import FALLBACK, Joined, Msg, messages
from studio.rundown.model import Rundown
from studio.show.services import make_broadcaster, youtube_token
from studio.store.show import ShowStore
from studio.youtube.api import SCOPES
from studio.youtube.errors import YouTubeError

AUTH_TIMEOUT = 300  # seconds to wait for the browser's sign-in
STREAMING = ("golive", "end")
"""The actions that drive OBS's stream output and need the show's broadcast."""
T = TypeVar("T")


def auth_command(
    args: argparse.Namespace, config: Any, *, out: TextIO | None = None, language: str = FALLBACK
) -> int:
    import google.auth.exceptions
    from google_auth_oauthlib.flow import InstalledAppFlow, WSGITimeoutError
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error

    out = out or sys.stdout
    secrets = config.youtube.client_secrets
    if not secrets:
        raise YouTubeError("config", Msg("youtube.advice.no_client_secrets"))
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(Path(secrets).expanduser()), scopes=list(SCOPES))
    except (OSError, ValueError) as e:
        raise YouTubeError(
            "config", Msg("youtube.advice.client_secrets_unreadable", path=secrets, detail=type(e).__name__)
        ) from None
    try:
        credentials = flow.run_local_server(
            host="127.0.0.1",
            port=args.port,
            open_browser=not args.no_browser,
            # the flow fills in {url}, which the catalogue leaves in place
            authorization_prompt_message=Msg("youtube.cli.auth_prompt").render(language),
            success_message=Msg("youtube.cli.auth_done_page").render(language),
            timeout_seconds=AUTH_TIMEOUT,
        )
    except WSGITimeoutError:
        raise YouTubeError("auth", Msg("youtube.advice.browser_timeout", minutes=AUTH_TIMEOUT // 60)) from None
    except (OAuth2Error, google.auth.exceptions.GoogleAuthError, OSError) as e:
        # OAuth2Error: the user denied access, or Google refused the code; the text names no secret.
        raise YouTubeError("auth", Msg("youtube.advice.sign_in_failed", detail=type(e).__name__)) from None
    token_file = youtube_token(config)
    token_file.save(credentials)
    print(Msg("youtube.cli.signed_in", path=str(token_file.path)).render(language), file=out)
    return 0


def said(prefix: str, value: str) -> Msg:
    """YouTube's name for a state (``ready``, ``noData``) in the reader's words when the catalogue has them."""
    key = f"{prefix}.{value}"
    return Msg(key) if key in messages(FALLBACK) else Msg("diag.as_is", text=value)


def _stamp(at: datetime | None, zone: tzinfo) -> str:
    return local_stamp(at, zone) if at is not None else "—"


def describe(status: LiveStatus, spent: int, allowance: int, zone: tzinfo) -> list[Msg]:
    """``studio youtube status``: the broadcast, its stream and today's quota; times in ``zone``, labelled."""
    b, s = status.broadcast, status.stream
    if b is None:
        return [Msg("youtube.cli.no_broadcast")]
    lines = [
        Msg("youtube.cli.broadcast", id=b.id, state=said("youtube.state", b.life_cycle),
            privacy=said("youtube.privacy", b.privacy), title=b.title),
        Msg("youtube.cli.watch", url=b.watch_url),
        Msg("youtube.cli.scheduled_at", at=_stamp(b.scheduled_start, zone)),
    ]
    if b.actual_start:
        lines.append(Msg("youtube.cli.went_live_at", at=_stamp(b.actual_start, zone)))
    if b.actual_end:
        lines.append(Msg("youtube.cli.ended_at", at=_stamp(b.actual_end, zone)))
    if s is None:
        lines.append(Msg("youtube.cli.stream_unbound"))
    else:
        receiving = Msg("youtube.receiving", status=said("youtube.stream", s.status),
                        health=said("youtube.health", s.health))
        lines.append(Msg("youtube.cli.stream", id=s.id, receiving=receiving))
        lines.extend(Msg("youtube.cli.issue", issue=issue) for issue in s.issues)
    lines.append(Msg("youtube.cli.quota", spent=spent, allowance=allowance))
    return lines


def _attempt(step: Callable[[], T], missing: list[StudioError]) -> T | None:
    """``step()``, or None with its error (what is wrong and what to do) added to ``missing``."""
    try:
        return step()
    except StudioError as error:
        missing.append(error)
        return None


def _all_of(missing: list[StudioError], action: str) -> StudioError:
    """One error for everything missing: the error itself when it is alone, else the list of what to do."""
    if len(missing) == 1:
        return missing[0]
    items = Joined([Msg("youtube.cli.missing_item", item=error.message) for error in missing], "\n")
    return StudioError(Msg("youtube.cli.not_ready", action=action, missing=items), code="not_ready")


def is_yes(answer: str, language: str) -> bool:
    """y or yes in any language, and the reader's own yes («иә», «да»)."""
    words = {"y", "yes"} | {word.strip() for word in Msg("youtube.cli.yes_words").render(language).split(",")}
    return answer.strip().lower() in words


def youtube_command(
    args: argparse.Namespace,
    config: Any,
    store: ShowStore,
    rundown: Rundown,
    *,
    connect_obs: Callable[[], Any],
    out: TextIO | None = None,
    ask: Callable[[str], str] | None = None,
    language: str = FALLBACK,
) -> int:
    out = out or sys.stdout

    def say(key: str, **params: Any) -> None:
        print(Msg(key, **params).render(language), file=out)

    def confirmed(question: str) -> bool:
        if args.yes:
            return True
        try:
            return is_yes((ask or input)(Msg("youtube.cli.ask", question=Msg(question)).render(language)), language)
        except EOFError:  # no terminal to answer from: the safe answer
            return False

    action = args.youtube_command
    if action == "auth":
        return auth_command(args, config, out=out, language=language)
    missing: list[StudioError] = []
    credentials = _attempt(youtube_token(config).load, missing)
    output = _attempt(connect_obs, missing) if action in STREAMING else None
    if action in STREAMING:
        missing += unprepared(store, rundown.show.id, streaming=action == "golive")
    if missing:
        if output is not None:
            output.close()
        raise _all_of(missing, action)
    if action == "end" and not confirmed("youtube.cli.ask_end"):
        say("youtube.cli.not_ended")
        return 1
    broadcaster, ledger = make_broadcaster(config, store, rundown, output, "cli", credentials=credentials)
    if action == "schedule":
        broadcast = broadcaster.schedule(new=args.new)
        say("youtube.cli.scheduled", id=broadcast.id, state=said("youtube.state", broadcast.life_cycle),
            privacy=said("youtube.privacy", broadcast.privacy), title=broadcast.title)
        say("youtube.cli.watch", url=broadcast.watch_url)
    elif action == "status":
        status = broadcaster.status()
        for line in describe(status, ledger.spent_today(), config.youtube.daily_quota, config.station.zone):
            print(line.render(language), file=out)
    elif action == "golive":
        broadcast = broadcaster.preview(lambda step: say("youtube.cli.step", step=Msg(f"youtube.step.{step}")))
        if broadcast.life_cycle != "live":
            say("youtube.cli.previewing", state=said("youtube.state", broadcast.life_cycle))
            if not confirmed("youtube.cli.ask_live"):
                say("youtube.cli.not_live")
                return 1
            broadcast = broadcaster.go_live()
        say("youtube.cli.live", url=broadcast.watch_url)
    elif action == "end":
        broadcast = broadcaster.end()
        say("youtube.cli.ended", id=broadcast.id, state=said("youtube.state", broadcast.life_cycle))
    elif action == "chapters":
        text = broadcaster.chapters(dry_run=args.dry_run)
        print(text, file=out)
        if not args.dry_run:
            say("youtube.cli.chapters_written")
    return 0
