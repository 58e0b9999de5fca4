"""studio: the production system of an observers' information centre."""

from studio import _start_time  # noqa: F401  (first import: measures startup)
