"""Graphics on air through the controller: take, clear, panic, the live bug, restarts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Sequence

import pytest

from studio.desk import rules
from studio.desk.model import Claim, Draft, ReportKind, SourceKind
from studio.onair import GraphicRefused, LOCATION_BUG, RenderedGraphic
from studio.rundown.model import GraphicCue, Rundown
from studio.show import ControlError, Controller
from studio.store import open_store
from studio.store.desk import open_desk
from tests.test_control import RecordingSwitcher

LOWER = GraphicCue("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
FACT = GraphicCue("fact-card", {"fact": "7"})


class StandInGraphics:
    """Renders nothing: a path per template; fact 7 is refused like the gate would.

    Every rendering states ``facts`` (provenance records of facts in the store, or none).
    """

    def __init__(self, facts: Sequence[dict] = ()) -> None:
        self.rendered: list[GraphicCue] = []
        self.facts = list(facts)

    def render(self, cue: GraphicCue) -> RenderedGraphic:
        if cue.data.get("fact") == "7":
            raise GraphicRefused("fact-card: fact 7 is not verified\n  hint: verify it at the desk first")
        self.rendered.append(cue)
        provenance = {"data": dict(cue.data), "fact_ids": [f["id"] for f in self.facts], "facts": self.facts}
        return RenderedGraphic(cue.template, f"/out/{cue.template}.png", (96, 822, 960, 174), (1920, 1080), provenance)


def verified_fact(path: Path, clock, verifier: str = "erlan") -> dict:
    """A fact verified at the desk of the store at ``path``, as a rendering's provenance records it."""
    desk = open_desk(path)
    fact = desk.create_fact(Draft(ReportKind.VIOLATION, Claim(kk="12-учаскеде вброс", ru="Вбросы на участке 12"),
                                  region="astana"),
                            by="aigerim", at=clock())
    fact = desk.change(fact.id, fact.version, rules.StartReview(), by="aigerim", at=clock())
    source = desk.add_source(SourceKind.OFFICIAL, "https://example.kz/3", by="aigerim", at=clock())
    fact = desk.attach_source(fact.id, fact.version, source.id, by="aigerim", at=clock())
    fact = desk.change(fact.id, fact.version, rules.Verify(), by=verifier, at=clock())
    return {"id": str(fact.id), "version": fact.version, "verifier": verifier, "sources": ["https://example.kz/3"]}


@pytest.fixture
def rundown(small_rundown) -> Rundown:
    segments = list(small_rundown.segments)
    segments[0] = replace(segments[0], graphics=(LOWER, FACT))
    return small_rundown.with_segments(tuple(segments))


def make(path: Path, rundown: Rundown, clock, switcher: RecordingSwitcher | None = None,
         graphics: StandInGraphics | None = None) -> Controller:
    return Controller(open_store(path), rundown, operator="aigerim", clock=clock,
                      switcher=switcher or RecordingSwitcher(), graphics=graphics or StandInGraphics())


def test_a_taken_graphic_goes_on_air_with_its_provenance_logged(tmp_path, rundown, clock) -> None:
    switcher = RecordingSwitcher()
    fact = verified_fact(tmp_path / "s.db", clock)
    controller = make(tmp_path / "s.db", rundown, clock, switcher, StandInGraphics([fact]))
    controller.take_next()
    assert controller.armed() == (LOWER, FACT)
    graphic = controller.graphic_take(0)
    assert graphic.template == "lower-third" and graphic.scene == "Studio" and graphic.file == "/out/lower-third.png"
    assert "Дана Ким" in graphic.description
    assert [g.template for g in switcher.shown] == ["lower-third"]
    event = [e for e in controller.store.events("small") if e.action == "graphic_on"][-1]
    assert event.detail["template"] == "lower-third" and event.detail["file"] == "/out/lower-third.png"
    assert event.detail["fact_ids"] == [fact["id"]] and event.detail["facts"][0]["verifier"] == "erlan"
    assert controller.graphic_clear("lower-third") is True
    assert switcher.shown == [] and controller.on_air_graphics == ()
    assert [e.action for e in controller.store.events("small")][-1] == "graphic_off"


def test_a_refused_fact_raises_and_nothing_goes_on_air(tmp_path, rundown, clock) -> None:
    switcher = RecordingSwitcher()
    controller = make(tmp_path / "s.db", rundown, clock, switcher)
    controller.take_next()
    calls = list(switcher.calls)
    with pytest.raises(ControlError) as refused:
        controller.graphic_take(1)
    assert refused.value.code == "graphic_refused" and "not verified" in str(refused.value)
    assert controller.on_air_graphics == () and switcher.calls == calls
    assert not [e for e in controller.store.events("small") if e.action == "graphic_on"]


