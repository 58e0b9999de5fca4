"""The turnout of the day as frames: one PNG per release hour, for OBS's image slideshow, and a video.

``studio render turnout-map --frames DIR [--video]`` renders the map (any template with a turnout field)
for each of the station's turnout hours (``[station] turnout_hours``: 10:00 ... 20:00) through the same
gate as on air, into ``DIR/01-1000.png``, ``02-1200.png`` ... with a sidecar JSON each (the facts shown).
An hour the gate refuses (no verified national figure yet) has no frame: it is named on stderr, and the
frames after it keep their hour in their names. Frames of an earlier run are removed first, so a frame
the gate would now refuse (a figure retracted since) never lingers in the slideshow. With ``--video``,
ffmpeg joins the frames into ``DIR/turnout-map.mp4`` (H.264, ``SECONDS_PER_FRAME`` each).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, Sequence, TextIO

from studio.canvas import Size
from studio.diagnostics import DiagnosticsError
from studio.errors import report
from studio.graphics.errors import FactRefused, GraphicsError
from studio.graphics import Folders
from studio.graphics.cli import load_for_command
from studio.graphics.gate import FactSource
from studio.graphics.output import write
from studio.graphics.render import render
from studio.graphics.template import Template
from studio.i18n import Msg

SECONDS_PER_FRAME = 2
FRAME = re.compile(r"^\d{2}-\d{4}\.(png|json)$")
VIDEO = "turnout-map.mp4"
FFMPEG_SECONDS = 120


@dataclass(frozen=True)
class Frames:
    written: tuple[Path, ...]  # the PNGs, in hour order
    refused: tuple[tuple[time, FactRefused], ...]  # hours with no frame, and why


def turnout_field(template: Template) -> str:
    names = [name for name, spec in template.fields.items() if spec.type == "turnout"]
    if len(names) != 1:
        raise GraphicsError(template.name, Msg("diag.map.frames_no_hour"), Msg("diag.map.hint.frames_no_hour"))
    return names[0]


def render_frames(
    template: Template, hours: Sequence[time], facts: FactSource | None, folder: Path, data: dict[str, Any],
    *, canvas: Size | None = None,
) -> Frames:
    """Render ``template`` for each hour into ``folder``, numbered in hour order; earlier frames removed."""
    field = turnout_field(template)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if FRAME.match(old.name) or old.name == VIDEO:
            old.unlink()
    written: list[Path] = []
    refused: list[tuple[time, FactRefused]] = []
    for hour in sorted(hours):
        try:
            rendered = render(template, data | {field: f"{hour:%H:%M}"}, facts, canvas=canvas)
        except FactRefused as refusal:
            refused.append((hour, refusal))
            continue
        written.append(write(rendered, path=folder / f"{len(written) + 1:02d}-{hour:%H%M}.png").png)
    return Frames(tuple(written), tuple(refused))


def frames_video(frames: Sequence[Path], folder: Path, seconds: int = SECONDS_PER_FRAME) -> Path:
    """Join ``frames`` into ``folder/turnout-map.mp4`` with ffmpeg; GraphicsError if it cannot."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise GraphicsError(VIDEO, Msg("diag.map.no_ffmpeg"), Msg("diag.map.hint.no_ffmpeg"))
    if not frames:
        raise GraphicsError(VIDEO, Msg("diag.map.no_frames"), Msg("diag.map.hint.no_frames"))
    listing = folder / ".frames.txt"  # ffmpeg's concat list: each frame shown ``seconds``, the last one too
    lines = [f"file '{frame.name}'\nduration {seconds}" for frame in frames] + [f"file '{frames[-1].name}'"]
    listing.write_text("\n".join(lines) + "\n", "utf-8")
    target, temp = folder / VIDEO, folder / f".{VIDEO}.tmp.mp4"
    command = [ffmpeg, "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", str(listing),
               "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2,fps=25,format=yuv420p", "-c:v", "libx264", str(temp)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=FFMPEG_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        temp.unlink(missing_ok=True)
        raise GraphicsError(VIDEO, Msg("diag.map.ffmpeg_failed", detail=f"> {FFMPEG_SECONDS} s"),
                            Msg("diag.map.hint.ffmpeg_failed")) from None
    finally:
        listing.unlink(missing_ok=True)
    if done.returncode != 0:
        temp.unlink(missing_ok=True)
        detail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise GraphicsError(VIDEO, Msg("diag.map.ffmpeg_failed", detail=detail), Msg("diag.map.hint.ffmpeg_failed"))
    temp.replace(target)
    return target


def frames_command(
    template: str, data_path: Path | None, overlays: Folders | None, hours: Sequence[time], facts: FactSource | None,
    folder: Path, *, video: bool, language: str, canvas: Size | None = None, stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Write the frames (and the video); say what was written and which hours were refused. Exit 0, or 2
    when the template or data is wrong, no frame could be made or the video failed."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        loaded, data = load_for_command(template, data_path, overlays)
        frames = render_frames(loaded, hours, facts, folder, data, canvas=canvas)
        for hour, refusal in frames.refused:
            said = Msg("cli.render.frame_refused", hour=f"{hour:%H:%M}", reason=refusal.render(language))
            print(said.render(language), file=stderr)
        if not frames.written:
            raise GraphicsError(loaded.name, Msg("diag.map.no_frames"), Msg("diag.map.hint.no_frames"))
        said = Msg("cli.render.frames_wrote", count=len(frames.written), folder=str(folder))
        print(said.render(language), file=stdout)
        if video:
            movie = frames_video(frames.written, folder)
            print(Msg("cli.render.video_wrote", path=str(movie), seconds=SECONDS_PER_FRAME).render(language),
                  file=stdout)
    except DiagnosticsError as error:
        print(error.render(language), file=stderr)
        return 2
    except GraphicsError as error:
        return report(error, language, stderr)
    return 0
