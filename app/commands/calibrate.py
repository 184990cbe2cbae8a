"""``jevons calibrate fit|check``: fit the serving constants to measurements, or score them.

``fit MEASUREMENTS.csv --out FILE`` writes a calibration file (the data it was
fitted on, the constants per accelerator family, the residual spread).
``check MEASUREMENTS.csv [--calibration FILE] [--json] [--chart FILE]`` predicts
every row with a calibration (the shipped one by default) and prints measured
against predicted energy per output token, per request and inter-token latency;
``--chart`` also draws the rows as a log-log chart, one colour per accelerator
family (docs/calibration-residuals.png is one).
Bad input: one line per problem (file, row, column), exit 2, no traceback.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

from app.domain.errors import PresetFileError
from app.session.options import image_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="fit the serving model to measured serving energy, or check it against measurements",
        description="Fit the serving constants to measurements (fit) or score a calibration against them (check).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    fit = actions.add_parser("fit", help="fit a calibration file to a measurements CSV")
    fit.add_argument("measurements", metavar="MEASUREMENTS.csv")
    fit.add_argument("--out", required=True, metavar="FILE", help="calibration file to write")
    check = actions.add_parser("check", help="predict every measured row and report the errors")
    check.add_argument("measurements", metavar="MEASUREMENTS.csv")
    check.add_argument("--calibration", metavar="FILE", help="calibration file (default: the shipped one)")
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument("--chart", metavar="FILE", type=image_path,
                       help="also draw measured against predicted energy per token (FILE.png, .svg or .pdf)")
    parser.set_defaults(handler=run)


def _fail(problems: list[str]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from app.calibration.measurements import read_measurements

    try:
        rows = read_measurements(args.measurements)
    except PresetFileError as error:
        return _fail([str(p) for p in error.problems])
    return _fit(args, rows) if args.action == "fit" else _check(args, rows)


def _fit(args: argparse.Namespace, rows: list) -> int:
    from app.calibration.document import fit_calibration
    from app.domain.files import write_text_atomic

    digest = hashlib.sha256(Path(args.measurements).read_bytes()).hexdigest()
    try:
        document = fit_calibration(rows, Path(args.measurements).name, digest)
    except ValueError as error:
        return _fail([f"{args.measurements}: {error}"])
    try:
        write_text_atomic(args.out, json.dumps(document, indent=2) + "\n")
    except OSError as error:
        print(f"{args.out}: cannot write: {error.strerror or error}", file=sys.stderr)
        return 1
    r, cross = document["residuals"]["in_sample"], document["residuals"]["leave_one_model_out"]
    print(
        f"fitted {document['fitted_on']['fitted_rows']} of {len(rows)} rows "
        f"(families: {', '.join(document['families']) or 'none, shared constants only'}); "
        f"median |log10 error| {r['median_abs_log10_error']:.3f}, {r['within_50_percent']:.0%} within +/-50 %; "
        f"leave-one-model-out {cross['median_abs_log10_error']:.3f}; wrote {args.out}"
    )
    return 0


def check_rows(rows: list, cal) -> dict:
    """The ``--json`` document of ``check``: one entry per row, and a summary over the scored rows."""
    from app.calibration.crossval import median_itl_error
    from app.calibration.fit import predict, residual_summary, scored, skip_reason
    from app.calibration.rows import architecture_source, row_class

    used = scored(rows)
    prediction = predict(used, cal.families, cal.shared) if used else None
    out = []
    for i, m in enumerate(used):
        j = float(prediction.j_per_token[i])
        out.append({
            "row": m.row, "model_id": m.model_id, "task": m.task, "gpu_model": m.gpu_model, "num_gpus": m.num_gpus,
            "avg_batch_size": m.avg_batch_size,
            "measured_j_per_token": m.energy_per_token_j, "predicted_j_per_token": round(j, 6),
            "measured_j_per_request": m.energy_per_request_j, "predicted_j_per_request": round(j * m.avg_output_len, 4),
            "measured_itl_ms": m.median_itl_ms, "predicted_itl_ms": round(float(prediction.itl_ms[i]), 4),
            "architecture_from": architecture_source(m),
            "error_class": row_class(m),
        })
    errors = np.array([np.log10(r["predicted_j_per_token"] / r["measured_j_per_token"]) for r in out])
    itl_errors = np.array([r["predicted_itl_ms"] / r["measured_itl_ms"] - 1 if r["measured_itl_ms"] else np.nan
                           for r in out])
    fitted = residual_summary(errors) if out else {}
    summary = {
        "rows": len(out),
        **{key: round(fitted[key], 4) if out else None
           for key in ("median_abs_log10_error", "within_25_percent", "within_50_percent", "within_2x")},
        "median_itl_error": median_itl_error(itl_errors),
        "calibration": cal.source,
        "by_family": _by_family(out, errors, itl_errors, cal),
        "by_class": _by_class(out, errors, itl_errors, cal),
        "skipped": [{"row": m.row, "reason": skip_reason(m)} for m in rows if m not in used],
    }
    return {"rows": out, "summary": summary}


def _groups(out: list[dict], errors: np.ndarray, itl_errors: np.ndarray, field: str) -> dict[str, dict]:
    """This check's figures per value of the rows' ``field``: rows, :func:`~app.calibration.crossval.spread`
    of the energy errors and :func:`~app.calibration.crossval.median_itl_error`, as the calibration's own
    leave-one-model-out figures are taken."""
    from app.calibration.crossval import median_itl_error, spread

    groups: dict[str, list[int]] = {}
    for i, r in enumerate(out):
        groups.setdefault(r[field], []).append(i)
    return {key: {"rows": len(index), **spread(errors[index]), "median_itl_error": median_itl_error(itl_errors[index])}
            for key, index in sorted(groups.items())}


def _by_class(out: list[dict], errors: np.ndarray, itl_errors: np.ndarray, cal) -> dict:
    """Per model-error class: this check's errors, the calibration's leave-one-model-out residuals
    of the class (what the engine's Monte Carlo draws) and the spread it draws with."""
    lomo = cal.document.get("residuals", {}).get("by_class", {})
    return {
        key: figures | {"leave_one_model_out": lomo.get(key), "model_error_sigma_log10": round(cal.sigma_for(key), 4)}
        for key, figures in _groups(out, errors, itl_errors, "error_class").items()
    }


def _by_family(out: list[dict], errors: np.ndarray, itl_errors: np.ndarray, cal) -> dict:
    """Per accelerator family: this check's errors and the calibration's leave-one-model-out figures of
    the family (median |log10 error| of energy, median latency error), which issue 16's floors bound."""
    lomo = cal.document.get("residuals", {}).get("leave_one_model_out", {}).get("by_family", {})
    return {
        key: figures | {"leave_one_model_out": lomo.get(key)}
        for key, figures in _groups(out, errors, itl_errors, "gpu_model").items()
    }


def _check(args: argparse.Namespace, rows: list) -> int:
    from app.engine import calibration

    try:
        cal = calibration.load(args.calibration) if args.calibration else calibration.shipped()
    except calibration.CalibrationFileError as error:
        return _fail(error.problems)
    document = check_rows(rows, cal)
    if args.chart and document["rows"] and (problem := _draw(document, args.chart)):
        return _fail([problem])
    if args.json:
        print(json.dumps(document, indent=2))
        return 0
    print(f"{'row':>4}  {'model':<44} {'task':<16} {'gpus':>9} {'batch':>7}  {'J/token meas':>12} {'pred':>8}  {'J/request pred':>14}  {'ITL ms meas':>11} {'pred':>7}")
    for r in document["rows"]:
        itl = f"{r['measured_itl_ms']:>11.1f}" if r["measured_itl_ms"] is not None else f"{'-':>11}"
        print(
            f"{r['row']:>4}  {r['model_id'][:44]:<44} {r['task'][:16]:<16} {r['num_gpus']:>3g} x {r['gpu_model']:<5}"
            f"{r['avg_batch_size']:>7.0f}  {r['measured_j_per_token']:>12.4g} {r['predicted_j_per_token']:>8.4g}"
            f"  {r['predicted_j_per_request']:>14.5g}  {itl} {r['predicted_itl_ms']:>7.1f}"
        )
    s = document["summary"]
    # Rows skipped for one reason are one line; the summary comes last, where a reader looks for it.
    reasons: dict[str, list[int]] = {}
    for item in s["skipped"]:
        reasons.setdefault(item["reason"], []).append(item["row"])
    for reason, skipped in reasons.items():
        print(f"skipped {len(skipped)} row{'s' if len(skipped) > 1 else ''} ({row_ranges(skipped)}): {reason}")
    if s["rows"]:
        print(
            f"{s['rows']} rows scored with {s['calibration']}: median |log10 error| of J/token {s['median_abs_log10_error']:.3f}; "
            f"{s['within_25_percent']:.0%} within +/-25 %, {s['within_50_percent']:.0%} within +/-50 %, {s['within_2x']:.0%} within 2x; "
            + (f"median ITL error {s['median_itl_error']:.0%}" if s["median_itl_error"] is not None else "no latency measured")
        )
    for key, f in s["by_family"].items():
        held = f["leave_one_model_out"]
        print(
            f"  {key}: {f['rows']} rows, median |log10 error| {f['median_abs_log10_error']:.3f}"
            + (f", median ITL error {f['median_itl_error']:.0%}" if f["median_itl_error"] is not None else "")
            + (f"; leave-one-model-out {held['median_abs_log10_error']:.3f}" if held else "")
            + (f", ITL {held['median_itl_error']:.0%}" if held and held.get("median_itl_error") is not None else "")
        )
    for key, c in s["by_class"].items():
        held = c["leave_one_model_out"]
        print(
            f"  {key}: {c['rows']} rows, median |log10 error| {c['median_abs_log10_error']:.3f}"
            + (f", leave-one-model-out {held['median_abs_log10_error']:.3f}" if held else "")
            + f"; model error drawn with sigma_log10 {c['model_error_sigma_log10']:.3f}"
        )
    return 0


def _draw(document: dict, path: Path) -> str:
    """Draw the check's rows to ``path``; "" when written, else the problem, naming the file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawing a file never needs a screen
    from app.render.offscreen import render_calibration_chart
    from app.report.formats import ExportError

    try:
        render_calibration_chart(document, path)
    except ExportError as error:
        return f"--chart: {error}"
    except OSError as error:
        return f"--chart: {path}: cannot write it: {error.strerror or error}"
    return ""


def row_ranges(rows: list[int]) -> str:
    """Row numbers as runs: "rows 3, 7-9" reads better than five numbers (en dash between the ends)."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
