"""Where studio's files live. Every location is decided here and nowhere else (`studio locate` prints them).

What studio ships (the graphic templates and their fonts, the sample show with its clip and the real
figures of 15 March 2026) is package data, found through ``importlib.resources``: the same from a
checkout, a virtualenv or pipx, whatever the current folder. A station's own files are named in its
config.toml (relative paths there are relative to the file) or kept in the user's folders (XDG).
"""

from __future__ import annotations

import os
from importlib import resources
from datetime import date
from pathlib import Path

import platformdirs

from studio.errors import UsageError
from studio.i18n import Msg

APP = "studio"
SAMPLE_RUNDOWN_NAME = "referendum-day.toml"
CHECKOUT_RUNDOWN = Path("rundowns") / SAMPLE_RUNDOWN_NAME
"""The rundown a working folder laid out like the old checkout keeps: used when a command names none."""


def shipped(*parts: str) -> Path:
    """A file or folder studio ships. pip and pipx install packages unzipped, so this is a real path that
    OBS, Pillow and SQLite can open."""
    return Path(str(resources.files("studio").joinpath(*parts)))


def sample_rundown() -> Path:
    """The sample show: referendum day, 15 March 2026."""
    return shipped("sample", SAMPLE_RUNDOWN_NAME)


def sample_data() -> Path:
    """The real figures of 15 March 2026 with their sources (`studio demo-data` reads them)."""
    return shipped("sample", "referendum-2026")


def template_folders(configured: str = "") -> list[Path]:
    """Where graphic templates are looked for, in order; a template is taken from the first folder that
    has it, so a station's file replaces the shipped one of the same name: $STUDIO_OVERLAYS, config.toml's
    [graphics] templates, the user's data folder's overlays/, the shipped templates."""
    folders = [Path(env)] if (env := os.environ.get("STUDIO_OVERLAYS")) else []
    if configured:
        folders.append(Path(configured).expanduser())
    return folders + [platformdirs.user_data_path(APP) / "overlays", shipped("overlays")]


def default_rundown(configured: str = "") -> tuple[Path, str]:
    """The rundown of a command given none, and why it is that one (``config``, ``folder``, ``sample``):
    config.toml's [show] rundown, else ./rundowns/referendum-day.toml, else the sample show."""
    if configured:
        return Path(configured).expanduser(), "config"
    if CHECKOUT_RUNDOWN.is_file():
        return CHECKOUT_RUNDOWN, "folder"
    return sample_rundown(), "sample"


def config_file(explicit: Path | None = None) -> Path | None:
    """The config file to read: --config, then $STUDIO_CONFIG, then ./config.toml, then the user's."""
    if explicit is not None:
        return explicit
    if env := os.environ.get("STUDIO_CONFIG"):
        return Path(env)
    for candidate in search_directories():
        if (candidate / "config.toml").is_file():
            return candidate / "config.toml"
    return None


def search_directories() -> list[Path]:
    """Where config.toml is looked for when neither --config nor $STUDIO_CONFIG names one."""
    return [Path.cwd(), platformdirs.user_config_path(APP)]


def store_file(explicit: str | Path | None, configured: str) -> Path | str:
    """The store: --store, then $STUDIO_STORE, then config.toml's [store] path, then the user's data dir.
    A path is a SQLite file, a ``postgresql://`` URL a PostgreSQL database. A URL carrying a password is
    refused: a command line shows in ``ps`` and a config file is copied around, so the password comes from
    PGPASSWORD or ~/.pgpass, which libpq reads itself."""
    from studio.store.location import has_password, location_of, shown

    if explicit is not None:
        chosen = location_of(explicit)
    elif env := os.environ.get("STUDIO_STORE"):
        chosen = location_of(env)
    elif configured:
        chosen = location_of(configured)
    else:
        return platformdirs.user_data_path(APP) / "studio.db"
    if has_password(chosen):
        raise UsageError(Msg("store.error.password_in_url", url=shown(chosen)))
    return chosen


def store_files(store: Path | str, configured: str = "") -> Path:
    """The folder where the store keeps its files (what observers attach, in its media/ folder): a SQLite
    store's own folder, so the file moves with them; for a PostgreSQL store $STUDIO_FILES, then config.toml's
    [store] files (``configured``), else the user's data folder's postgresql/<host>-<port>-<database>/. The
    database keeps the reports, not the photos: machines that share one store share its photos only through
    one folder they all see (a network mount) named here on each."""
    from studio.store.location import is_url

    if not is_url(store):
        return Path(store).parent
    if env := os.environ.get("STUDIO_FILES"):
        return Path(env).expanduser()
    if configured:
        return Path(configured).expanduser()
    return _machine_folder(str(store))


def _machine_folder(url: str) -> Path:
    """This machine's own folder for a PostgreSQL store."""
    from studio.store.location import database_name

    return platformdirs.user_data_path(APP) / "postgresql" / database_name(url)


def rehearsal_store_file(store: Path | str, day: date) -> Path:
    """Where a rehearsal on ``day``'s clock keeps its show: beside the show's store, one file a day
    (studio.rehearsal-2026-12-06.db), so a rehearsal never writes the real show's rows. A PostgreSQL show's
    rehearsal is a SQLite file on this machine (the user's data folder's postgresql/<host>-<port>-<database>/),
    never the real show's database, and never a files folder other machines share (SQLite on a network mount)."""
    from studio.store.location import is_url

    if is_url(store):
        return _machine_folder(str(store)) / f"studio.rehearsal-{day.isoformat()}.db"
    return store.with_name(f"{store.stem}.rehearsal-{day.isoformat()}{store.suffix or '.db'}")


def graphics_dir(configured: str = "") -> Path:
    """Rendered graphics, where OBS's image sources read them: config.toml's [graphics] out, else the user's
    data folder; never the checkout, whose files are the project's, not the day's."""
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path(APP) / "graphics"


def social_dir() -> Path:
    """The social cards' folder (``studio social``, ``studio social publish``): the user's data folder's
    social/, one folder per show and hour inside (studio/social/sidecar.py)."""
    return platformdirs.user_data_path(APP) / "social"


def youtube_token_file(configured: str) -> Path:
    """The YouTube sign-in (OAuth token, mode 0600): config.toml's [youtube] token_file, else the user's config dir."""
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_config_path(APP) / "youtube-token.json"


def rehearsal_files(show_id: str, stamp: str) -> Path:
    """Where one rehearsal keeps its own files, in the user's data folder beside (never in) the real store:
    ``rehearsal-<show>-<stamp>.db`` is its store, with ``.json`` and ``.html`` its report, and a folder of the
    same name its graphics and the figures it fed in. Returned without a suffix."""
    return platformdirs.user_data_path(APP) / f"rehearsal-{show_id}-{stamp}"
