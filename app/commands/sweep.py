"""``jevons sweep FILE --scenario NAME --x PATH=LOW:HIGH:N --y PATH=LOW:HIGH:N``: the verdict map headless.

Prints the map as a table of median energy ratios (rows: y, columns: x), or
with ``--json`` / ``--csv`` its every cell (median, 5-95 % band, probability
of using more energy than the baseline), or writes it as a PNG with
``--png PATH``. An input the scenario shares with the baseline (the same value
and range, such as the market or a datacenter both use) is set on both sides;
any other on the scenario alone, and its label (in the table, the image, the
JSON and the CSV's ``#`` lines) names the scenario. ``jevons sweep FILE --list`` prints every input that can be
swept, one per line: ``PATH LOW HIGH UNIT`` (its range, or the field's
bounds). Paths of format-2 files (``usage.price_elasticity``,
``usage.demand.…``) are accepted. Bad input gets one line naming the option
and the problem, and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app.commands.comparison_file import add_comparison_argument, engine_failure, resolve_or_report
from app.domain.library import ResolvedComparison
from app.domain.quoting import terminal_safe
from app.engine.hardware import boundary_level
from app.engine.variants import VARIANT_SAMPLES, InputInfo, Sweep, SweepInputError, input_info, sweepable_inputs
from app.numbers import number
from app.report.formats import ExportError
from app.report.verdict_map import MAX_POINTS, VerdictMap, compute_map, impossible_point
from app.session.options import add_seed_option, image_path, sample_count


class OptionError(ValueError):
    """A bad option value; the message starts with the option's name."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="map a scenario's energy ratio to the baseline over two inputs",
        description="Sweep two inputs of one scenario over a grid and report, at each point, the paired ratio "
        "of its cumulative energy to the baseline's (median, 5-95 % band) and the probability of using more.",
    )
    add_comparison_argument(parser)
    parser.add_argument("--list", action="store_true", help="print every input that can be swept: PATH LOW HIGH UNIT")
    parser.add_argument("--scenario", metavar="NAME", help="the scenario to sweep (not the baseline)")
    parser.add_argument("--x", metavar="PATH=LOW:HIGH:N", help="input along the horizontal axis")
    parser.add_argument("--y", metavar="PATH=LOW:HIGH:N", help="input along the vertical axis")
    parser.add_argument("--samples", default=str(VARIANT_SAMPLES), metavar="S",
                        help=f"Monte Carlo samples per grid point (default {VARIANT_SAMPLES})")
    add_seed_option(parser)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the map as JSON")
    output.add_argument("--csv", action="store_true",
                        help="print the map as CSV, one row per cell, under # lines naming each axis in words")
    output.add_argument("--png", metavar="PATH", type=image_path,
                        help="write the map as an image: PATH.png, or .svg or .pdf by its suffix")
    parser.set_defaults(handler=run)


def _bound_text(value: float | None, fallback: str) -> str:
    return fallback if value is None else f"{value:g}"


def list_line(info: InputInfo) -> str:
    """``PATH LOW HIGH UNIT``: the input's range, or the field's bounds where it has none."""
    if info.has_range:
        low, high = f"{info.low:g}", f"{info.high:g}"
    else:
        bounds = info.bounds
        low = _bound_text(bounds.lower, "-inf")
        high = _bound_text(bounds.upper, "inf")
    return f"{info.path} {low} {high} {info.unit.replace(' ', '_') or '-'}"


@dataclass(frozen=True, slots=True)
class AxisOption:
    path: str
    low: float
    high: float
    points: int


