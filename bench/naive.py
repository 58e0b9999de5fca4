"""The naive baseline of the benchmarks for a template-drawn graphic: its panels and strings on a frame of
the template's canvas, Pillow's own text (no fitting), saved with Pillow's PNG defaults."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from studio.graphics.schema import PLACEHOLDER, RectBox, TextBox


def naive_frame(path: Path, template, values: dict[str, str], fonts: dict) -> None:
    """``values``: the strings studio resolved for it ("result.yes", "fact.claim_kk" ...); ``fonts``: a cache."""
    frame = Image.new("RGBA", (template.canvas.width, template.canvas.height), (0, 0, 0, 0))
    pen = ImageDraw.Draw(frame)
    for box in template.boxes:
        if isinstance(box, RectBox):
            pen.rounded_rectangle((box.x, box.y, box.right - 1, box.bottom - 1), box.radius,
                                  fill=template.color(box.fill))
        elif isinstance(box, TextBox):
            text = PLACEHOLDER.sub(lambda m: values.get(f"{m[1]}.{m[2]}" if m[2] else m[1], ""), box.text)
            key = (str(template.font_path(box.font)), box.size)
            if key not in fonts:
                fonts[key] = ImageFont.truetype(key[0], box.size)
            pen.text((box.x, box.y + box.height / 2), text, font=fonts[key], fill=template.color(box.color),
                     anchor="lm")
    frame.save(path)
