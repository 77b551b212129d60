"""The leaderboard's plot: time to target against energy, as an SVG we draw
ourselves (no JavaScript, no CDN). Both axes are logarithmic: entries span orders of
magnitude. Entries without both figures are left out and counted."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from awards import units
from haet.wording import counted

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 78, 20, 20, 56


@dataclass(frozen=True)
class Point:
    label: str  # "#12"
    title: str
    time_s: float
    energy_j: float
    is_verified: bool = False
    is_winner: bool = False


def _decades(low: float, high: float) -> tuple[int, int]:
    start, stop = math.floor(math.log10(low)), math.ceil(math.log10(high))
    if stop - start < 1:
        start, stop = start - 1, stop + 1
    return start, stop


def _n(value: float) -> str:
    return f"{value:.1f}"


def _scale(value: float, start: int, stop: int, size: float) -> float:
    return (math.log10(value) - start) / (stop - start) * size


def time_energy_svg(points: Sequence[Point], *, missing_count: int = 0) -> SafeString:
    """An accessible SVG: a title, a description listing every point, decade
    gridlines labelled in readable units, one labelled dot per entry."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    description = "; ".join(
        f"{p.label}: {units.format_duration(p.time_s)}, "
        f"{units.format_energy(p.energy_j)}"
        for p in points
    )
    if missing_count:
        description += (
            f" ({counted(missing_count, 'entry', 'entries')} without both figures "
            "not shown)"
        )
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" '
            'viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="plot-title '
            'plot-desc"><title id="plot-title">Time to target against energy</title>'
            '<desc id="plot-desc">{}</desc>',
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            description or "No entry has both a time and an energy yet.",
        ),
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#fff" stroke="#d9dee8"/>',
            LEFT,
            TOP,
            plot_w,
            plot_h,
        ),
    ]
    if points:
        x0, x1 = _decades(min(p.time_s for p in points), max(p.time_s for p in points))
        y0, y1 = _decades(
            min(p.energy_j for p in points), max(p.energy_j for p in points)
        )
        for exponent in range(x0, x1 + 1):
            x = LEFT + _scale(10.0**exponent, x0, x1, plot_w)
            parts.append(
                format_html(
                    '<line x1="{x}" y1="{t}" x2="{x}" y2="{b}" '
                    'stroke="#eef1f7"/><text x="{x}" y="{ty}" font-size="11" '
                    'text-anchor="middle" fill="#5b6476">{label}</text>',
                    x=_n(x),
                    t=TOP,
                    b=TOP + plot_h,
                    ty=TOP + plot_h + 16,
                    label=units.format_duration(10.0**exponent),
                )
            )
        for exponent in range(y0, y1 + 1):
            y = TOP + plot_h - _scale(10.0**exponent, y0, y1, plot_h)
            parts.append(
                format_html(
                    '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" '
                    'stroke="#eef1f7"/><text x="{tx}" y="{ty}" font-size="11" '
                    'text-anchor="end" fill="#5b6476">{label}</text>',
                    l=LEFT,
                    r=LEFT + plot_w,
                    y=_n(y),
                    tx=LEFT - 6,
                    ty=_n(y + 4),
                    label=units.format_energy(10.0**exponent),
                )
            )
        parts.append(
            format_html_join(
                "",
                '<g class="point{}"><title>{} {}: {}, {}</title>'
                '<circle cx="{}" cy="{}" r="6" fill="{}" stroke="#1d2433"/>'
                '<text x="{}" y="{}" font-size="12" fill="#1d2433">{}</text>'
                "</g>",
                (
                    (
                        " winner" if p.is_winner else "",
                        p.label,
                        p.title,
                        units.format_duration(p.time_s),
                        units.format_energy(p.energy_j),
                        _n(LEFT + _scale(p.time_s, x0, x1, plot_w)),
                        _n(TOP + plot_h - _scale(p.energy_j, y0, y1, plot_h)),
                        "#d4a017" if p.is_winner else "#1f5fbf",
                        _n(LEFT + _scale(p.time_s, x0, x1, plot_w) + 9),
                        _n(TOP + plot_h - _scale(p.energy_j, y0, y1, plot_h) - 8),
                        p.label + (" ✓" if p.is_verified else ""),
                    )
                    for p in points
                ),
            )
        )
    else:
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="#5b6476">'
                "No entry has both a time and an energy yet.</text>",
                LEFT + plot_w / 2,
                TOP + plot_h / 2,
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="13">{}</text>'
            '<text x="16" y="{}" text-anchor="middle" font-size="13" '
            'transform="rotate(-90 16 {})">{}</text></svg>',
            LEFT + plot_w / 2,
            HEIGHT - 12,
            "Wall-clock time to target (log scale)",
            TOP + plot_h / 2,
            TOP + plot_h / 2,
            "Energy to target (log scale)",
        )
    )
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - all parts escaped
