"""Atomic writes, names derived from content, and the sidecar OBS and the as-run read."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from studio.graphics import Renderer, load_template, render, write
from studio.graphics.output import atomic_write


def test_the_png_is_the_region_and_the_sidecar_records_placement_template_data_and_provenance(
    renderer: Renderer, national
) -> None:
    written = renderer.render("fact-card", {"fact": national.id})
    assert written.png.parent == renderer.out and written.png.name.startswith("fact-card-")
    with Image.open(written.png) as image:
        assert image.size == (1728, 384) and image.mode == "RGBA"
    record = json.loads(written.sidecar.read_text("utf-8"))
    assert record["placement"] == {"x": 96, "y": 612, "width": 1728, "height": 384}
    assert record["canvas"] == {"width": 1920, "height": 1080}
    assert record["template"] == "fact-card" and record["template_version"] == 2
    assert record["data"] == {"fact": national.id}
    assert record["file"] == written.png.name
    [fact] = record["facts"]
    assert fact["id"] == national.id and fact["status"] == "verified" and fact["sources"] == list(national.sources)
    assert fact["as_of"] == "2026-03-15T05:00:00+00:00"
    assert record["text"]["fact.claim_kk"] == national.claim_kk
    assert (written.placement.x, written.placement.y) == (96, 612)


def test_names_follow_content(renderer: Renderer) -> None:
    first = renderer.render("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
    again = renderer.render("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
    other = renderer.render("lower-third", {"name": "Дана Ким", "role": "тілші"})
    assert first.png == again.png and again.reused
    assert other.png != first.png and not other.reused
    assert sorted(p.name for p in renderer.out.iterdir() if p.suffix == ".png") == sorted([first.png.name, other.png.name])


def test_a_changed_template_file_gives_new_names(tmp_path: Path, overlays: Path) -> None:
    folder = tmp_path / "overlays"
    shutil.copytree(overlays, folder, ignore=shutil.ignore_patterns("out"))
    data = {"name": "Дана Ким"}
    before = render(load_template(folder / "lower-third.toml"), data).name
    path = folder / "lower-third.toml"
    path.write_text(path.read_text("utf-8").replace('accent = "#00AFCA"', 'accent = "#FEC50C"'), "utf-8")
    assert render(load_template(path), data).name != before


def test_a_fact_whose_status_or_source_changes_gets_a_new_name(templates, facts, national) -> None:
    from dataclasses import replace

    before = render(templates["fact-card"], {"fact": national.id}, facts).name
    facts.add(replace(national, verifier="Ерлан"))
    assert render(templates["fact-card"], {"fact": national.id}, facts).name != before


def test_no_temporary_file_is_left_behind_and_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "x.png"
    real = os.replace

    def full_disk(source, destination) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        atomic_write(target, b"half")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(os, "replace", real)
    atomic_write(target, b"whole")
    assert target.read_bytes() == b"whole" and [p.name for p in tmp_path.iterdir()] == ["x.png"]


def test_the_png_is_replaced_atomically(templates, tmp_path: Path, monkeypatch) -> None:
    """The final name only ever appears through os.replace from a temporary file in the same folder."""
    calls: list[tuple[Path, Path]] = []
    real = os.replace

    def spy(source, target) -> None:
        calls.append((Path(source), Path(target)))
        assert not Path(target).exists() or Path(target).suffix in (".png", ".json")
        real(source, target)

    monkeypatch.setattr(os, "replace", spy)
    written = write(render(templates["lower-third"], {"name": "Дана Ким"}), tmp_path)
    assert [t for _, t in calls] == [written.sidecar, written.png]  # the record first, then the image
    assert all(s.parent == t.parent and s.name.startswith(f".{t.name}.") for s, t in calls)


def test_write_to_an_explicit_path(templates, tmp_path: Path) -> None:
    written = write(render(templates["slate"], {}), path=tmp_path / "deep" / "slate.png")
    assert written.png == tmp_path / "deep" / "slate.png" and written.sidecar == tmp_path / "deep" / "slate.json"
    with Image.open(written.png) as image:
        assert image.size == (1920, 1080)


def test_png_rows_are_unfiltered_at_the_fastest_zlib_level_and_decode_to_the_same_pixels(
    templates, tmp_path: Path
) -> None:
    import struct
    import zlib

    rendered = render(templates["lower-third"], {"name": "Дана Ким", "role": "корреспондент"})
    data = write(rendered, tmp_path).png.read_bytes()
    start = data.index(b"IDAT")
    length = struct.unpack(">I", data[start - 4:start])[0]
    body = data[start + 4:start + 4 + length]
    assert body[0] & 0x0F == 8 and (body[1] >> 6) == 0  # zlib FLEVEL 0: the fastest compression
    rows = zlib.decompress(body)
    stride = 1 + 4 * rendered.image.width
    assert {rows[top] for top in range(0, len(rows), stride)} == {0}  # filter type 0 on every row
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGBA" and image.tobytes() == rendered.image.tobytes()


def test_the_same_data_gives_the_same_bytes_in_a_fresh_process(templates, tmp_path: Path) -> None:
    """Content-derived names promise that an unchanged graphic is the same file, to the byte."""
    from studio.graphics.fonts import clear_caches

    data = {"name": "Айгерім Сәрсенбаева", "role": "бақылаушылар желісінің үйлестірушісі"}
    first = write(render(templates["lower-third"], data), tmp_path / "a")
    clear_caches()  # as after a restart: every glyph rasterised again
    again = write(render(templates["lower-third"], data), tmp_path / "b")
    assert first.png.name == again.png.name
    assert first.png.read_bytes() == again.png.read_bytes()
    assert first.sidecar.read_bytes() == again.sidecar.read_bytes()


def test_rendering_from_several_threads_at_once_gives_the_same_pixels(templates) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from studio.graphics.fonts import clear_caches

    names = ["Айгерім Сәрсенбаева", "Тимур Ахметов", "Дана Ким", "Нұржан Омаров"] * 6
    expected = {name: render(templates["lower-third"], {"name": name}).image.tobytes() for name in set(names)}
    clear_caches()
    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(lambda n: render(templates["lower-third"], {"name": n}).image.tobytes(), names))
    assert all(image == expected[name] for name, image in zip(names, images))
