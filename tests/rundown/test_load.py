"""The rundown file: every problem reported at once, with file, line and a hint."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from studio.diagnostics import DiagnosticsError
from studio.rundown.load import format_duration, load_rundown, parse_duration, parse_rundown
from studio.rundown.model import Kind

HEADER = """[show]
title = { kk = "Эфир", ru = "Эфир" }
date = 2026-03-15
zone = "Asia/Almaty"
start = 07:00:00
"""


def segment(id: str, **fields: str) -> str:
    body = {"kind": '"studio"', "title": '{ kk = "Тақырып", ru = "Заголовок" }', "duration": '"5m"'} | fields
    return "\n[[segment]]\n" + f'id = "{id}"\n' + "".join(f"{k} = {v}\n" for k, v in body.items())


def errors(text: str) -> list[str]:
    with pytest.raises(DiagnosticsError) as raised:
        parse_rundown(Path("day.toml"), text)
    return [str(d) for d in raised.value.diagnostics]


def test_small_rundown_loads_with_its_fields(small_rundown) -> None:
    show = small_rundown.show
    assert (show.id, show.start, show.zone.key) == ("small", time(9, 30), "Asia/Almaty")
    live = small_rundown.get("live-almaty")
    assert live.kind is Kind.LIVE and live.region == "almaty" and live.feed == "udp://127.0.0.1:9101"
    assert small_rundown.get("open").cue == "Қайырлы таң! Бүгін — референдум күні."
    assert [s.id for s in small_rundown.segments] == ["open", "guests", "brief-10", "live-almaty", "late"]


def test_fixed_start_after_midnight_is_the_next_day(small_rundown) -> None:
    late = small_rundown.get("late")
    assert small_rundown.fixed_start(late) == datetime.fromisoformat("2026-03-16T00:30:00+05:00")
    assert small_rundown.fixed_start(small_rundown.get("brief-10")) == datetime.fromisoformat("2026-03-15T10:00:00+05:00")


def test_every_error_is_reported_at_once_in_file_order() -> None:
    text = (
        HEADER
        + segment("a")
        + segment("a")
        + segment("b", kind='"studoi"', duration='"0s"')
        + segment("c", region='"almati"')
        + segment("d", kind='"live"')
        + segment("e", colour='"red"')
    )
    found = errors(text)
    assert len(found) == 6, found
    assert found[0].startswith("day.toml:14:1: error: segment 'a': duplicate id (first used on line 7)")
    assert "segment 'b': kind: Input should be 'studio'" in found[1]
    assert "segment 'b': duration: duration must be positive" in found[2] and found[2].startswith("day.toml:23:")
    assert "segment 'c': unknown region 'almati'" in found[3] and "almaty-region" in found[3]
    assert "segment 'd': a live inclusion needs a region" in found[4]
    assert "segment 'e': colour: unknown key" in found[5] and "known keys:" in found[5]
    lines = [int(f.split(":")[1]) for f in found]
    assert lines == sorted(lines)


def test_fixed_starts_out_of_order_and_unreachable() -> None:
    text = (
        HEADER
        + segment("b10", fixed="10:00:00", duration='"30m"')
        + segment("b0915", fixed="09:15:00")
        + segment("b1010", fixed="10:10:00")
    )
    found = errors(text)
    assert len(found) == 2, found
    assert "segment 'b0915': fixed start 09:15:00 is not after segment 'b10' fixed at 10:00:00" in found[0]
    assert "segment 'b1010': fixed start 10:10:00 is unreachable" in found[1] and "runs until 10:30:00" in found[1]


def test_toml_syntax_error_names_line_and_column() -> None:
    found = errors(HEADER + '\n[[segment]]\nid = "x\n')
    assert len(found) == 1
    assert found[0].startswith("day.toml:8:") and "TOML syntax" in found[0] and "(at line" not in found[0]


def test_missing_show_and_bad_zone() -> None:
    found = errors(HEADER.replace('"Asia/Almaty"', '"Asia/Nowhere"') + segment("a"))
    assert found == [
        "day.toml:4:1: error: show: zone: unknown time zone 'Asia/Nowhere'\n"
        '  hint: use an IANA zone; Kazakhstan is "Asia/Almaty" (UTC+5)'
    ]


@pytest.mark.parametrize("depth", [20, 5000])  # 5000: past tomllib's own recursion
def test_a_file_nested_too_deep_is_one_error_never_a_recursion_error(depth: int) -> None:
    found = errors(HEADER + "[deep]\nv = " + "[" * depth + "]" * depth + "\n")
    assert len(found) == 1 and "nested more than 16 deep" in found[0]
    assert found[0].startswith("day.toml:6:" if depth == 20 else "day.toml:1:")  # at its table when it can be found


@pytest.mark.parametrize("duration", ["999999h", "25h", "99999999999999999999999h", "1441m"])
def test_a_duration_longer_than_the_day_is_refused_by_name(duration: str) -> None:
    found = errors(HEADER + segment("a", duration=f'"{duration}"'))
    assert found == [f"day.toml:11:1: error: segment 'a': duration: duration '{duration}' is longer than a day (24h):"
                     ' no segment lasts that long\n  hint: write durations like "5m", "1h30m" or "45s"']
    assert parse_duration("24h") == timedelta(hours=24)


def test_a_zone_too_long_for_a_file_name_is_an_unknown_zone() -> None:
    found = errors(HEADER.replace('"Asia/Almaty"', '"' + "A" * 300 + '"') + segment("a"))
    assert len(found) == 1 and found[0].startswith("day.toml:4:1: error: show: zone: unknown time zone")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DiagnosticsError, match="cannot read the rundown"):
        load_rundown(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("text", "seconds"), [("5m", 300), ("1h30m", 5400), ("45s", 45), ("2m30s", 150), ("1h", 3600)]
)
def test_durations_round_trip(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)
    assert format_duration(parse_duration(text)) == text


@pytest.mark.parametrize("text", ["", "5", "5 m", "m", "1m1h", "-5m", 5])
def test_bad_durations_are_refused(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_a_video_segment_must_have_something_to_play(tmp_path: Path) -> None:
    """Never black: a video segment names its file (relative to the rundown) or an OBS source."""
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "how-to-vote.mp4").write_bytes(b"\x00")
    text = (
        HEADER
        + segment("nothing", kind='"video"')
        + segment("clip", kind='"video"', video='"clips/how-to-vote.mp4"')
        + segment("gone", kind='"video"', video='"clips/missing.mp4"')
        + segment("playout", kind='"video"', video_source='"Playout 1"')
        + segment("both", kind='"video"', video='"clips/how-to-vote.mp4"', video_source='"Playout 1"')
    )
    path = tmp_path / "day.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        load_rundown(path)
    found = [str(d) for d in raised.value.diagnostics]
    assert len(found) == 3, found
    assert found[0].startswith(f"{path}:9:1: error: segment 'nothing': a video segment has nothing to play")
    assert "video_source" in found[0]  # the hint says how
    assert found[1].startswith(f"{path}:25:1: error: segment 'gone': the video file ")
    assert "missing.mp4 is not there" in found[1]
    assert found[2].startswith(f"{path}:40:1: error: segment 'both': a segment names both")

    path.write_text(HEADER + segment("clip", kind='"video"', video='"clips/how-to-vote.mp4"')
                    + segment("playout", kind='"video"', video_source='"Playout 1"'), "utf-8")
    clip, playout = load_rundown(path).segments
    assert clip.video == str(tmp_path / "clips" / "how-to-vote.mp4") and playout.video_source == "Playout 1"


def test_the_sample_days_videos_are_there() -> None:
    sample = load_rundown(Path(__file__).parents[2] / "studio" / "sample" / "referendum-day.toml")
    videos = [s for s in sample.segments if s.kind is Kind.VIDEO]
    assert videos and all(Path(s.video or "").is_file() for s in videos)


# fuzz (tests/fuzz/test_fuzz_rundowns.py): what hostile rundowns found, each once by hand


def test_a_show_dated_past_any_plan_is_refused_by_name() -> None:
    found = errors(HEADER.replace("2026-03-15", "9999-12-31") + segment("a", fixed="01:00:00"))
    assert found == ["day.toml:3:1: error: show: date: date 9999-12-31 is not a day studio plans a show on: between"
                     " 2000-01-01 and 2100-12-31\n  hint: write the show date like 2026-03-15"]


def test_a_video_path_too_long_for_a_file_name_is_a_missing_file() -> None:
    found = errors(HEADER + segment("clip", kind='"video"', video='"' + "x" * 5000 + '"'))
    assert len(found) == 1 and "segment 'clip': the video file" in found[0] and "is not there" in found[0]


def test_a_segment_that_is_not_a_table_is_named_at_its_place_and_the_others_keep_theirs() -> None:
    text = 'segment = [5, { id = "b", kind = "studoi", title = { kk = "Т", ru = "З" }, duration = "5m" }]\n' + HEADER
    found = errors(text)
    assert len(found) == 2, found
    assert any(line.startswith("day.toml:1:") and line.endswith(
        "error: segment '#1': Input should be a table\n"
        "  hint: write each segment as a [[segment]] table with id, kind, title and duration") for line in found)
    assert any("segment 'b': kind:" in line for line in found)


def test_a_show_that_is_not_a_table_is_said_once_with_a_hint() -> None:
    found = errors('show = ""\n' + segment("a"))
    assert found[0] == ("day.toml:1:1: error: show: Input should be a table\n"
                        "  hint: begin the file with a [show] table: title, date, zone and start")


def test_every_wrong_field_has_a_hint() -> None:
    found = errors(HEADER + segment("a", scene="1", feed="[]", cue="2", region="{}"))
    assert len(found) == 4 and all("\n  hint: " in line for line in found), found


def test_lines_are_counted_as_toml_counts_them_whatever_a_string_holds() -> None:
    """A line separator (U+2028) in a cue is no new line: the error below it is still named at its line."""
    found = errors(HEADER + segment("a", cue='"one\u2028two\x85three"') + segment("b", kind='"studoi"'))
    assert found[0].startswith("day.toml:16:1: error: segment 'b': kind:")


def test_a_diagnostic_stays_one_line_whatever_the_file_holds() -> None:
    found = errors(HEADER + segment("a", **{'"x\\u0000\\u202e\\ny"': '"1"'}))
    assert found[0].startswith("day.toml:12:1: error: segment 'a': x\\x00\\u202e\\ny: unknown key")
    assert found[0].count("\n") == 1


def test_a_feed_that_is_no_address_is_refused_at_load() -> None:
    found = errors(HEADER + segment("a", kind='"live"', region='"astana"', feed='"srt://[::1:9000"'))
    assert found == ["day.toml:13:1: error: segment 'a': feed: 'srt://[::1:9000' is not an address a feed can have\n"
                     '  hint: write the feed\'s address in quotes, e.g. feed = "srt://10.0.0.5:9000"']