def test_a_preview_renders_the_armed_graphic_off_air_and_the_gate_still_refuses(tmp_path, rundown, clock) -> None:
    switcher = RecordingSwitcher()
    controller = make(tmp_path / "s.db", rundown, clock, switcher)
    with pytest.raises(ControlError, match="(?i)nothing is on air"):
        controller.preview(0)
    controller.take_next()
    calls, events = list(switcher.calls), controller.store.events("small")
    assert controller.preview(0).path == "/out/lower-third.png"
    with pytest.raises(ControlError) as refused:
        controller.preview(1)
    assert refused.value.code == "graphic_refused" and "not verified" in refused.value.params["reason"]
    with pytest.raises(ControlError) as beyond:
        controller.preview(2)
    assert beyond.value.code == "no_graphic"
    assert switcher.calls == calls and controller.store.events("small") == events  # nothing aired, nothing logged
    assert controller.on_air_graphics == ()


def test_no_graphic_without_a_segment_on_air_or_out_of_range(tmp_path, rundown, clock) -> None:
    controller = make(tmp_path / "s.db", rundown, clock)
    with pytest.raises(ControlError, match="(?i)nothing is on air"):
        controller.graphic_take(0)
    controller.take_next()
    with pytest.raises(ControlError) as error:
        controller.graphic_take(5)
    assert error.value.code == "no_graphic"


def test_panic_clears_every_graphic_at_once(tmp_path, rundown, clock) -> None:
    switcher = RecordingSwitcher()
    controller = make(tmp_path / "s.db", rundown, clock, switcher)
    controller.take_next()
    controller.graphic_take(0)
    assert controller.graphics_clear_all() == 1
    assert switcher.calls[-1] == "graphics " and controller.on_air_graphics == ()
    off = [e for e in controller.store.events("small") if e.action == "graphic_off"]
    assert [e.detail["reason"] for e in off] == ["panic"]


def test_a_take_clears_the_previous_graphics_and_a_live_inclusion_gets_its_bug(store_location, rundown,
                                                                               clock) -> None:
    switcher = RecordingSwitcher()
    fact = verified_fact(store_location, clock)
    controller = make(store_location, rundown, clock, switcher, StandInGraphics([fact]))
    controller.take_next()
    controller.graphic_take(0)
    controller.take("live-almaty")
    assert [g.template for g in switcher.shown] == [LOCATION_BUG]  # given with the take, one change
    assert switcher.shown == list(controller.store.graphics("small"))  # as put, exactly what the store holds
    assert switcher.shown[0].facts == ((int(fact["id"]), fact["version"]),)
    bug = controller.on_air_graphics[0]
    assert bug.scene == "Live" and "region=almaty" in bug.description and "time=09:30" in bug.description
    actions = [e.action for e in controller.store.events("small")]
    assert actions[-3:] == ["take", "graphic_off", "graphic_on"]
    controller.take_next()
    assert controller.on_air_graphics == () and switcher.shown == []


def test_a_restart_puts_the_graphics_back(tmp_path, rundown, clock) -> None:
    first = make(tmp_path / "s.db", rundown, clock)
    first.take_next()
    first.graphic_take(0)
    switcher = RecordingSwitcher()
    again = make(tmp_path / "s.db", rundown, clock, switcher)
    again.resume_air()
    assert switcher.calls[0] == "take open" and [g.template for g in switcher.shown] == ["lower-third"]


def test_another_process_taking_a_graphic_reaches_air_here(tmp_path, rundown, clock) -> None:
    switcher = RecordingSwitcher()
    owner = make(tmp_path / "s.db", rundown, clock, switcher)
    owner.take_next()
    api = Controller(open_store(tmp_path / "s.db"), rundown, clock=clock, origin="api", graphics=StandInGraphics())
    api.graphic_take(0)
    assert owner.refresh()
    assert switcher.calls[-1] == "graphics lower-third"


def test_without_a_renderer_graphics_are_refused(tmp_path, rundown, clock) -> None:
    controller = Controller(open_store(tmp_path / "s.db"), rundown, clock=clock)
    controller.take("live-almaty")  # no bug, no error
    assert controller.on_air_graphics == ()
    with pytest.raises(ControlError) as error:
        controller.graphic_take(0)
    assert error.value.code in {"no_graphics", "no_graphic"}


def test_the_renderer_port_builds_in_the_background_and_refuses_in_its_own_terms(tmp_path) -> None:
    from studio.graphics import MemoryFacts, Renderer
    from studio.paths import shipped
    from studio.onair import RendererGraphics

    port = RendererGraphics(factory=lambda: Renderer(shipped("overlays"), tmp_path / "out", MemoryFacts({})))
    drawn = port.render(LOWER)
    assert drawn.template == "lower-third" and drawn.path.endswith(".png") and drawn.placement[2:] == (960, 174)
    with pytest.raises(GraphicRefused, match="fact-card"):
        port.render(FACT)  # no such fact at the desk

    def broken() -> Renderer:
        raise RuntimeError("templates folder is gone")

    with pytest.raises(GraphicRefused, match="graphics are unavailable: templates folder is gone"):
        RendererGraphics(factory=broken).render(LOWER)


