"""The social cards (issue 21 part 3) in bench/render.py: each shape of the verified fact card, a new fact
every run (another claim, so no composed line is reused), and of the result card, the sample's final result
with a changed figure every run (yes and took part one more: it still adds up); each through the gate, drawn
and written as ``studio social`` writes it (PNG unfiltered + zlib 1, via a temporary file and a rename).
Naive baseline, in the same run and with the same strings: the template's panels and texts drawn by Pillow
on a frame of the card's size (no fitting), saved with Pillow's PNG defaults. Target: median <= 30 ms a card
image."""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from naive import naive_frame  # bench/ is the script's folder
from record import figure
from studio.graphics import load_templates
from studio.graphics.fonts import text_mask
from studio.graphics.gate import FactView, MemoryFacts
from studio.graphics.output import atomic_write, encode_png
from studio.graphics.render import draw, prepare
from studio.social.folder import templates_folder
from studio.social.sidecar import SHAPES

CARD_TARGET_MS = 30.0
CARD_RUNS = 60
FACT = FactView(
    id="F12", status="verified", region="north-kz", version=1, verifier="Гүлнар Сейітова",
    claim_kk="Солтүстік Қазақстан облысы, №{n} учаске: дауыс беру 07:00-де уақытында басталды, кезек жоқ",
    claim_ru="Северо-Казахстанская область, участок №{n}: голосование началось вовремя, в 07:00, очередей нет",
    sources=("https://www.nur.kz/politics/kazakhstan/north-kz",), as_of=datetime(2026, 3, 15, 2, 10, tzinfo=UTC),
)


def social_cards(root: Path, measure, p99, warm_up: int, results_facts) -> None:
    """Printed and recorded: each shape of the fact card and of the result card against the naive frame of its
    size. ``results_facts(run, by_region)``: the sample's result with figures changed by ``run`` (render.py)."""
    templates = load_templates(templates_folder())
    runs = range(CARD_RUNS + warm_up)
    designs = {
        "fact": ({"fact": "F12"}, "a new claim every run", "social_card",
                 [MemoryFacts().add(replace(FACT, claim_kk=FACT.claim_kk.format(n=700 + run),
                                            claim_ru=FACT.claim_ru.format(n=700 + run))) for run in runs]),
        "result": ({"result": "final"}, "a changed figure every run", "social_result_card",
                   [results_facts(run, False) for run in runs]),
    }
    med = statistics.median
    fonts: dict = {}
    for design, (data, changes, recorded, facts) in designs.items():
        print(f"social {design} card, {CARD_RUNS} runs a shape, {changes}: wall ms median / p99 (CPU ms median)")
        for shape, (width, height) in SHAPES.items():
            template = templates[f"social-{design}-{shape}"]

            def ours(out: Path, item: MemoryFacts) -> None:
                prepared = prepare(template, data, item)
                atomic_write(out / f"{design}-{shape}-{prepared.key[:16]}.png", encode_png(draw(prepared).image))

            mine, mine_cpu = measure(root, f"social-{design}-{shape}", facts, ours, before=text_mask.cache_clear)
            strings = [prepare(template, data, item).resolved.values for item in facts]
            theirs, _ = measure(root, f"social-naive-{design}-{shape}", strings,
                                lambda out, values: naive_frame(out / "card.png", template, values, fonts),
                                before=lambda: None)
            print(f"  {shape:9} {width}x{height}: studio {med(mine):6.2f} / {p99(mine):6.2f} ({med(mine_cpu):5.2f}), "
                  f"naive {med(theirs):6.2f} / {p99(theirs):6.2f}; target median <= {CARD_TARGET_MS} ms: "
                  f"{'met' if med(mine) <= CARD_TARGET_MS else 'NOT met'}")
            figure("render", f"{recorded}_{shape}_median", med(mine), med(theirs), "ms",
                   target=f"<= {CARD_TARGET_MS} ms", met=med(mine) <= CARD_TARGET_MS)
