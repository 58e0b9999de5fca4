"""What observers attached to the open item's reports, at the desk: each file's path, a location's coordinates,
a photo's picture in half blocks (the graphics panel's technique, studio/tui/widgets/graphics/picture.py), and
``i`` to open a file in the system viewer.

Looking at the files never runs on the event loop: one thread worker per change of the open item stats each
file and draws each photo (Pillow, imported there), and posts what it found; pictures are kept by path (a
stored file is named by its content, so it never changes under its name), a file found missing or unreadable
is looked at again when the item is opened anew. Opening runs the viewer (``xdg-open``, ``open`` on macOS) on
a worker too; a missing file or viewer is a notification that says where the file is.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from studio.desk.ids import report_label
from studio.desk.media import PHOTOS, located, location
from studio.desk.model import Report
from studio.errors import Kind, StudioError
from studio.i18n import Msg, catalogue, t
from studio.machine import short_path
from studio.tui import bindings
from studio.tui.widgets.graphics.panel import fit
from studio.tui.widgets.text import Readout

PREVIEW = (32, 8)
"""The largest picture of a photo, in cells and rows; a photo keeps its shape within it."""
PHOTO_SUFFIXES = frozenset(f".{kind.extension}" for kind in PHOTOS) | {".jpeg"}
KEPT = 256
"""Files' looks kept at most (a picture is about 10 kB)."""
VIEWER_WAIT = 5.0
"""Seconds the viewer's launcher is given to say it failed; one still running then is opening the file."""

