"""Key positions in TOML text, for errors that name the line."""

from studio.tomlpos import TomlLocator

TEXT = '''[show]
title.kk = "a"
[[segment]]
id = "x"
cue = """
fake = "not a key"
"""
[[segment]]
id = "y"
title = { kk = "b", ru = "c" }
graphics = [
  { template = "lt", data = { name = "n" } },
  { template = "lt2", data = {} },
]
duration = "5m"
'''


def test_tables_keys_inline_tables_and_arrays() -> None:
    where = TomlLocator(TEXT)
    assert where.find(("show", "title", "kk")) == (2, 1)
    assert where.find(("show", "title")) == (2, 1)
    assert where.find(("segment", 0)) == (3, 3)
    assert where.find(("segment", 1, "title", "ru")) == (10, 21)
    assert where.find(("segment", 1, "graphics", 1, "data")) == (13, 23)
    assert where.find(("segment", 1, "duration")) == (15, 1)


def test_multiline_strings_are_skipped_and_unknown_paths_fall_back() -> None:
    where = TomlLocator(TEXT)
    assert where.find(("segment", 0, "fake")) == (3, 3)  # inside the cue: not a key
    assert where.find(("segment", 1, "graphics", 0, "data", "name")) == (12, 22)
    assert where.find(("nowhere",)) == (1, 1)
