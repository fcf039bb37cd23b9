"""Small server-rendered SVG charts (no chart library, no CDN). Every text inside is escaped."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from moderation.review.dashboard import Series

PALETTE = {
    "against": "#c0392b",
    "negative": "#c0392b",
    "neutral": "#95a5a6",
    "favor": "#27ae60",
    "positive": "#27ae60",
    "approve": "#27ae60",
    "reject": "#c0392b",
    "review": "#e67e22",
}
CYCLE = ("#2c6fbb", "#8e44ad", "#16a085", "#d35400", "#7f8c8d", "#2980b9")
W, H, PAD_L, PAD_B, PAD_T = 1040, 220, 40, 26, 10  # wide charts; bar lists use BARS_W
BARS_W = 480
TICK_PX = 92  # room for one time label


def color(label: str, i: int = 0) -> str:
    return PALETTE.get(label, CYCLE[i % len(CYCLE)])


def _svg(body: list[str], *, title: str, height: int = H, width: int = W) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _axis(y_labels: list[tuple[float, str]], plot_h: float) -> list[str]:
    out = []
    for frac, text in y_labels:
        y = PAD_T + plot_h * (1 - frac)
        out.append(f'<line x1="{PAD_L}" x2="{W - 4}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(
            f'<text x="{PAD_L - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{escape(text)}</text>'
        )
    return out


def stacked_shares(series: Series | None, *, title: str) -> Markup:
    """One stacked bar per time bucket: the mean probability of each label (they sum to ~1)."""
    if series is None or not series.points:
        return Markup('<p class="empty">No scored comments yet.</p>')
    plot_h, plot_w = H - PAD_B - PAD_T, W - PAD_L - 8
    n = len(series.points)
    step = plot_w / n
    bar_w = max(2.0, step * 0.8)
    body = _axis([(0, "0%"), (0.5, "50%"), (1, "100%")], plot_h)
    label_every = max(1, math.ceil(TICK_PX / step))
    same_day = series.points[0][0].date() == series.points[-1][0].date()
    tick_format = "%H:%M" if same_day else "%d %b %H:%M"
    for i, (at, shares, count) in enumerate(series.points):
        x = PAD_L + i * step + (step - bar_w) / 2
        total = sum(shares.values()) or 1.0
        y = float(PAD_T + plot_h)
        for j, label in enumerate(series.labels):
            h = plot_h * shares.get(label, 0.0) / total
            y -= h
            tip = f"{at:%d %b %H:%M} · {label} {shares.get(label, 0.0):.0%} · {count} comments"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{color(label, j)}"><title>{escape(tip)}</title></rect>'
            )
        if i % label_every == 0:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{H - 8}" text-anchor="middle" class="tick">'
                f"{escape(at.strftime(tick_format))}</text>"
            )
    return _svg(body, title=title)


def histogram(bins: list[int], *, title: str) -> Markup:
    """Bars over [0, 1] in equal bins."""
    if not any(bins):
        return Markup('<p class="empty">No on-topic scores yet.</p>')
    plot_h, plot_w = H - PAD_B - PAD_T, W - PAD_L - 8
    top = max(bins)
    step = plot_w / len(bins)
    ticks = [(0.0, "0"), (1.0, str(top))] + ([(0.5, str(top // 2))] if top % 2 == 0 and top > 2 else [])
    body = _axis(ticks, plot_h)
    for i, count in enumerate(bins):
        h = plot_h * count / top
        x = PAD_L + i * step + 2
        lo, hi = i / len(bins), (i + 1) / len(bins)
        body.append(
            f'<rect x="{x:.1f}" y="{PAD_T + plot_h - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
            f'fill="#2c6fbb"><title>{escape(f"{lo:.1f}–{hi:.1f}: {count} comments")}</title></rect>'
        )
        body.append(
            f'<text x="{x + (step - 4) / 2:.1f}" y="{H - 8}" text-anchor="middle" class="tick">'
            f"{lo:.1f}–{hi:.1f}</text>"
        )
    return _svg(body, title=title)


def hbars(counts: dict[str, int], *, title: str) -> Markup:
    """Horizontal bars for counts by decision or reason."""
    if not counts:
        return Markup('<p class="empty">Nothing yet.</p>')
    row_h, label_w = 26, 130
    height = row_h * len(counts) + 8
    top = max(counts.values()) or 1
    body = []
    for i, (label, count) in enumerate(counts.items()):
        y = 4 + i * row_h
        w = (BARS_W - label_w - 40) * count / top
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="label">{escape(label)}</text>'
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" rx="3" '
            f'fill="{color(label, i)}"/>'
        )
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="value">{count}</text>')
    return _svg(body, title=title, height=height, width=BARS_W)


def legend(labels: tuple[str, ...]) -> Markup:
    items = "".join(
        f'<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" '
        f'fill="{color(label, i)}"/></svg> {escape(label)}</li>'
        for i, label in enumerate(labels)
    )
    return Markup(f'<ul class="legend">{items}</ul>')