Opener = Callable[[Path], None]
"""Opens a file in the system viewer; raises ViewerError when it cannot."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """One thing a report carries: a file (``path``, resolved beside the store) or a location (``where``)."""

    report_id: int
    stored: str  # as the report names it
    path: Path | None
    where: tuple[float, float, float | None] | None = None

    @property
    def photo(self) -> bool:
        return self.path is not None and self.path.suffix.lower() in PHOTO_SUFFIXES

    def line(self) -> str:
        """«R12 · media/….jpg», «R12 · location 43.23801, 76.94562 (±35 m)»."""
        if self.where is None:
            return f"{report_label(self.report_id)} · {self.stored}"
        latitude, longitude, metres = self.where
        said = t("desk.attachment.location", latitude=f"{latitude:.5f}", longitude=f"{longitude:.5f}")
        if metres is not None:
            said += " " + t("desk.attachment.within", metres=round(metres))
        return f"{report_label(self.report_id)} · {said}"


def attachments_of(reports: Iterable[Report], files: Path) -> tuple[Attachment, ...]:
    """Every report's attachments in order, files resolved in the store's files folder ``files``."""
    return tuple(
        Attachment(report.id, stored, located(stored, files), location(stored))
        for report in reports
        for stored in report.attachments
    )


@dataclass(frozen=True, slots=True)
class Look:
    """What a file turned out to be: there (with its picture, for a photo), or why not."""

    picture: Text | None = None
    problem: Msg | None = None


def picture(path: Path, cells: int, rows: int) -> Text:
    """The photo at ``path`` in half blocks, at most ``cells`` x ``rows``, its shape kept, upright as held."""
    from PIL import Image, ImageOps  # ~27 ms to import: paid on the worker's thread, at the first photo

    from studio.tui.widgets.graphics.picture import halfblocks

    with Image.open(path) as image:
        side = max(cells, 2 * rows)
        image.draft("RGB", (side, side))  # a JPEG decoded at a fraction of its size: a 12 MP photo in a few ms
        upright = ImageOps.exif_transpose(image)
        width, height = fit(cells, rows, upright.width / upright.height)
        return halfblocks(upright.convert("RGB").resize((width, 2 * height), Image.Resampling.BOX))


def look(attachment: Attachment) -> Look:
    """Whether the file is there and, for a photo, its picture; never raises (the desk says what went wrong)."""
    assert attachment.path is not None
    if not attachment.path.is_file():
        return Look(problem=Msg("desk.attachment.missing", path=short_path(attachment.path)))
    if not attachment.photo:
        return Look()
    try:
        return Look(picture=picture(attachment.path, *PREVIEW))
    except Exception as error:  # any unreadable picture: said in its place, the desk goes on
        return Look(problem=Msg("desk.attachment.unreadable", path=short_path(attachment.path),
                                error=str(error) or type(error).__name__))


class ViewerError(StudioError):
    """The file could not be shown: no viewer on this machine, or the viewer refused it."""

    kind = Kind.UNAVAILABLE


def system_opener(path: Path) -> None:
    """Open ``path`` in the desktop's viewer (``open`` on macOS, else ``xdg-open``); ViewerError when there is
    none or it fails at once. Blocks up to VIEWER_WAIT: call it from a worker."""
    command = "open" if sys.platform == "darwin" else "xdg-open"
    program = shutil.which(command)
    if program is None:
        raise ViewerError(Msg("desk.attachment.no_viewer", command=command, path=short_path(path)))
    try:
        launcher = subprocess.Popen(
            [program, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # out of the desk's terminal: its keys and Ctrl+C stay the desk's
        )
    except OSError as error:
        raise ViewerError(Msg("desk.attachment.viewer_failed", command=command, path=short_path(path),
                              code=error.strerror or type(error).__name__)) from None
    try:
        code = launcher.wait(timeout=VIEWER_WAIT)
    except subprocess.TimeoutExpired:
        return
    if code != 0:
        raise ViewerError(Msg("desk.attachment.viewer_failed", command=command, path=short_path(path), code=code))


class Attachments(Vertical):
    """The open item's attachments under its text: a heading, a line each, and a file's picture (or why there is
    none) below its line."""

    @dataclass
    class Looked(Message, bubble=False):
        path: Path
        look: Look

    @dataclass
    class Opened(Message, bubble=False):
        """The viewer was asked to open ``path``; ``problem``: why it could not."""

        path: Path
        problem: Msg | None = None

    def __init__(self, opener: Opener = system_opener, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.opener = opener
        self.shown: tuple[Attachment, ...] = ()
        self.looks: dict[Path, Look] = {}  # by path: a picture is kept; a problem until the item is opened anew
        self.heading = Readout(classes="attachments-heading")
        self.lines: list[Readout] = []
        self.places: list[Static | None] = []  # each file's picture or problem; None for a location
        self.display = False  # until an item with attachments is open

    @property
    def files(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.shown if a.path is not None)

    def compose(self) -> ComposeResult:
        yield self.heading

    def show(self, attachments: tuple[Attachment, ...]) -> None:
        """Show ``attachments`` (none: nothing at all); their files are looked at on a worker."""
        if attachments == self.shown:
            return
        self.shown = attachments
        self.looks = {path: found for path, found in self.looks.items() if found.problem is None}
        for line in self.lines:
            line.remove()
        for place in self.places:
            if place is not None:
                place.remove()
        self.lines = [Readout(classes="attachment-line") for _ in attachments]
        self.places = [Static(classes="attachment-look") if a.path is not None else None for a in attachments]
        self.mount_all([w for pair in zip(self.lines, self.places) for w in pair if w is not None])
        self.display = bool(attachments)
        self.translate()
        self.screen.refresh_bindings()  # the open key is there only when there is a file to open
        unseen = tuple({a.path: a for a in self.files if a.path not in self.looks}.values())
        if unseen:
            self._look_worker(unseen)

    def translate(self) -> None:
        """The heading, the lines and what is known of each file, in the interface language."""
        self.heading.set(t("desk.attachments", count=len(self.shown)), "bold")
        for line, attachment in zip(self.lines, self.shown):
            line.set(f"• {attachment.line()}")
            if attachment.path is not None:
                self._paint(attachment.path)

    def _paint(self, path: Path) -> None:
        found = self.looks.get(path)
        for place, attachment in zip(self.places, self.shown):
            if place is None or attachment.path != path:
                continue
            if found is None:
                place.update(Text(t("desk.attachment.looking"), style="dim"))
            elif found.problem is not None:
                place.update(Text(found.problem.render(catalogue.language), style="bold yellow"))
            else:
                place.update(found.picture or "")
            place.display = found is None or found.problem is not None or found.picture is not None

    @work(thread=True, exclusive=True, exit_on_error=False, group="attachment-looks")
    def _look_worker(self, attachments: tuple[Attachment, ...]) -> None:
        worker = get_current_worker()
        for attachment in attachments:
            if worker.is_cancelled:
                return
            assert attachment.path is not None
            self.post_message(self.Looked(attachment.path, look(attachment)))

    @on(Looked)
    def _looked(self, message: Looked) -> None:
        shown = {a.path for a in self.shown}
        for path in [p for p in self.looks if p not in shown][: max(0, len(self.looks) - KEPT)]:
            del self.looks[path]  # the oldest pictures not on screen: a day of photos stays a few MB
        self.looks[message.path] = message.look
        self._paint(message.path)

    # --- opening a file -----------------------------------------------------------------

    def open_file(self) -> None:
        """The open item's one file in the viewer, or, with several, the one the operator picks."""
        files = self.files
        if len(files) == 1:
            self._open_worker(files[0].path)
        elif files:
            self.app.push_screen(AttachmentPicker(files),
                                 lambda index: None if index is None else self._open_worker(files[index].path))

    @work(thread=True, exit_on_error=False, group="attachment-open")
    def _open_worker(self, path: Path) -> None:
        problem = None
        if not path.is_file():
            problem = Msg("desk.attachment.missing", path=short_path(path))
        else:
            try:
                self.opener(path)
            except StudioError as refused:
                problem = refused.message
        self.post_message(self.Opened(path, problem))

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        title = t("desk.attachment.title")
        if message.problem is not None:
            self.app.notify(message.problem.render(catalogue.language), title=title, severity="warning",
                            markup=False, timeout=10)
        else:
            self.app.notify(t("desk.attachment.opened", path=short_path(message.path)), title=title, markup=False)


class AttachmentPicker(ModalScreen[int | None]):
    """The open item's files, one a line: dismisses with the index of the one to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without doing anything"),
    ]

    def __init__(self, files: tuple[Attachment, ...]) -> None:
        super().__init__(classes="dialog")
        self.files = files

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box picker-box"):
            yield Static(Text(t("desk.attachment.pick")), classes="dialog-question")
            yield OptionList(*(Option(Text(f.line()), id=str(n)) for n, f in enumerate(self.files)),
                             id="attachment-picker")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
