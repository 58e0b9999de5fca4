"""What kind of source a URL is, by the rules kept as data in ``sources.toml``.

``classify(reference)`` gives the SourceKind of a web page, or None when the
reference is not a URL or its site is listed nowhere (the desk then asks
for the type). The commission's own domains are ``official``; a news site
is ``media`` even when it reprints the commission's figures: the desk links
such a reprint to the commission's source with ``quotes``, and whether that
counts as the commission's own word is the station's policy
(``[desk] reprint_counts_as_official``, rules.EvidencePolicy).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from studio.desk.model import SourceKind


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: SourceKind
    host: str
    path: str = ""  # "" : the whole site

    def matches(self, host: str, path: str) -> bool:
        on_site = host == self.host or host.endswith("." + self.host)
        return on_site and (not self.path or path == self.path or path.startswith(self.path.rstrip("/") + "/"))

    @property
    def weight(self) -> int:
        """More specific rules win: a longer host, then a longer path."""
        return len(self.host) * 1000 + len(self.path)


@cache
def _rules() -> tuple[_Rule, ...]:
    data = tomllib.loads(resources.files("studio.desk").joinpath("sources.toml").read_text("utf-8"))
    rules: list[_Rule] = []
    for kind, table in data.items():
        rules += [_Rule(SourceKind(kind), host.lower()) for host in table.get("hosts", ())]
        for entry in table.get("paths", ()):
            host, _, path = entry.lower().partition("/")
            rules.append(_Rule(SourceKind(kind), host, "/" + path))
    return tuple(rules)


def commission_origin() -> str:
    """The commission as a source's origin: the first of its own hosts in sources.toml."""
    return next(rule.host for rule in _rules() if rule.kind is SourceKind.OFFICIAL and not rule.path)


def host_of(reference: str) -> str:
    """The host of a web address, lower case, without ``www.`` or ``m.``; "" for anything else."""
    try:
        parts = urlsplit(reference.strip())
    except ValueError:  # "http://[x": a bracket that opens no IPv6 address
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return parts.hostname.lower().removeprefix("www.").removeprefix("m.")


def classify(reference: str) -> SourceKind | None:
    """The kind of the source at ``reference`` by the rules of sources.toml, or None if they cannot tell."""
    host = host_of(reference)
    if not host:
        return None
    path = urlsplit(reference.strip()).path.lower() or "/"
    found = [rule for rule in _rules() if rule.matches(host, path)]
    return max(found, key=lambda rule: rule.weight).kind if found else None
