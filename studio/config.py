"""Station settings from config.toml, checked on load.

Errors name the file and line and say what to do: ``config.toml:12: error:
[station] language: ...``. Unknown keys are refused with the nearest valid one.
A relative path in the file is relative to the file's folder, so a station's
config works whatever folder studio is started from.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from studio.desk.rules import EvidencePolicy
from studio.i18n import Msg
from studio.settings_file import read_settings
from studio.validated import Clock, Strict, Zone

Language = Literal["kk", "ru", "en"]


def _expanded(value: str) -> Path:
    """``~/x`` in the user's home; a ``~name`` of nobody on this machine stays as written."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        return Path(value)


def _beside_the_file(value: str, info: ValidationInfo) -> str:
    """A relative path is taken from the config file's folder (the validation context's ``folder``)."""
    folder = (info.context or {}).get("folder")
    if not value or folder is None or _expanded(value).is_absolute():
        return value
    return str(Path(folder) / value)


def _is(kind: str, value: str) -> bool:
    """Is ``value`` a file (``kind`` "is_file") or a folder ("is_dir")? A name no file system takes is neither."""
    try:
        return bool(getattr(_expanded(value), kind)())
    except (OSError, ValueError):  # too long for a file name, a NUL in it
        return False


def _a_folder(value: str) -> str:
    if value and not _is("is_dir", value):
        raise ValueError(Msg("diag.config.no_folder", path=value))
    return value


def _a_file(value: str) -> str:
    if value and not _is("is_file", value):
        raise ValueError(Msg("diag.config.no_file", path=value))
    return value


FilePath = Annotated[str, AfterValidator(_beside_the_file)]
"""A path in config.toml; "" for the default."""


def _file_or_url(value: str, info: ValidationInfo) -> str:
    from studio.store.location import is_url

    return value if is_url(value) else _beside_the_file(value, info)


StoreLocation = Annotated[str, AfterValidator(_file_or_url)]
"""A store in config.toml: a SQLite file's path (taken as FilePath) or a PostgreSQL URL, kept as written."""
ExistingFile = Annotated[FilePath, AfterValidator(_a_file)]
ExistingFolder = Annotated[FilePath, AfterValidator(_a_folder)]


class Station(Strict):
    zone: Zone = Field(default=ZoneInfo("Asia/Almaty"), description="IANA time zone of local times")
    language: Language = Field(default="kk", description="interface language: kk, ru or en")
    operator: str = Field(default="", description="who signs in unless --operator says otherwise; with sign-in off, empty: the login name")
    turnout_hours: list[Clock] = Field(
        default=[time(h) for h in (10, 12, 14, 16, 18, 20)],
        description="local times at which the commission publishes turnout",
    )


class Show(Strict):
    """The day's show."""

    rundown: ExistingFile = Field(
        default="",
        description="the day's rundown, for commands given none; empty: ./rundowns/referendum-day.toml, "
        "else the sample show (see `studio locate`)",
    )


class StoreSettings(Strict):
    path: StoreLocation = Field(
        default="",
        description="the store: a SQLite file, or a postgresql:// URL without its password (PGPASSWORD or ~/.pgpass "
        "hold it); empty: the user's data folder",
    )
    files: FilePath = Field(
        default="",
        description="a PostgreSQL store's files folder, where what observers attach is kept: one folder every "
        "machine on the store sees (a network mount), else the photos stay on the machine that took them; "
        "$STUDIO_FILES goes first; empty: the user's data folder's postgresql/<host>-<port>-<database>; "
        "a SQLite store keeps its files in its own folder",
    )


class Obs(Strict):
    """Where OBS Studio's WebSocket server (obs-websocket 5) listens. The password never goes in this file."""

    host: str = Field(default="127.0.0.1", min_length=1, description="host name or address of OBS's WebSocket server")
    port: int = Field(
        default=4455, ge=1, le=65535, description="port of OBS's WebSocket server (OBS: Tools > WebSocket Server Settings)"
    )
    password_env: str = Field(
        default="OBS_PASSWORD",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="name of the environment variable that holds the WebSocket password (the name, not the password)",
    )
    timeout: float = Field(
        default=5.0, gt=0, le=60, description="seconds to wait for OBS to answer one request before reconnecting"
    )
    studio_camera: str = Field(
        default="",
        description="the OBS source of the studio camera, which `studio obs setup` puts in the studio scenes; "
        "empty: a placeholder card (the centre's name and «Студия») stands there instead",
    )


