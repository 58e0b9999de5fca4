"""Grouping: copies of one report become one desk item; different things do not."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from studio.desk.grouping import Grouper, GroupingOptions, group, item
from studio.desk.importer import import_reports
from studio.desk.model import ReportKind
from studio.desk.text import Signature, fold, signature, similarity
from studio.store.desk import NewReport

T0 = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
CAROUSEL_RU = "К участку на автобусах привезли людей, похоже на карусель"
CAROUSEL_KK = "Учаскеге автобуспен адамдар әкелінді, карусель болуы мүмкін"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def report(n: int, text: str, minutes: float = 0, region: str = "astana", station: int | None = 12,
           kind: str = "violation"):
    return item(n, region, station, kind, at(minutes), text)


def test_folding_treats_kazakh_typed_on_a_russian_keyboard_as_the_same_text() -> None:
    assert fold("Қазақстан Ұлытау Өскемен") == fold("Казакстан Улытау Оскемен")
    assert fold("ІШКІ ІСТЕР") == fold("iшкi iстер") == fold("ишки истер")
    # Kazakh Latin: İ, I, ı and i are one letter for matching, in any case
    assert fold("İRİ SAILAU") == fold("iri sailau") == fold("ıri saılau")
    # Latin look-alikes inside Cyrillic words (typos, filter dodging)
    assert fold("Kарусель на yчастке") == fold("Карусель на участке")
    assert fold("ёлка") == fold("елка")


def test_signatures_keep_numbers_apart() -> None:
    a = signature("Явка на участке 45,5%")
    assert a.numbers == {"45.5"}
    assert similarity(a, signature("ЯВКА НА УЧАСТКЕ 45.5 %!")) == 1.0
    assert similarity(a, signature("Явка на участке 54.5%")) == 0.0  # 45.5 is never 54.5
    assert similarity(signature("Очередь"), signature("Очередь 40 человек"), 0.3) > 0  # one without a figure


# Letters fold() changes, its combining dot, digits and separators, so random texts hit every path.
_FOLDED_ALPHABET = "аәгғиіеёкқоөуұүһнңIİıiKkAaCcEeMmOoPpXxYyHhBbTt\u0307«»_-., 0123456789"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_FOLDED_ALPHABET) | st.text())
def test_a_signature_is_the_stems_and_numbers_of_the_folded_text(text: str) -> None:
    """signature() finds words before the last step of fold(): it must find what the folded text holds."""
    folded = fold(text)
    stems = frozenset(word[:5] for word in re.findall(r"[^\W\d_]{2,}", folded))
    numbers = frozenset(number.replace(",", ".") for number in re.findall(r"\d+(?:[.,]\d+)?", folded))
    assert signature(text) == Signature(stems, numbers)


def test_copies_of_one_report_form_one_group() -> None:
    texts = [
        CAROUSEL_RU,
        CAROUSEL_RU.upper(),
        "Срочно: " + CAROUSEL_RU,
        CAROUSEL_RU.replace(",", "") + "!!!",
        "к участку на автобусах привезли людей похоже на карусель",
    ]
    groups = group([report(n, text, minutes=n) for n, text in enumerate(texts, start=1)])
    assert set(groups.values()) == {1}


def test_kazakh_copies_group_also_when_retyped_without_kazakh_letters() -> None:
    retyped = CAROUSEL_KK.translate(str.maketrans("әғқңөұүһі", "агкноуухи"))
    assert group([report(1, CAROUSEL_KK), report(2, retyped, 3)]) == {1: 1, 2: 1}


def test_a_translation_is_not_a_copy() -> None:
    # grouping compares words; the desk links the Kazakh and the Russian group to one fact
    assert group([report(1, CAROUSEL_KK), report(2, CAROUSEL_RU)]) == {1: 1, 2: 2}


def test_other_station_kind_or_region_is_another_group() -> None:
    items = [
        report(1, CAROUSEL_RU),
        report(2, CAROUSEL_RU, station=13),
        report(3, CAROUSEL_RU, kind="incident"),
        report(4, CAROUSEL_RU, region="almaty-region"),
        report(5, CAROUSEL_RU, region="almaty"),
        report(6, CAROUSEL_RU, station=None),
    ]
    assert group(items) == {n: n for n in range(1, 7)}


def test_different_texts_at_one_station_are_different_groups() -> None:
    items = [report(1, CAROUSEL_RU), report(2, "Наблюдателя выгнали с участка без объяснений", 1)]
    assert group(items) == {1: 1, 2: 2}


def test_the_window_is_configurable_and_chains_from_the_last_report() -> None:
    items = [report(1, CAROUSEL_RU, 0), report(2, CAROUSEL_RU, 25), report(3, CAROUSEL_RU, 50),
             report(4, CAROUSEL_RU, 120)]
    assert group(items) == {1: 1, 2: 1, 3: 1, 4: 4}
    assert group(items, GroupingOptions(window=timedelta(minutes=10))) == {1: 1, 2: 2, 3: 3, 4: 4}
    assert set(group(items, GroupingOptions(window=timedelta(hours=2))).values()) == {1}


def test_the_threshold_is_configurable() -> None:
    items = [report(1, "большая очередь у входа"), report(2, "очень большая очередь у входа в школу", 1)]
    assert group(items) == {1: 1, 2: 1}
    assert group(items, GroupingOptions(threshold=0.9)) == {1: 1, 2: 2}


def test_a_later_report_joins_a_stored_group() -> None:
    grouper = Grouper()
    grouper.seed([(report(10, CAROUSEL_RU, 0), 10), (report(11, CAROUSEL_RU.upper(), 5), 10)])
    assert grouper.assign([report(12, "Срочно: " + CAROUSEL_RU, 20), report(13, "Драка у входа", 20)]) == {
        12: 10,
        13: 13,
    }


def test_reports_added_to_the_store_join_the_groups_already_there(desk) -> None:
    def add(observer: str, text: str, minutes: float, station: int = 12):
        return desk.add_report(
            NewReport(observer, "bot", at(minutes), "astana", station, ReportKind.VIOLATION, text), by="d", at=at(60)
        )

    first = add("obs-1", CAROUSEL_RU, 0)
    copy = add("obs-2", CAROUSEL_RU.upper(), 10)
    other = add("obs-3", CAROUSEL_RU, 10, station=13)
    late = add("obs-4", CAROUSEL_RU, 200)
    assert (first.group_id, copy.group_id, other.group_id, late.group_id) == (first.id, first.id, other.id, late.id)
    queue = {g.group_id: g for g in desk.groups()}
    assert (queue[first.id].reports, queue[first.id].observers, queue[first.id].lead_text) == (2, 2, CAROUSEL_RU)
    assert [r.id for r in desk.group_reports(first.id)] == [first.id, copy.id]


def test_groups_do_not_depend_on_the_order_reports_are_given() -> None:
    rng = random.Random(7)
    items = [report(n, rng.choice([CAROUSEL_RU, CAROUSEL_KK, "Драка у входа"]), rng.uniform(0, 90),
                    station=rng.choice([1, 2])) for n in range(200)]
    expected = group(items)
    rng.shuffle(items)
    assert group(items) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["astana", "almaty"]),
            st.sampled_from([1, 2, None]),
            st.sampled_from(["violation", "queue"]),
            st.floats(0, 600),
            st.sampled_from([CAROUSEL_RU, CAROUSEL_KK, "Очередь 40 человек", "Очередь 80 человек", "Всё спокойно"]),
        ),
        max_size=60,
    )
)
def test_every_group_lies_in_one_bucket_and_within_reach_of_its_lead(rows) -> None:
    items = [item(n, region, station, kind, at(minutes), text) for n, (region, station, kind, minutes, text) in
             enumerate(rows, start=1)]
    by_id = {entry[0]: entry for entry in items}
    groups = group(items)
    assert set(groups) == set(by_id)
    for member, lead in groups.items():
        assert groups[lead] == lead  # a lead leads its own group
        assert by_id[member][1] == by_id[lead][1]  # same region, station and kind
        assert similarity(signature(by_id[member][3]), signature(by_id[lead][3])) >= 0.5
        assert by_id[lead][2] <= by_id[member][2]  # the lead is the earliest


def test_a_later_import_extends_the_queue_item_of_a_stored_group(desk, tmp_path) -> None:
    header = "observer,received_at,region,station,kind,text\n"
    first, later = tmp_path / "first.csv", tmp_path / "later.csv"
    first.write_text(header + f'obs-1,2026-03-15T10:00+05:00,astana,12,violation,"{CAROUSEL_RU}"\n', "utf-8")
    later.write_text(
        header
        + f'obs-2,2026-03-15T10:20+05:00,astana,12,violation,"Срочно: {CAROUSEL_RU}"\n'
        + f'obs-1,2026-03-15T09:50+05:00,astana,12,violation,"{CAROUSEL_RU.upper()}"\n'
        + "obs-3,2026-03-15T10:20+05:00,astana,12,violation,Драка у входа\n",
        "utf-8",
    )
    assert import_reports(desk, first, operator="a").new_groups == 1
    assert import_reports(desk, later, operator="a").new_groups == 1
    item, fight = sorted(desk.groups(), key=lambda g: g.group_id)
    assert (item.group_id, item.reports, item.observers) == (1, 3, 2)
    assert (item.first_at, item.last_at) == (at(-10), at(20))
    assert (fight.reports, fight.lead_text) == (1, "Драка у входа")
