"""The Telegram bot's tables on both databases (studio/store/telegram.py): an account bound by a one-time
code is told the desk's verdicts on its reports, once per change of status."""

from __future__ import annotations

from datetime import timedelta

from studio.desk import rules
from studio.desk.model import SourceKind
from studio.store.observers import add_observer
from studio.store.telegram import bindings, issue_code, redeem, reports_since, verdicts_since
from tests.desk.conftest import T0


def test_a_bound_observer_hears_each_verdict_on_its_reports_once(desk, new_fact, report, source, tick) -> None:
    add_observer(desk.db, "obs-1", by="admin", at=tick())
    code = issue_code(desk.db, "obs-1", at=tick(), valid=timedelta(hours=1))
    with desk.write():
        assert redeem(desk.db, code, user_id=42, chat_id=420, at=tick(), state={"language": "kk"}) == "obs-1"
    assert bindings(desk.db)[42].observer == "obs-1"
    sent = report("obs-1")
    fact = new_fact(sources=[source(SourceKind.OFFICIAL, "commission")], reports=[sent])
    verified = desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    told = verdicts_since(desk.db, 0)
    assert [(f, status, r, user) for _, f, status, r, user in told] == [(fact.id, "verified", sent.id, 42)]
    again = desk.attach_source(verified.id, verified.version, source(SourceKind.MEDIA, "tengrinews").id, by="bolat",
                               at=tick())
    assert again.status.value == "verified" and verdicts_since(desk.db, told[-1][0]) == []  # nothing new to tell
    assert reports_since(desk.db, "obs-1", T0) == [(sent.id, "violation", "verified")]
