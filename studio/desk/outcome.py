"""What an import did: the summary the CLI prints, and the rejected rows kept
in the quarantine and in a rejects file (shared by reports and turnout)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from pathlib import Path
from typing import Sequence

from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.i18n import FALLBACK, Msg


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str
    hint: str = ""
    raw: str = ""


@dataclass(frozen=True)
class ImportSummary:
    file: Path
    added: int = 0
    duplicates: int = 0
    rejected: tuple[Rejected, ...] = ()
    quarantined: int = 0  # rejected rows not in the quarantine before
    new_groups: int = 0
    corroborated: int = 0  # official figures that added a source to an existing fact
    held: int = 0  # rows held for the desk's "needs a region" queue (studio/desk/held.py)
    rejects_file: Path | None = None
    warnings: tuple[Diagnostic, ...] = field(default=())

    def diagnostics(self) -> list[Diagnostic]:
        """Each rejected row as ``FILE:LINE: error: reason`` with a hint."""
        return [Diagnostic(self.file, r.line, 0, r.reason, r.hint) for r in self.rejected]

    def render(self, language: str = FALLBACK) -> str:
        """The summary line, then each rejected row and warning as a diagnostic, in ``language``."""
        parts = [Msg("import.summary.added", n=self.added), Msg("import.summary.duplicates", n=self.duplicates)]
        if self.corroborated:
            parts.append(Msg("import.summary.corroborated", n=self.corroborated))
        if self.new_groups:
            parts.append(Msg("import.summary.new_groups", n=self.new_groups))
        if self.held:
            parts.append(Msg("import.summary.held", n=self.held))
        if self.rejected:
            kept = (
                Msg("import.summary.rejected_kept_in", n=len(self.rejected), file=str(self.rejects_file))
                if self.rejects_file
                else Msg("import.summary.rejected", n=len(self.rejected))
            )
            parts.append(kept)
        lines = [f"{self.file}: " + ", ".join(part.render(language) for part in parts)]
        lines += [d.render(language) for d in self.diagnostics()]
        lines += [w.render(language).replace(": error: ", ": warning: ", 1) for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render(FALLBACK)


def digest(text: str) -> str:
    """A stable 128-bit key for a row's text."""
    return blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def check_operator(path: Path, operator: str) -> str:
    name = (operator or "").strip()
    if not name:
        raise DiagnosticsError([Diagnostic(path, 1, 0, "an import needs the operator's name", "pass --operator NAME")])
    return name


def quarantine_rows(path: Path, rejected: Sequence[Rejected]) -> list[tuple[str, int, str, str]]:
    """Rows for DeskStore.add_quarantine; the key is the raw row and the reason,
    so the same bad row in a later, cumulative export is not kept twice."""
    return [(digest(f"{r.raw}\x1f{r.reason}"), r.line, r.reason, r.raw) for r in rejected]


def default_rejects_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.csv")


def with_rejects_file(summary: ImportSummary, rejects: Path | None) -> ImportSummary:
    """Write the rejected rows as CSV (line, reason, hint, raw). The store
    already holds them; a file that cannot be written is a warning."""
    if not summary.rejected:
        return summary
    target = rejects or default_rejects_path(summary.file)
    try:
        with open(target, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(("line", "reason", "hint", "raw"))
            writer.writerows((r.line, r.reason, r.hint, r.raw) for r in summary.rejected)
    except OSError as error:
        warning = Diagnostic(
            target, 1, 0, f"cannot write the rejects file: {error.strerror or error}",
            "the rejected rows are in the store's quarantine; pass --rejects PATH",
        )
        return replace(summary, warnings=(*summary.warnings, warning))
    return replace(summary, rejects_file=target)