def parse_axis(option: str, text: str | None, comparison: ResolvedComparison, index: int) -> AxisOption:
    """``PATH=LOW:HIGH:N`` checked against the scenario: the path exists, LOW < HIGH, 2 <= N <= 200, in bounds."""
    if text is None:
        raise OptionError(f"{option}: required, as PATH=LOW:HIGH:N")
    path, equals, spec = text.partition("=")
    parts = spec.split(":")
    if not equals or not path or len(parts) != 3:
        raise OptionError(f"{option}: expected PATH=LOW:HIGH:N, got {text!r}")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise OptionError(f"{option}: LOW and HIGH must be numbers, got {parts[0]!r} and {parts[1]!r}") from None
    try:
        points = int(parts[2])
    except ValueError:
        raise OptionError(f"{option}: N must be a whole number, got {parts[2]!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise OptionError(f"{option}: LOW and HIGH must be finite numbers")
    if low >= high:
        raise OptionError(f"{option}: LOW must be below HIGH, got {low:g} >= {high:g}")
    if not 2 <= points <= MAX_POINTS:
        raise OptionError(f"{option}: N must be from 2 to {MAX_POINTS}, not {points}")
    try:
        info = input_info(comparison.scenarios[index], path)
    except SweepInputError as error:
        raise OptionError(f"{option}: {error} (see --list)") from None
    for end in (low, high):
        if not info.bounds.admits(end):
            raise OptionError(f"{option}: {end:g} is impossible for {info.path}: must be {info.bounds.describe()}")
    level = boundary_level(comparison.boundary)
    if problem := impossible_point(comparison.scenarios[index], info.path, low, high, points, level):
        raise OptionError(f"{option}: {problem}")
    return AxisOption(info.path, low, high, points)


def _check_varies(option: str, axis: AxisOption, comparison: ResolvedComparison, index: int, seed: int) -> None:
    """An input that changes no ratio of this scenario to the baseline cannot be mapped."""
    sweep = Sweep(comparison, index, samples=8, seed=seed)
    ratios = sweep.ratios({axis.path: [axis.low, axis.high]}).energy
    if ratios.shape[0] == 2 and (ratios[0] == ratios[1]).all():
        shared = " (the baseline shares it, the same value and range, so it moves both sides)"
        raise OptionError(f"{option}: {axis.path} cannot vary the verdict: it changes no energy ratio to the "
                          f"baseline{shared if axis.path in sweep.shared else ''}")


def _scenario_index(comparison: ResolvedComparison, name: str | None) -> int:
    names = [s.name for s in comparison.scenarios]
    if name is None:
        raise OptionError("--scenario: required; one of: " + ", ".join(names))
    if name not in names:
        raise OptionError(f"--scenario: no scenario {name!r}; one of: " + ", ".join(names))
    index = names.index(name)
    if index == comparison.baseline_index:
        raise OptionError(f"--scenario: {name!r} is the baseline; a map compares another scenario against it")
    return index


def _samples(text: str) -> int:
    """``--samples`` by the rule every command's samples follow (``app.session.options.sample_count``), read
    after ``--list`` (which needs none) and reported as the other options are."""
    try:
        return sample_count(text)
    except argparse.ArgumentTypeError as error:
        raise OptionError(f"--samples: {error}") from None


def text_table(verdict_map: VerdictMap) -> str:
    """Median energy ratios, rows from the highest y down, as a reader scans a map; inputs named in words
    with their units, numbers with a true minus (the paths are in ``--json``)."""
    def cell(value: float, width: int) -> str:
        return number(value).rjust(width)

    x, y = verdict_map.x, verdict_map.y
    lines = [
        f"{verdict_map.scenario} against {verdict_map.baseline}: median ratio of cumulative energy "
        f"({verdict_map.samples} samples per cell; above 1: more energy)",
        f"rows: {y.label} ({y.unit}); columns: {x.label} ({x.unit})",
        *(note for axis in (x, y) if (note := axis.fewer_note())),
        " " * 10 + " ".join(cell(value, 8) for value in x.values),
    ]
    for j in range(len(y.values) - 1, -1, -1):
        lines.append(f"{cell(y.values[j], 9)} " + " ".join(cell(v, 8) for v in verdict_map.median[j]))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    resolved = resolve_or_report(args.file)
    if resolved is None:
        return 2
    try:
        if args.list:
            if args.scenario is not None:
                scenarios = [resolved.scenarios[_scenario_index(resolved, args.scenario)]]
            else:
                scenarios = [s for i, s in enumerate(resolved.scenarios) if i != resolved.baseline_index]
            seen: dict[str, str] = {}
            for scenario in scenarios or resolved.scenarios:
                for info in sweepable_inputs(scenario):
                    seen.setdefault(info.path, list_line(info))
            print("\n".join(seen.values()))
            return 0
        samples = _samples(args.samples)
        index = _scenario_index(resolved, args.scenario)
        x = parse_axis("--x", args.x, resolved, index)
        y = parse_axis("--y", args.y, resolved, index)
        if x.path == y.path:
            raise OptionError(f"--y: the same input as --x ({x.path}); choose two different inputs")
        _check_varies("--x", x, resolved, index, args.seed)
        _check_varies("--y", y, resolved, index, args.seed)
    except OptionError as error:
        print(f"jevons sweep: {error}", file=sys.stderr)
        return 2
    try:
        verdict_map = compute_map(
            resolved, index, (x.path, x.low, x.high, x.points), (y.path, y.low, y.high, y.points), samples, args.seed
        )
    except Exception as error:  # reported plainly, never as a traceback
        return engine_failure("sweep", args.file, error)
    if args.json:
        print(json.dumps(verdict_map.document(), indent=2, allow_nan=False))
    elif args.csv:
        print("\n".join(verdict_map.csv_comments()))
        csv.writer(sys.stdout, lineterminator="\n").writerows(verdict_map.csv_rows())
    elif args.png:
        try:
            _write_png(verdict_map, args.png)
        except ExportError as error:
            print(f"jevons sweep: --png: {error}", file=sys.stderr)
            return 1
        except OSError as error:
            print(f"jevons sweep: --png: cannot write {args.png}: {error.strerror or error}", file=sys.stderr)
            return 1
        print(args.png)
    else:
        print(terminal_safe(text_table(verdict_map)))
    return 0


def _write_png(verdict_map: VerdictMap, path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # rendering never needs a screen
    from app.render.offscreen import render_verdict_map_png

    render_verdict_map_png(verdict_map, path)
