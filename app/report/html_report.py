"""The report bundle's HTML: verdict, summary, every chart, every input with its source. No Qt.

One self-contained file (charts inline as SVG, no external file or script),
so it can be mailed, archived or opened offline. ``report_html`` takes the
chart markup from its caller: inline SVG for the HTML file, image references
for the PDF (Qt's rich text, which prints the PDF, draws images, not SVG).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from app.domain.field_labels import path_label
from app.domain.library import ResolvedComparison
from app.domain.quantity import Quantity, quantity_field
from app.domain.scenario import SCENARIO_INPUTS
from app.numbers import number
from app.report.equivalents import Equivalent
from app.report.headline import HeadlineRow, headline_detail, headline_title
from app.report.metadata import ExportMetadata

STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; line-height: 1.3; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
h3 { font-size: 1.0em; margin-top: 1.0em; margin-bottom: 0.2em; }
.meta { color: #555; font-size: 0.9em; } .verdict { font-size: 1.05em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; } th { background: #f0f0f0; }
table.inputs { font-size: 0.72em; margin: 0.2em 0; } table.inputs td, table.inputs th { padding: 0 4px; }
ol.sources { font-size: 0.72em; padding-left: 2.5em; line-height: 1.15; } ol.sources li { margin: 0; }
figure { margin: 1em 0; } svg, img { max-width: 100%; height: auto; }
h2.appendix { page-break-before: always; }
.assumption { color: #8a5a00; }
"""


PART_TITLES = {"model": "Model", "hardware": "Serving hardware", "training_hardware": "Training hardware",
               "datacenter": "Datacenter", "usage": "Usage", "deployment": "Deployment", "market": "Market",
               "list_price": "List prices", "scenario": "In the market"}
"""The appendix lists each distinct preset once, under its kind, with the scenarios that use it; "scenario"
holds a scenario's own inputs (``SCENARIO_INPUTS``: its share of the market and its launch)."""

CAVEATS = (
    "The figures model serving at scale; they are checked against the published measurements listed in the "
    "methodology, whose known errors it states.",
    "Totals over the years depend strongly on demand, which no one forecasts well; the ranges show how much.",
    "A comparison is like for like only when every model serves the same market at the same service level, each "
    "the way its operator would serve it; the headline says so when one does not.",
)
METHOD_NOTE = (
    "Training: compute from parameters and tokens (or a published figure) on the training hardware, energy at "
    "the facility with its PUE. Each query: a prompt read and an answer (and any reasoning) written on the "
    "deployment that serves it, from a roofline of the hardware calibrated on measured serving energy. Totals: "
    "queries a day along the market's adoption curve, with the rebound of each model's price against the "
    "baseline's. Uncertain inputs carry ranges; 5-95 % bands come from Monte Carlo draws shared by every model."
)


@dataclass(frozen=True, slots=True)
class Brief:
    """The report's first page: the headline per scenario, its chart (markup) and the comparison's own words."""

    headline: Sequence[HeadlineRow]
    verdict_chart: str
    description: str
    served: Sequence[tuple[str, str]] = ()
    """Per scenario, how it is served and why (``verdict.deployment_summary``): like for like is checkable."""


@dataclass(frozen=True, slots=True)
class InputRow:
    scenario: str
    """The appendix section: one distinct preset and the scenarios that use it."""
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
        return quantity_field(type(node), parts[-1]).unit if isinstance(node, BaseModel) else ""
    except (AttributeError, KeyError, TypeError, ValueError):
        return ""


def input_rows(resolved: ResolvedComparison) -> list[InputRow]:
    """Every numeric input the engine samples, each distinct preset once (a datacenter or market that all
    scenarios share is listed once, saying so), with its range and source, in the engine's order."""
    from app.engine.sampling import flatten  # the engine's own list of what it samples

    sections: dict[tuple, tuple[str, list[str], list[tuple[str, Quantity, str]]]] = {}
    for scenario in resolved.scenarios:
        quantities: dict[str, Quantity] = flatten(scenario)
        same_chip = scenario.training_hardware == scenario.hardware
        for part, title in PART_TITLES.items():
            own = ([(path, quantities[path]) for path in SCENARIO_INPUTS] if part == "scenario" else
                   [(path, q) for path, q in quantities.items() if path.startswith(part + ".")])
            if not own or (part == "training_hardware" and same_chip):  # one chip, listed once
                continue
            if part == "hardware" and same_chip:
                title = "Serving and training hardware"
            # A scenario's own inputs are named by the scenarios that share their values, a preset by its name.
            name = "" if part == "scenario" else getattr(getattr(scenario, part, None), "name", None) or scenario.name
            key = (part, name, tuple((path, q.value, q.low, q.high, q.source) for path, q in own))
            if key not in sections:
                sections[key] = (f"{title}: {name}" if name else title, [],
                                 [(path, q, _unit(scenario, path)) for path, q in own])
            sections[key][1].append(scenario.name)
    every = len(resolved.scenarios)
    rows = []
    for heading, users, entries in sections.values():
        label = f"{heading} (every scenario)" if len(users) == every > 1 else f"{heading} ({'; '.join(users)})"
        rows += [InputRow(label, path_label(path), q.value, q.low, q.high, unit, q.source or "", bool(q.assumption))
                 for path, q, unit in entries]
    return rows


