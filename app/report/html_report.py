"""The report bundle's HTML: verdict, summary, every chart, every input with its source. No Qt.

One self-contained file (charts inline as SVG, no external file or script),
so it can be mailed, archived or opened offline. ``report_html`` takes the
chart markup from its caller: inline SVG for the HTML file, image references
for the PDF (Qt's rich text, which prints the PDF, draws images, not SVG).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.domain.field_labels import path_label
from app.domain.library import ResolvedComparison
from app.domain.quantity import Quantity, quantity_field
from app.report.equivalents import Equivalent
from app.report.metadata import ExportMetadata

STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.meta { color: #555; font-size: 0.9em; } .verdict { font-size: 1.05em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; } th { background: #f0f0f0; }
figure { margin: 1em 0; } figure svg, figure img { max-width: 100%; height: auto; }
.assumption { color: #8a5a00; }
"""


@dataclass(frozen=True, slots=True)
class InputRow:
    scenario: str
    input: str
    value: float
    low: float | None
    high: float | None
    unit: str
    source: str
    assumption: bool


def _unit(scenario: object, path: str) -> str:
    parts = path.split(".")
    node = scenario
    try:
        for part in parts[:-1]:
            node = getattr(node, part)
        return quantity_field(type(node), parts[-1]).unit
    except (AttributeError, KeyError, TypeError, ValueError):
        return ""


def input_rows(resolved: ResolvedComparison) -> list[InputRow]:
    """Every numeric input of every scenario, with its range and source, in the engine's order."""
    from app.engine.sampling import flatten  # the engine's own list of what it samples

    rows = []
    for scenario in resolved.scenarios:
        quantities: dict[str, Quantity] = flatten(scenario)
        for path, q in quantities.items():
            rows.append(InputRow(scenario.name, path_label(path), q.value, q.low, q.high, _unit(scenario, path),
                                 q.source or "", bool(q.assumption)))
    return rows


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:,.6g}" if abs(value) >= 10_000 else f"{value:.6g}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] = frozenset(),
           widths: Sequence[str] = ()) -> str:
    head = "".join(f'<th width="{widths[i]}">{html.escape(h)}</th>' if i < len(widths) else f"<th>{html.escape(h)}</th>"
                   for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(
    metadata: ExportMetadata,
    verdict: Sequence[str],
    summary_header: Sequence[str],
    summary: Sequence[Sequence[str]],
    charts: Sequence[tuple[str, str]],
    chart_markup: Callable[[str], str],
    inputs: Sequence[InputRow],
    equivalents: Sequence[tuple[str, Equivalent]] = (),
) -> str:
    """The whole report: ``charts`` are (chart_id, title); ``chart_markup(chart_id)`` gives each one's markup."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>{esc(metadata.comparison)} — Jevons report</title>',
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(metadata.comparison)}</h1>",
        "".join(f'<p class="meta">{esc(line)}</p>' for line in metadata.caption()),
        f'<p class="meta">Made {esc(metadata.created)} with Jevons {esc(metadata.version)}.</p>',
        "<h2>Verdict</h2>",
        "".join(f'<p class="verdict">{esc(line)}</p>' for line in verdict) or "<p>(no verdict: one scenario)</p>",
        "<h2>Summary</h2>",
        _table(summary_header, [[esc(c) for c in row] for row in summary], set(range(1, len(summary_header))),
               ["24%"]),
    ]
    if equivalents:
        parts.append("<h2>Everyday equivalents</h2>")
        parts.append("<p>Each scenario's median total energy and CO2e over the horizon, set beside published "
                     "everyday figures.</p>")
        parts.append(_table(["Scenario", "Equivalent", "Source"],
                            [[esc(name), esc(e.text), esc(e.source)] for name, e in equivalents], set(),
                            ["20%", "35%", "45%"]))
    parts.append("<h2>Charts</h2>")
    for chart_id, title in charts:
        parts.append(f'<figure id="{esc(chart_id)}">{chart_markup(chart_id)}<figcaption>{esc(title)}</figcaption></figure>')
    parts.append("<h2>Inputs</h2>")
    parts.append("<p>Every input of every scenario as the engine used it: its value, the range sampled "
                 "(triangular, peaking at the value) and where the figure comes from.</p>")
    for scenario in dict.fromkeys(row.scenario for row in inputs):
        rows = []
        for row in (r for r in inputs if r.scenario == scenario):
            source = esc(row.source) or "<em>no source given</em>"
            if row.assumption:
                source = f'<span class="assumption">Assumption:</span> {source}'
            rng = f"{_number(row.low)} – {_number(row.high)}" if row.low is not None and row.high is not None else ""
            rows.append([esc(row.input), _number(row.value), rng, esc(row.unit), source])
        parts.append(f"<h3>{esc(scenario)}</h3>")
        parts.append(_table(["Input", "Value", "Range", "Unit", "Source"], rows, {1, 2},
                            ["22%", "10%", "14%", "10%", "44%"]))
    parts.append(f'<p class="meta">Source: {esc(metadata.source)}. Jevons {esc(metadata.version)}, '
                 f"seed {metadata.seed}, {metadata.samples:,} samples.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
