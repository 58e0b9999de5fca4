"""Where a store is, as studio is given it and prints it (studio/store/location.py), and where its files go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from studio.machine import short_path
from studio.paths import rehearsal_store_file, store_files
from studio.store.location import has_password, location_of, shown


def test_a_url_is_kept_and_a_path_is_expanded() -> None:
    assert location_of("postgresql://desk@db/studio") == "postgresql://desk@db/studio"
    assert location_of("~/show.db") == Path.home() / "show.db"


def test_the_password_never_leaves_shown() -> None:
    for url in ("postgresql://desk:hunter2@db:5433/studio?sslmode=require&password=hunter3",
                "postgres://desk:hunter2@db/studio?password=hunter3"):
        assert has_password(url)
        assert "hunter" not in shown(url) and "hunter" not in short_path(url, 30)
    assert shown("postgresql://desk:s3@db:5433/studio?sslmode=require&password=x") == (
        "postgresql://desk@db:5433/studio?sslmode=require")
    assert not has_password("postgresql://desk@db/studio") and not has_password(Path("/x:y@z/s.db"))
    assert shown(Path("/srv/studio.db")) == "/srv/studio.db"


def test_a_postgresql_stores_files_are_env_then_config_then_named_by_its_database(monkeypatch, tmp_path) -> None:
    configured = str(tmp_path / "configured")
    assert store_files(tmp_path / "day" / "studio.db", configured) == tmp_path / "day"  # a SQLite store's own
    own = store_files("postgresql://desk@db.example.kz:5433/studio")
    assert own.name == "db.example.kz-5433-studio" and own.parent.name == "postgresql"
    assert store_files("postgresql://desk@db/studio").name == "db-5432-studio"
    assert store_files("postgresql://desk@db/studio", configured) == tmp_path / "configured"
    monkeypatch.setenv("STUDIO_FILES", str(tmp_path / "shared"))
    assert store_files("postgresql://desk@db/studio") == tmp_path / "shared"
    assert store_files("postgresql://desk@db/studio", configured) == tmp_path / "shared"
    # a rehearsal is a SQLite file on this machine, never the shared database nor a shared files folder
    assert rehearsal_store_file("postgresql://desk@db/studio", date(2026, 3, 15)) == (
        own.parent / "db-5432-studio" / "studio.rehearsal-2026-03-15.db")