def retract(path: Path, fact: dict, clock) -> None:
    """The desk, in its own connection, retracts ``fact`` with a correction."""
    desk = open_desk(path)
    stored = desk.get(int(fact["id"]))
    desk.change(stored.id, stored.version, rules.Retract(Claim(ru="Вбросов не было")), by="erlan", at=clock())


def test_a_fact_withdrawn_at_the_desk_pulls_its_graphic_off_air(tmp_path, rundown, clock) -> None:
    path = tmp_path / "show.db"
    fact = verified_fact(path, clock)
    switcher = RecordingSwitcher()
    controller = Controller(open_store(path), rundown, switcher=switcher, graphics=StandInGraphics([fact]), clock=clock)
    controller.take_next()
    controller.graphic_take(0)  # the lower third states the fact
    assert [g.template for g in controller.on_air_graphics] == ["lower-third"]
    retract(path, fact, clock)
    assert controller.refresh()
    assert controller.on_air_graphics == ()
    assert switcher.calls[-1] == "graphics " and switcher.shown == []
    pulled = [e for e in controller.store.events("small") if e.action == "graphic_pulled"]
    assert [(e.detail["template"], "(now: Retracted)" in e.detail["reason"]) for e in pulled] == [("lower-third", True)]


def test_after_a_pull_the_graphic_goes_back_only_as_a_new_take_logged_as_the_replacement(
    tmp_path, rundown, clock
) -> None:
    path = tmp_path / "show.db"
    fact = verified_fact(path, clock)
    graphics = StandInGraphics([fact])
    controller = Controller(open_store(path), rundown, switcher=RecordingSwitcher(), graphics=graphics, clock=clock)
    controller.take_next()
    controller.graphic_take(0)
    retract(path, fact, clock)
    controller.refresh()
    assert controller.on_air_graphics == ()  # nothing is put back by itself
    graphics.facts = []  # the producer takes it again: rendered now, without the withdrawn fact
    controller.graphic_take(0)
    events = controller.store.events("small")
    pulled = next(e for e in events if e.action == "graphic_pulled")
    again = [e for e in events if e.action == "graphic_on"][-1]
    assert again.detail["replaces_pulled"] == pulled.id and again.detail["fact_ids"] == []
    controller.take_next()
    controller.take("open")  # back to the segment: a new take, so its graphic replaces nothing pulled
    controller.graphic_take(0)
    assert "replaces_pulled" not in [e for e in controller.store.events("small") if e.action == "graphic_on"][-1].detail


def test_two_processes_noticing_one_withdrawal_pull_it_once(tmp_path, rundown, clock) -> None:
    """The show process and the control API both refresh, so both notice; the log says it once."""
    path = tmp_path / "show.db"
    fact = verified_fact(path, clock)
    show = Controller(open_store(path), rundown, switcher=RecordingSwitcher(), graphics=StandInGraphics([fact]),
                      clock=clock)
    show.take_next()
    show.graphic_take(0)
    api = Controller(open_store(path), rundown, graphics=StandInGraphics([fact]), clock=clock, origin="api")
    retract(path, fact, clock)
    assert show.store.changed_elsewhere()  # the show process has seen the desk's write and checks its graphics...
    api.refresh()  # ...while the API process, quicker, pulls the graphic first
    show.refresh()  # the show process looks after the API's write: nothing left to pull
    actions = [e.action for e in show.store.events("small")]
    assert actions.count("graphic_pulled") == 1 and actions.count("graphic_off") == 1
    assert show.on_air_graphics == () and api.on_air_graphics == ()


def test_a_take_whose_fact_changed_since_rendering_is_refused_in_the_readers_language(tmp_path, rundown, clock) -> None:
    """The desk retracts between the rendering and the write: nothing goes up, and the console can say why in kk/ru."""
    path = tmp_path / "show.db"
    fact = verified_fact(path, clock)
    graphics = StandInGraphics([fact])
    controller = Controller(open_store(path), rundown, switcher=RecordingSwitcher(), graphics=graphics, clock=clock)
    controller.take_next()
    render = graphics.render

    def rendered_then_retracted(cue):
        done = render(cue)
        retract(path, fact, clock)  # the desk commits while the graphic is being rendered
        return done

    graphics.render = rendered_then_retracted
    with pytest.raises(ControlError) as refused:
        controller.graphic_take(0)
    assert refused.value.code == "fact_changed" and controller.on_air_graphics == ()
    reason = refused.value.params["reason"]
    assert reason.render("ru").startswith(f"F{fact['id']} изменён в проверке (сейчас: ")
    assert reason.render("kk").startswith(f"F{fact['id']} дискте өзгерді")
