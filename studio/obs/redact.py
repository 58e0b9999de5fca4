"""Keep the obs-websocket password out of logs and error texts.

obsws-python 1.8 logs "Connecting with parameters: ... password='...'" at INFO on
every connect, and logs expected failures (refused, timeout) with tracebacks. The
filter below rewrites those records before any handler sees them.
"""

from __future__ import annotations

import logging
import re
import threading

# Logger filters only see records logged on that very logger, not on its children,
# so the filter goes on every logger obsws-python creates (it uses getChild).
OBSWS_LOGGERS = (
    "obsws_python",
    "obsws_python.baseclient",
    "obsws_python.baseclient.ObsClient",
    "obsws_python.reqs",
    "obsws_python.reqs.ReqClient",
    "obsws_python.events",
    "obsws_python.events.EventClient",
)
MASK = "********"
# Shorter secrets would mask ordinary words; the pattern still catches password='x'.
MIN_SECRET_LENGTH = 4
# password='x', password: "x", password=x (as in a URL); not prose like "the password: set".
_PASSWORD_FIELD = re.compile(
    r"""(password\s*[=:]\s*)('[^']*'|"[^"]*")|(password=)([^\s'",)&]+)""", re.IGNORECASE
)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def remember_secret(secret: str) -> None:
    """Mask this value wherever it appears in OBS log records and ObsError texts."""
    if len(secret) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    text = _PASSWORD_FIELD.sub(lambda m: f"{m[1] or m[3]}'{MASK}'", text)
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


class RedactPasswords(logging.Filter):
    """Masks passwords, drops tracebacks and demotes obsws-python's records to DEBUG.

    The adapter turns every expected failure into an ObsError with advice, so the
    library's own ERROR lines and tracebacks would only repeat it, louder.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_FILTER = RedactPasswords()


def install_log_filter() -> None:
    """Idempotent: safe to call on every connect."""
    for name in OBSWS_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
