#!/usr/bin/env python3
"""Draws a tcsim Chrome trace (tcsim run ... --trace step.json) as an SVG timeline: one row per
stream of each pipeline rank, ops coloured by kind. Standard library only.

    python3 notebooks/trace_to_svg.py step.json docs/trace.svg [--ranks 4] [--until-ms 3000]
"""
import argparse
import json
from xml.sax.saxutils import escape

COLOURS = {
    "forward": "#4e79a7", "backward": "#f28e2b", "weight_grad": "#e15759", "optimizer": "#76b7b2",
    "ep": "#59a14f", "pp": "#edc948", "dp": "#b07aa1", "expert-dp": "#b07aa1", "tp": "#9c755f", "cp": "#ff9da7",
}
LABELS = {"ep": "expert all-to-all", "pp": "pipeline send", "dp": "data-parallel"}


def colour(event):
    if event.get("cat") == "communication":
        return COLOURS.get(event["name"].split(".")[0], "#bab0ac")
    return COLOURS.get(event.get("args", {}).get("phase", ""), "#bab0ac")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("svg")
    ap.add_argument("--ranks", type=int, default=4, help="pipeline ranks to draw (from rank 0)")
    ap.add_argument("--until-ms", type=float, default=None, help="draw only this much of the step")
    a = ap.parse_args()
    with open(a.trace) as f:
        events = json.load(f)["traceEvents"]
    threads = {}
    for e in events:
        if e["ph"] == "M" and e["name"] == "thread_name":
            threads[(e["pid"], e["tid"])] = e["args"]["name"]
    ops = [e for e in events if e["ph"] == "X" and e["pid"] < a.ranks]
    end_us = max(e["ts"] + e["dur"] for e in ops)
    if a.until_ms is not None:
        end_us = min(end_us, a.until_ms * 1000)
    rows = sorted({(e["pid"], e["tid"]) for e in ops})
    width, left, row_h, top = 1200, 150, 16, 30
    scale = (width - left - 10) / end_us
    height = top + row_h * len(rows) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="18">tcsim step timeline: first {a.ranks} pipeline ranks, {end_us / 1e6:.2f} s shown</text>']
    for i, (pid, tid) in enumerate(rows):
        y = top + i * row_h
        out.append(f'<text x="5" y="{y + 11}">rank {pid} {escape(threads.get((pid, tid), str(tid)))}</text>')
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y + row_h - 1}" y2="{y + row_h - 1}" stroke="#eee"/>')
    index = {r: i for i, r in enumerate(rows)}
    for e in ops:
        if e["ts"] > end_us:
            continue
        x = left + e["ts"] * scale
        w = max(0.5, min(e["dur"], end_us - e["ts"]) * scale)
        y = top + index[(e["pid"], e["tid"])] * row_h
        out.append(f'<rect x="{x:.2f}" y="{y + 2}" width="{w:.2f}" height="{row_h - 5}" fill="{colour(e)}"/>')
    lx = left
    for name in ["forward", "backward", "weight_grad", "optimizer", "ep", "pp", "dp"]:
        y = height - 18
        out.append(f'<rect x="{lx}" y="{y}" width="10" height="10" fill="{COLOURS[name]}"/>')
        out.append(f'<text x="{lx + 14}" y="{y + 9}">{LABELS.get(name, name)}</text>')
        lx += 120
    out.append("</svg>")
    with open(a.svg, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