def _number(value: float | None) -> str:
    """An input as its file gives it, to six significant figures, never in e-notation."""
    if value is None or not math.isfinite(value):
        return ""
    return number(value, 6)


def _sources(inputs: Sequence[InputRow]) -> dict[tuple[str, bool], int]:
    """Each distinct source (and whether it is an assumption) numbered once, in order of first use."""
    numbered: dict[tuple[str, bool], int] = {}
    for row in inputs:
        if row.source:
            numbered.setdefault((row.source, row.assumption), len(numbered) + 1)
    return numbered


def _appendix_inputs(inputs: Sequence[InputRow], esc: Callable[[str], str]) -> list[str]:
    """Each distinct preset's inputs in a compact table, sources as numbered notes listed once after them."""
    notes = _sources(inputs)
    parts = []
    for section in dict.fromkeys(row.scenario for row in inputs):
        rows = []
        for row in (r for r in inputs if r.scenario == section):
            note = notes.get((row.source, row.assumption))
            cite = f'<a href="#source-{note}">[{note}]</a>' if note else "<em>none given</em>"
            rng = f"{_number(row.low)}–{_number(row.high)}" if row.low is not None and row.high is not None else ""
            rows.append([esc(row.input), _number(row.value), rng, esc(row.unit), cite])
        parts.append(f"<h3>{esc(section)}</h3>")
        parts.append(_table(["Input", "Value", "Range", "Unit", "Source"], rows, {1, 2},
                            ["40%", "15%", "22%", "14%", "9%"], css="inputs"))
    parts.append("<h3>Sources</h3>")
    items = []
    for (source, assumption), note in notes.items():
        label = '<span class="assumption">Assumption:</span> ' if assumption and not source.startswith("Assumption") else ""
        items.append(f'<li id="source-{note}">{label}{esc(source)}</li>')
    parts.append('<ol class="sources">' + "".join(items) + "</ol>")
    return parts


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Collection[int] = frozenset(),
           widths: Sequence[str] = (), css: str = "") -> str:
    head = "".join(f'<th width="{widths[i]}">{html.escape(h)}</th>' if i < len(widths) else f"<th>{html.escape(h)}</th>"
                   for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    kind = f' class="{css}"' if css else ""
    return f'<table{kind} width="100%"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def report_html(
    metadata: ExportMetadata,
    brief: Brief,
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
        "<h2>The answer</h2>",
        # The chart carries each headline in words; without one (one scenario) there is no verdict to draw.
        brief.verdict_chart or "".join(
            f'<p class="headline"><b>{esc(headline_title(row))}.</b> {esc(headline_detail(row))}</p>'
            for row in brief.headline) or "<p>(no verdict: one scenario)</p>",
        f"<p>{esc(brief.description)}</p>" if brief.description else "",
        "<h2>Verdict</h2>",
        "".join(f'<p class="verdict">{esc(line)}</p>' for line in verdict[len(brief.headline):]),
        "<h2>Summary</h2>",
        _table(summary_header, [[esc(c) for c in row] for row in summary], set(range(1, len(summary_header))),
               ["24%"]),
    ]
    if brief.served:
        parts.append("<h2>How each model is served</h2>")
        parts.append(_table(["Scenario", "Deployment"], [[esc(name), esc(text)] for name, text in brief.served],
                            set(), ["24%", "76%"]))
    if equivalents:
        parts.append("<h2>Everyday equivalents</h2>")
        parts.append("<p>Each scenario's median total energy and CO2e over the horizon, set beside published "
                     "everyday figures (sources below).</p>")
        by_scenario: dict[str, list[str]] = {}
        for name, e in equivalents:
            by_scenario.setdefault(name, []).append(e.text)
        parts.append("<ul>" + "".join(f"<li><b>{esc(name)}</b>: {esc('; '.join(texts))}.</li>"
                                      for name, texts in by_scenario.items()) + "</ul>")
        sources = dict.fromkeys(e.source for _, e in equivalents)
        parts.append('<p class="meta">' + " ".join(f"{esc(source)}." for source in sources) + "</p>")
    parts.append("<h2>How it is computed</h2>")
    parts.append(f"<p>{esc(METHOD_NOTE)} The methodology (Help &gt; Methodology in the app, docs/methodology.md) "
                 "gives every equation, assumption and source.</p>")
    parts.append("<h2>Caveats</h2>")
    parts.append("<ul>" + "".join(f"<li>{esc(c)}</li>" for c in CAVEATS) + "</ul>")
    parts.append('<h2 class="appendix">Appendix A: charts</h2>')
    for chart_id, title in charts:
        # Each chart draws its own title; the figure names it for screen readers.
        parts.append(f'<figure id="{esc(chart_id)}" aria-label="{esc(title)}">{chart_markup(chart_id)}</figure>')
    parts.append("<h2>Appendix B: inputs and their sources</h2>")
    parts.append("<p>Every input as the engine used it, each preset once with the scenarios that use it: its "
                 "value, the range sampled (triangular, peaking at the value) and the number of its source.</p>")
    parts += _appendix_inputs(inputs, esc)
    parts.append(f'<p class="meta">Source: {esc(metadata.source)}. Jevons {esc(metadata.version)}, '
                 f"seed {metadata.seed}, {metadata.samples:,} samples.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
