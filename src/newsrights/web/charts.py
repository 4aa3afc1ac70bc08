"""Server-rendered SVG charts (no JavaScript): horizontal bars and a daily line.

Pure functions from ``(label, value)`` pairs to an SVG string; every label is
XML-escaped (site names come from scraped pages). Geometry: bars are scaled to
the largest value; the line chart spaces points evenly by index and scales y
to ``[0, max]``.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")


def bar_chart(items: Sequence[tuple[str, int]], *, width: int = 520, bar: int = 22, title: str = "",
              colors: Sequence[str] = PALETTE) -> Markup:
    """Horizontal bars, one row per item, value printed at the end of the bar."""
    label_w = 180
    gap = 6
    height = max(1, len(items)) * (bar + gap) + 10
    top = max((v for _, v in items), default=0) or 1
    plot_w = width - label_w - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        y = 5 + i * (bar + gap)
        w = max(1, round(plot_w * value / top)) if value else 0
        short = label if len(label) <= 24 else label[:23] + "…"
        color = colors[i % len(colors)]
        parts.append(f'<text x="{label_w - 6}" y="{y + bar * 0.7:.1f}" text-anchor="end" font-size="12">'
                     f"{escape(short)}</text>")
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="{color}">'
                     f"<title>{escape(label)}: {value}</title></rect>")
        parts.append(f'<text x="{label_w + w + 4}" y="{y + bar * 0.7:.1f}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: Sequence[tuple[str, int]], *, width: int = 640, height: int = 200, title: str = "") -> Markup:
    """A polyline of daily counts with a dot per day and the first/last day labelled on the x axis."""
    pad_l, pad_r, pad_t, pad_b = 36, 12, 12, 28
    plot_w = width - pad_l - pad_r
    plot_h = height - pad_t - pad_b
    top = max((v for _, v in points), default=0) or 1
    n = len(points)

    def xy(i: int, v: int) -> tuple[float, float]:
        x = pad_l + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = pad_t + plot_h - plot_h * v / top
        return round(x, 1), round(y, 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart line" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - pad_r}" y2="{pad_t + plot_h}" stroke="#999"/>',
             f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{pad_t + plot_h}" stroke="#999"/>',
             f'<text x="{pad_l - 4}" y="{pad_t + 10}" text-anchor="end" font-size="11">{top}</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + plot_h}" text-anchor="end" font-size="11">0</text>']
    if points:
        coords = [xy(i, v) for i, (_, v) in enumerate(points)]
        parts.append('<polyline fill="none" stroke="#2563eb" stroke-width="2" points="'
                     + " ".join(f"{x},{y}" for x, y in coords) + '"/>')
        for (label, value), (x, y) in zip(points, coords, strict=True):
            parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="#2563eb"><title>{escape(label)}: {value}</title></circle>')
        parts.append(f'<text x="{coords[0][0]}" y="{height - 8}" font-size="11">{escape(points[0][0])}</text>')
        if n > 1:
            parts.append(f'<text x="{coords[-1][0]}" y="{height - 8}" text-anchor="end" font-size="11">'
                         f"{escape(points[-1][0])}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
