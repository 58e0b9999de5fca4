"""What the graphics core refuses, and why, in words a producer can act on.

Template files that are broken raise :class:`studio.diagnostics.DiagnosticsError`
(file, line, what to fix). Everything refused at render time raises a
:class:`GraphicsError`: the graphic does not reach air, and the message says
which template, which field and what to do.

Messages and hints are ``studio.i18n.Msg`` where studio says them itself (as a
``str``, the English text); ``render(language)`` says the error in Kazakh,
Russian or English. Texts from elsewhere (a library's reason) stay as they are.
``said`` is the whole error as one Msg (``TEMPLATE: MESSAGE`` and the hint), for a
front end that shows it later in its reader's language (the console, the control API).
"""

from __future__ import annotations

from studio.errors import Kind, StudioError
from studio.i18n import Msg


class GraphicsError(StudioError):
    """A graphic that cannot be rendered as asked; the message says what to do.

    ``reason`` and ``hint`` are its two parts; ``message`` (``said``) is the whole.
    """

    kind = Kind.REFUSED

    def __init__(self, template: str, reason: str, hint: str = "") -> None:
        self.template = template
        self.reason = reason
        self.hint = hint
        said = Msg("diag.graphics.in_template", template=template, message=reason)
        self.said: Msg = Msg("diag.with_hint", text=said, hint=hint) if hint else said
        super().__init__(self.said)


class DataError(GraphicsError):
    """The data given for a template does not match its field schema."""

    kind = Kind.BAD_INPUT

    def __init__(self, template: str, field: str, reason: str, hint: str = "") -> None:
        self.field = field
        super().__init__(template, Msg("diag.graphics.in_field", field=field, message=reason), hint)


class TextRejected(DataError):
    """Text that must not go on air as it is: control, bidi or invisible characters,
    a glyph the font lacks, mixed-script words, or far too long."""


class TextDoesNotFit(GraphicsError):
    """Text too long for its box even at the minimum size and the maximum lines.

    Never cut: a claim shortened by the machine is a different claim.
    """

    def __init__(self, template: str, box: str, reason: str, hint: str) -> None:
        self.box = box
        super().__init__(template, Msg("diag.graphics.in_box", box=box, message=reason), hint)


class FactRefused(GraphicsError):
    """The gate refused a fact: missing, not verified, retracted, or incomplete."""

    def __init__(self, template: str, fact_id: str, reason: str, hint: str = "") -> None:
        self.fact_id = fact_id
        super().__init__(template, reason, hint)