class YouTube(Strict):
    """YouTube Live (``studio youtube ...``). The sign-in is kept in its own file (mode 0600), never here."""

    client_secrets: FilePath = Field(
        default="",
        description="the OAuth client JSON downloaded from Google Cloud Console (type: Desktop app); see README",
    )
    token_file: FilePath = Field(
        default="", description="where `studio youtube auth` keeps the sign-in (mode 0600); empty: the user's config folder"
    )
    privacy: Literal["public", "unlisted", "private"] = Field(
        default="unlisted", description="who may watch the broadcast: public, unlisted or private"
    )
    daily_quota: int = Field(
        default=10_000, ge=100, le=10_000_000, description="the Google project's YouTube Data API units per day"
    )
    api_endpoint: str = Field(
        default="", pattern=r"^(https?://\S+/)?$", description="empty: Google; a URL ending in / for a test server"
    )
    token_uri: str = Field(
        default="https://oauth2.googleapis.com/token",
        pattern=r"^https?://\S+$",
        description="Google's OAuth token endpoint, where the sign-in is refreshed; change it only for a test server",
    )


class Graphics(Strict):
    """Broadcast graphics (studio/graphics): the templates, rendered to PNGs OBS shows, and the station's
    location bug."""

    out: FilePath = Field(
        default="", description="folder for the rendered graphics OBS shows; empty: the user's data folder (see `studio locate`)"
    )
    templates: ExistingFolder = Field(
        default="",
        description="folder of the station's own templates (fonts in its fonts/), taken before the shipped ones "
        "of the same name; empty: only the user's data folder and the shipped ones (see `studio locate`)",
    )
    live_word: str = Field(
        default="", max_length=24,
        description="the station's own word for LIVE on the location bug, shown once for both languages; "
        "empty: «ТІКЕЛЕЙ ЭФИР» and «ПРЯМОЙ ЭФИР»",
    )
    bug_clock: bool = Field(
        default=True, description="true: the location bug shows the local time, re-rendered on the minute; false: no clock"
    )


class Desk(Strict):
    """The verification desk's policy on evidence (studio/desk/rules.py EvidencePolicy)."""

    reprint_counts_as_official: bool = Field(
        default=False,
        description="a news site quoting the commission counts as the commission's own word; "
        "false: it is one media source, so a figure needs the commission's own publication or two outlets",
    )

    def evidence_policy(self) -> EvidencePolicy:
        """The policy the desk's rules judge evidence by, for every process that opens the desk."""
        return EvidencePolicy(reprint_counts_as_official=self.reprint_counts_as_official)


Port = Annotated[int, Field(ge=1, le=65535)]
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class Api(Strict):
    """The HTTP control API (``studio serve``). Tokens live in the environment, never here."""

    token_env: EnvName = Field(
        default="STUDIO_API_TOKEN",
        description="name of the environment variable holding the API's bearer token (its name in the log: api)",
    )
    tokens: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")], EnvName] = Field(
        default={},
        description="more tokens by name: name = environment variable holding it; the name is the origin logged (api:NAME)",
    )
    host: str = Field(default="127.0.0.1", min_length=1, description="address to listen on; loopback by default")
    port: Port = Field(default=8765, description="TCP port, 1-65535")


class Prompter(Strict):
    """The presenter's prompter (``studio prompter``), in a terminal or a browser."""

    size: int = Field(default=3, ge=1, le=5, description="starting text size step, 1 (small) to 5 (largest)")
    host: str = Field(default="127.0.0.1", min_length=1, description="address of the browser prompter (--web)")
    port: Port = Field(default=8766, description="TCP port of the browser prompter (--web), 1-65535")


class Intake(Strict):
    """The observers' report intake (``studio intake``): ``POST /reports`` with a per-observer token."""

    host: str = Field(default="127.0.0.1", min_length=1, description="address to listen on; loopback by default")
    port: Port = Field(default=8767, description="TCP port, 1-65535")
    max_body: int = Field(
        default=64 * 1024, ge=1024, le=16 * 1024 * 1024, description="largest request body in bytes, 1024-16777216"
    )
    rate: float = Field(
        default=1.0, gt=0, le=100000, description="reports per second one observer's token may send on average"
    )
    burst: int = Field(
        default=20, ge=1, le=100000, description="reports one token may send at once before the rate applies"
    )
    # form (issue 20 part 2): the phone form's address and photo limit (studio/web/form.py)
    public_url: str = Field(
        default="",
        pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$",
        description="the address observers' phones reach the intake at, e.g. https://report.example.kz; "
        "empty: http://host:port",
    )
    max_photo: int = Field(
        default=10 * 1024 * 1024, ge=64 * 1024, le=64 * 1024 * 1024,
        description="largest photo the phone form takes, in bytes, 65536-67108864",
    )


