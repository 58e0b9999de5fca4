"""Where studio's files live. Every location is decided here and nowhere else."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import platformdirs

APP = "studio"


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
    return [Path.cwd(), platformdirs.user_config_path(APP)]


def store_file(explicit: Path | None, configured: str) -> Path:
    """The store: --store, then $STUDIO_STORE, then config.toml's [store] path, then the user's data dir."""
    if explicit is not None:
        return explicit
    if env := os.environ.get("STUDIO_STORE"):
        return Path(env)
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path(APP) / "studio.db"


def rehearsal_store_file(store: Path, day: date) -> Path:
    """Where a rehearsal on ``day``'s clock keeps its show: beside the show's store, one file a day
    (studio.rehearsal-2026-12-06.db), so a rehearsal never writes the real show's rows."""
    return store.with_name(f"{store.stem}.rehearsal-{day.isoformat()}{store.suffix or '.db'}")


def graphics_dir(configured: str = "") -> Path:
    """Rendered graphics, where OBS's image sources read them: config.toml's [graphics] out, else the user's
    data folder; never the checkout, whose files are the project's, not the day's."""
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path(APP) / "graphics"


def youtube_token_file(configured: str) -> Path:
    """The YouTube sign-in (OAuth token, mode 0600): config.toml's [youtube] token_file, else the user's config dir."""
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_config_path(APP) / "youtube-token.json"
