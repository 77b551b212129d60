"""A realistic 4-page submission for the benches: the tests' two-column paper
(tests/submissions/pdf_factory.py: title, anonymous byline, abstract, body, a
References section on page 4) with a figure on page 2, drawn with reportlab."""

from __future__ import annotations

import io
import math
import random
import sys
from pathlib import Path

import pikepdf
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.submissions.pdf_factory import RIGHT_X, build_paper  # noqa: E402

# The figure's box: the lower half of page 2's right column.
FIGURE_X, FIGURE_Y, FIGURE_W, FIGURE_H = RIGHT_X, 90.0, 240.0, 250.0


def _figure_page(seed: int) -> bytes:
    """One letter page holding only the figure: a white panel (so it covers the
    column text beneath, as a float would push it away), axes with ticks, three
    training curves and a scatter of measurements, a legend and a caption; a few
    hundred vector paths, like a typical plotting-library figure."""
    rng = random.Random(seed)  # drawing, not secrets
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, invariant=True)
    x0, y0, w, h = FIGURE_X, FIGURE_Y, FIGURE_W, FIGURE_H
    canvas.setFillGray(1.0)
    canvas.rect(x0 - 4, y0 - 30, w + 8, h + 34, stroke=0, fill=1)
    plot_x, plot_y, plot_w, plot_h = x0 + 28, y0 + 20, w - 36, h - 40
    canvas.setStrokeGray(0.0)
    canvas.setLineWidth(0.6)
    canvas.rect(plot_x, plot_y, plot_w, plot_h, stroke=1, fill=0)
    canvas.setFont("Helvetica", 6)
    canvas.setFillGray(0.0)
    for tick in range(6):
        tx = plot_x + plot_w * tick / 5
        ty = plot_y + plot_h * tick / 5
        canvas.line(tx, plot_y, tx, plot_y - 3)
        canvas.line(plot_x, ty, plot_x - 3, ty)
        canvas.drawCentredString(tx, plot_y - 10, str(tick * 20))
        canvas.drawRightString(plot_x - 5, ty - 2, f"{tick * 0.2:.1f}")
    canvas.drawCentredString(plot_x + plot_w / 2, plot_y - 18, "Epoch")
    for series, (red, green, blue) in enumerate(
        [(0.1, 0.3, 0.8), (0.85, 0.4, 0.1), (0.2, 0.6, 0.2)]
    ):
        canvas.setStrokeColorRGB(red, green, blue)
        path = canvas.beginPath()
        for step in range(101):
            value = 0.9 - 0.7 * math.exp(-step / (12 + 8 * series))
            value += rng.uniform(-0.02, 0.02)
            px, py = plot_x + plot_w * step / 100, plot_y + plot_h * value
            if step == 0:
                path.moveTo(px, py)
            else:
                path.lineTo(px, py)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.setFillColorRGB(red, green, blue)
        for _ in range(60):  # measured points, one small marker each
            px = plot_x + plot_w * rng.random()
            py = plot_y + plot_h * rng.uniform(0.2, 0.95)
            canvas.circle(px, py, 1.2, stroke=0, fill=1)
        canvas.rect(plot_x + 8, plot_y + plot_h - 12 - 9 * series, 8, 3, fill=1)
        canvas.setFillGray(0.0)
        canvas.drawString(
            plot_x + 20, plot_y + plot_h - 13 - 9 * series, f"Method {'ABC'[series]}"
        )
    canvas.setFont("Times-Roman", 9)
    canvas.drawString(x0, y0 - 16, "Figure 1. Accuracy during training.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def build_submission_pdf(path: Path, *, title: str, seed: int = 0) -> Path:
    """Draw the paper to `path` (a distinct title gives a distinct file)."""
    build_paper(path, title=title)
    with (
        pikepdf.open(io.BytesIO(_figure_page(seed))) as figure,
        pikepdf.open(path, allow_overwriting_input=True) as pdf,
    ):
        pdf.pages[1].add_overlay(figure.pages[0])
        pdf.save(path)
    return path
