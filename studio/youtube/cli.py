"""``studio youtube auth|schedule|golive|end|status|chapters``: the handlers studio's CLI calls.

Importing this module imports google-api-python-client: import it inside the
handler, so commands that do not talk to YouTube stay light. Exit status: 0 done;
1 refused at the prompt; 2 a clear error (never a traceback, never a token or key).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable, TextIO

from studio.broadcast import Broadcaster, LiveStatus
from studio.machine import default_operator, utc_now
from studio.paths import youtube_token_file
from studio.rundown.model import Rundown
from studio.store.show import ShowStore
from studio.store.youtube import YouTubeStore
from studio.youtube.api import SCOPES, TokenFile, YouTubeApi
from studio.youtube.errors import YouTubeError
from studio.youtube.live import YouTube
from studio.youtube.quota import StoreLedger


AUTH_TIMEOUT = 300  # seconds to wait for the browser's sign-in


def make_broadcaster(
    config: Any, store: ShowStore, rundown: Rundown, output: Any, origin: str, *, operator: str | None = None
) -> tuple[Broadcaster, StoreLedger]:
    """The go-live controller over the signed-in account, and the store's quota ledger it charges;
    its events name ``operator`` (default: [station] operator, else the login name)."""
    token_file = TokenFile(youtube_token_file(config.youtube.token_file), config.youtube.token_uri)
    ledger = StoreLedger(YouTubeStore(store.db), utc_now)
    api = YouTubeApi(
        token_file.load(), ledger, endpoint=config.youtube.api_endpoint or None, token_file=token_file
    )
    broadcaster = Broadcaster(
        YouTube(api),
        store,
        rundown,
        output=output,
        privacy=config.youtube.privacy,
        language=config.station.language,
        operator=operator or config.station.operator or default_operator(),
        origin=origin,
        clock=utc_now,
    )
    return broadcaster, ledger


def auth_command(args: argparse.Namespace, config: Any, *, out: TextIO | None = None) -> int:
    import google.auth.exceptions
    from google_auth_oauthlib.flow import InstalledAppFlow, WSGITimeoutError
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error

    out = out or sys.stdout
    secrets = config.youtube.client_secrets
    if not secrets:
        raise YouTubeError(
            "config", "config.toml [youtube] client_secrets is empty: name the OAuth client JSON (see README, YouTube set-up)"
        )
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(Path(secrets).expanduser()), scopes=list(SCOPES))
    except (OSError, ValueError) as e:
        raise YouTubeError(
            "config", f"cannot read the OAuth client file {secrets} ({type(e).__name__}): download it again (README)"
        ) from None
    try:
        credentials = flow.run_local_server(
            host="127.0.0.1",
            port=args.port,
            open_browser=not args.no_browser,
            authorization_prompt_message="Sign in with the channel's Google account at:\n{url}\n",
            success_message="studio is signed in to YouTube; you may close this tab.",
            timeout_seconds=AUTH_TIMEOUT,
        )
    except WSGITimeoutError:
        raise YouTubeError(
            "auth", f"no answer from the browser within {AUTH_TIMEOUT // 60} minutes; run `studio youtube auth` again"
        ) from None
    except (OAuth2Error, google.auth.exceptions.GoogleAuthError, OSError) as e:
        # OAuth2Error: the user denied access, or Google refused the code; the text names no secret.
        raise YouTubeError("auth", f"the sign-in did not complete ({type(e).__name__}); run `studio youtube auth` again") from None
    token_file = TokenFile(youtube_token_file(config.youtube.token_file))
    token_file.save(credentials)
    print(f"signed in; the token is kept in {token_file.path} (readable by you only)", file=out)
    return 0


def describe(status: LiveStatus, spent: int, allowance: int) -> list[str]:
    b, s = status.broadcast, status.stream
    if b is None:
        return ["broadcast: none scheduled for this show (run `studio youtube schedule`)"]
    lines = [
        f"broadcast: {b.id} {b.life_cycle} ({b.privacy}) {b.title}",
        f"watch: {b.watch_url}",
        f"scheduled: {b.scheduled_start:%Y-%m-%d %H:%M} UTC" if b.scheduled_start else "scheduled: -",
    ]
    if b.actual_start:
        lines.append(f"went live: {b.actual_start:%Y-%m-%d %H:%M:%S} UTC")
    if b.actual_end:
        lines.append(f"ended: {b.actual_end:%Y-%m-%d %H:%M:%S} UTC")
    if s is None:
        lines.append("stream: not bound")
    else:
        lines.append(f"stream: {s.id} {s.status}, health {s.health}")
        lines.extend(f"  issue: {issue}" for issue in s.issues)
    lines.append(f"quota: {spent} of {allowance} units spent today (Pacific day)")
    return lines


def youtube_command(
    args: argparse.Namespace,
    config: Any,
    store: ShowStore,
    rundown: Rundown,
    *,
    connect_obs: Callable[[], Any],
    out: TextIO | None = None,
    ask: Callable[[str], str] | None = None,
) -> int:
    out = out or sys.stdout

    def confirmed(question: str) -> bool:
        if args.yes:
            return True
        try:
            return (ask or input)(f"{question} [y/N] ").strip().lower() in ("y", "yes")
        except EOFError:  # no terminal to answer from: the safe answer
            return False

    action = args.youtube_command
    if action == "auth":
        return auth_command(args, config, out=out)
    if action == "end" and not confirmed("End the broadcast for viewers now?"):
        print("not ended", file=out)
        return 1
    output = connect_obs() if action in ("golive", "end") else None
    broadcaster, ledger = make_broadcaster(config, store, rundown, output, "cli")
    if action == "schedule":
        broadcast = broadcaster.schedule(new=args.new)
        print(f"scheduled: {broadcast.id} {broadcast.life_cycle} ({broadcast.privacy}) {broadcast.title}", file=out)
        print(f"watch: {broadcast.watch_url}", file=out)
    elif action == "status":
        for line in describe(broadcaster.status(), ledger.spent_today(), config.youtube.daily_quota):
            print(line, file=out)
    elif action == "golive":
        broadcast = broadcaster.preview(lambda step: print(f"... {step}", file=out))
        if broadcast.life_cycle != "live":
            print(f"YouTube receives the stream; the broadcast is {broadcast.life_cycle} (viewers see nothing yet).", file=out)
            if not confirmed("Go live for viewers now?"):
                print("not live: run `studio youtube golive` again when ready", file=out)
                return 1
            broadcast = broadcaster.go_live()
        print(f"LIVE: {broadcast.watch_url}", file=out)
    elif action == "end":
        broadcast = broadcaster.end()
        print(f"ended: {broadcast.id} {broadcast.life_cycle}", file=out)
    elif action == "chapters":
        text = broadcaster.chapters(dry_run=args.dry_run)
        print(text, file=out)
        if not args.dry_run:
            print("chapters written to the video's description", file=out)
    return 0