class Bot(Strict):
    """The observers' Telegram bot (``studio bot``; issue 20 part 1). The token lives in the environment."""

    token_env: EnvName = Field(
        default="STUDIO_BOT_TOKEN",
        description="name of the environment variable holding the bot's token from BotFather (the name, not the token)",
    )
    username: str = Field(
        default="", pattern=r"^$|^[A-Za-z][A-Za-z0-9_]{3,31}$",
        description="the bot's @username without the @, for the links `studio observers add` prints",
    )
    link_hours: float = Field(
        default=72, gt=0, le=24 * 90, description="hours a registration link works before it expires"
    )
    notify_verdicts: bool = Field(
        default=True, description="tell an observer when the desk gives a verdict on their report's group"
    )
    rate: float = Field(default=0.2, gt=0, le=1000, description="reports per second one observer may send on average")
    burst: int = Field(default=10, ge=1, le=10000, description="reports one observer may send at once before the rate applies")
    max_file_mb: int = Field(default=20, ge=1, le=2000, description="largest photo, video or document taken, in MB")
    api_url: str = Field(
        default="https://api.telegram.org/bot", min_length=1,
        description="Bot API address (a local Bot API server, or a test's); the token is appended",
    )
    file_url: str = Field(
        default="https://api.telegram.org/file/bot", min_length=1,
        description="Bot API file address; the token is appended",
    )
    poll_seconds: int = Field(default=25, ge=0, le=50, description="long polling: seconds Telegram may hold a request")
    channel: str = Field(
        default="", pattern=r"^$|^@[A-Za-z][A-Za-z0-9_]{4,31}$|^-?[0-9]{1,20}$",
        description="the centre's Telegram channel that studio social publish --telegram posts to: @username or "
                    "numeric id; the bot must be an administrator of it",
    )


UpService = Literal["intake", "api", "prompter"]
"""The services ``studio up`` knows (studio/up/services.py ``SERVICES``)."""


class Up(Strict):
    """``studio up``: the day's headless services in one supervised process."""

    services: list[UpService] = Field(
        default=[],
        description="the services `studio up` runs: intake, api, prompter; empty: all of them "
        "(the API only once its token is set)",
    )


class Operators(Strict):
    """Who acts: operators sign in with a passphrase (``studio operators add NAME``)."""

    sign_in: bool = Field(
        default=True,
        description="true: the desk, the console, the API and commands act only as a signed-in operator; "
        "false (a rehearsal): names are taken as typed and marked not signed in",
    )


class Config(Strict):
    station: Station = Station()
    show: Show = Show()
    store: StoreSettings = StoreSettings()
    keymap: dict[str, Annotated[str, Field(min_length=1)]] = Field(
        default={}, description="binding id = comma-separated keys, e.g. \"rundown.take_next\" = \"f1,space\""
    )
    obs: Obs = Obs()
    youtube: YouTube = YouTube()
    graphics: Graphics = Graphics()
    api: Api = Api()
    prompter: Prompter = Prompter()
    intake: Intake = Intake()
    bot: Bot = Bot()
    up: Up = Up()
    operators: Operators = Operators()
    desk: Desk = Desk()
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("keymap")
    @classmethod
    def _keys_look_like_keys(cls, keymap: dict[str, str]) -> dict[str, str]:
        for binding, keys in keymap.items():
            if any(not key.strip() for key in keys.split(",")):
                raise ValueError(Msg("diag.config.empty_key", binding=repr(binding), keys=repr(keys)))
        return keymap


def load_config(path: Path | None) -> Config:
    """Read and check the config; with no file, the defaults."""
    if path is None:
        return Config()
    path = Path(path)
    folder = {"folder": path.absolute().parent}
    return read_settings(path, Config, what="config", extra={"source": path}, context=folder)
