"""Draws bench/scaling.jsonl as an SVG: rows/s, CPU-s per 100k rows and peak RSS against sandbox
scale, one line per tool. Plain SVG written by hand, so the benchmark needs no plotting library.

Usage: python3 plot_scaling.py RESULTS.jsonl OUT.svg"""
import json, math, sys

results_file, out_file = sys.argv[1], sys.argv[2]
runs = [json.loads(line) for line in open(results_file) if line.strip()]
panels = [
    ("rows/s (higher is better)", lambda r: r["rows"] / r["wall"]),
    ("CPU-s per 100k rows (lower is better)", lambda r: r["cpu"] / r["rows"] * 100_000),
    ("peak RSS, MB (lower is better)", lambda r: r["peak_mb"]),
]
tools = [("connector", "connector → SQLite", "#1f6feb"), ("dlt", "dlt 1.31 → duckdb", "#d1495b")]
width, height, panel_w, top, bottom, left = 1080, 360, 330, 48, 300, 62


def log_ticks(lo, hi):
    """1-2-5 ticks covering [lo, hi] on a log axis."""
    ticks, decade = [], 10 ** math.floor(math.log10(lo))
    while decade <= hi * 10:
        for m in (1, 2, 5):
            if lo <= decade * m <= hi:
                ticks.append(decade * m)
        decade *= 10
    return ticks


def label(v):
    if v >= 1000:
        return f"{v / 1000:g}k"
    return f"{v:g}"


scales = sorted({r["scale"] for r in runs})
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
       f'font-size="12"><rect width="100%" height="100%" fill="white"/>']
for index, (title, value) in enumerate(panels):
    x0 = index * (panel_w + 30) + left
    values = [value(r) for r in runs]
    lo, hi = min(values) / 1.6, max(values) * 1.6
    ylo, yhi = math.log10(lo), math.log10(hi)
    xlo, xhi = math.log10(scales[0]) - 0.15, math.log10(scales[-1]) + 0.15
    px = lambda s: x0 + (math.log10(s) - xlo) / (xhi - xlo) * (panel_w - left)
    py = lambda v: bottom - (math.log10(v) - ylo) / (yhi - ylo) * (bottom - top)
    svg.append(f'<text x="{x0 + (panel_w - left) / 2}" y="{top - 16}" text-anchor="middle" font-weight="bold">'
               f'{title}</text>')
    svg.append(f'<rect x="{x0}" y="{top}" width="{panel_w - left}" height="{bottom - top}" fill="none" stroke="#999"/>')
    for tick in log_ticks(lo, hi):
        svg.append(f'<line x1="{x0}" x2="{x0 + panel_w - left}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" stroke="#eee"/>')
        svg.append(f'<text x="{x0 - 6}" y="{py(tick) + 4:.1f}" text-anchor="end">{label(tick)}</text>')
    for s in scales:
        svg.append(f'<text x="{px(s):.1f}" y="{bottom + 16}" text-anchor="middle">{s}</text>')
    svg.append(f'<text x="{x0 + (panel_w - left) / 2}" y="{bottom + 34}" text-anchor="middle">sandbox scale</text>')
    for tool, _, color in tools:
        points = sorted((r["scale"], value(r)) for r in runs if r["tool"] == tool)
        if not points:
            continue
        path = " ".join(f"{px(s):.1f},{py(v):.1f}" for s, v in points)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for s, v in points:
            svg.append(f'<circle cx="{px(s):.1f}" cy="{py(v):.1f}" r="3.5" fill="{color}"/>')
for i, (_, name, color) in enumerate(tools):
    svg.append(f'<rect x="{left + i * 200}" y="{height - 14}" width="14" height="4" fill="{color}"/>'
               f'<text x="{left + i * 200 + 20}" y="{height - 9}">{name}</text>')
svg.append("</svg>")
open(out_file, "w").write("\n".join(svg) + "\n")
