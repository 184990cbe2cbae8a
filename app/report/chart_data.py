"""What each chart and the summary table show, computed from an engine result. No Qt.

The chart widgets draw these tables and the CSV export writes them, so the
picture and the data file always agree. Values are kept in base units (Wh,
tCO2e, m³, USD); the views choose a prefix for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from app.domain.library import ResolvedComparison, ResolvedScenario
from app.engine.results import TRAINING_PHASES, Band, ComparisonResult, percentiles
from app.report.figures import CO2e, Crossover, band, co2e, crossover, paired_ratio
from app.report.palette import scenario_colors
from app.report.verdict import verdict_lines

PHASE_LABELS = {"pretraining": "Pre-training", "sft": "SFT", "rl": "RL post-training", "overhead": "Experiment overhead"}
INFERENCE_PARTS = (("prefill_wh", "Prefill"), ("answer_wh", "Answer"), ("reasoning_wh", "Reasoning"))
CSV_COLUMNS = ("chart", "scenario", "series", "x", "x_unit", "median", "p5", "p95", "unit")

Row = tuple[str, str, str, str, str, float, float, float, str]

@dataclass(frozen=True, slots=True)
class StackedMetric:
    """One stacked-bar panel: per scenario, segments stacked to a total with a band."""

    title: str
    unit: str
    """Base unit, a key of ``app.report.units.LADDERS``."""
    segments: tuple[str, ...]
    medians: np.ndarray
    """Median of each segment, shape (segments, scenarios)."""
    p5: np.ndarray
    p95: np.ndarray
    """Per-segment 5th and 95th percentiles, shape (segments, scenarios)."""
    total: tuple[np.ndarray, np.ndarray, np.ndarray]
    """(p5, median, p95) of the total, each of shape (scenarios,)."""


@dataclass(frozen=True, slots=True)
class Series:
    """A curve over x with a 5-95 % band."""

    x: np.ndarray
    median: np.ndarray
    p5: np.ndarray
    p95: np.ndarray


@dataclass(frozen=True, slots=True)
class TornadoData:
    """One-at-a-time sensitivity of one metric of one scenario (engine's ``sensitivity``)."""

    scenario: str
    color: str
    metric: str
    """Key of ``app.engine.METRICS``."""
    label: str
    unit: str
    central: float
    bars: tuple  # of app.engine.SensitivityBar, largest swing first
    error: str = ""
    """Why the sensitivity could not be computed ("" when it was)."""


@dataclass(frozen=True)
class ChartInputs:
    """An engine result with the inputs it was computed from, and the tables drawn from it.

    The tables are computed once, on first use; the engine thread calls
    :meth:`prepare` so that the GUI thread only draws. ``tornado`` is the
    sensitivity of the scenario being edited, when it was asked for.
    """

    resolved: ResolvedComparison
    result: ComparisonResult
    tornado: TornadoData | None = None

    @property
    def samples(self) -> int:
        return self.result.samples

    @cached_property
    def verdict(self) -> list[str]:
        """The verdict lines shown above the summary (``app.report.verdict.verdict_lines``)."""
        return verdict_lines(self.resolved, self.result)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.result.scenarios]

    @property
    def colors(self) -> list[str]:
        return scenario_colors([s.color for s in self.result.scenarios])

    @cached_property
    def training(self) -> TrainingSpendData:
        return training_spend(self)

    @cached_property
    def inference(self) -> InferenceCostData:
        return inference_cost(self)

    @cached_property
    def adoption(self) -> AdoptionTotalsData:
        return adoption_totals(self)

    @cached_property
    def summary(self) -> list[SummaryRow]:
        return summary(self)

    def prepare(self) -> ChartInputs:
        """Compute every table now (on the engine thread); returns self."""
        for name in ("training", "inference", "adoption", "summary", "verdict"):
            getattr(self, name)
        return self


def shares(metric: StackedMetric) -> StackedMetric:
    """Each segment's median as a percentage of the segments' summed medians, per scenario.

    Shows phases too small to see beside the largest bar (R1's RL stage beside
    Llama's pre-training); whiskers vanish, as the total is 100 % by construction.
    """
    total = metric.medians.sum(axis=0)
    percent = metric.medians / np.where(total > 0, total, 1.0) * 100.0
    hundred = np.where(total > 0, 100.0, 0.0)
    return StackedMetric(f"{metric.title} share", "%", metric.segments, percent, percent, percent,
                         (hundred, hundred, hundred))


def _stack(title: str, unit: str, segments: tuple[str, ...], per_scenario: list[np.ndarray], total: list[np.ndarray]) -> StackedMetric:
    """Build a panel from per-scenario arrays of shape (segments, samples)."""
    p5, med, p95 = (np.stack(a, axis=1) for a in zip(*(percentiles(x) for x in per_scenario), strict=True))
    tot = [percentiles(t) for t in total]
    return StackedMetric(
        title=title,
        unit=unit,
        segments=segments,
        medians=med,
        p5=p5,
        p95=p95,
        total=tuple(np.array([t[i] for t in tot]) for i in range(3)),  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- training spend


@dataclass(frozen=True, slots=True)
class TrainingSpendData:
    names: list[str]
    colors: list[str]
    metrics: tuple[StackedMetric, ...]
    """Energy, CO2e, water and spend, each split by training phase."""
    co2e: list[CO2e]
    """Each scenario's training CO2e, operational and embodied."""


TRAINING_METRICS = (
    ("energy_mwh", "Energy", "Wh", 1e6),
    ("co2e_t", "CO₂e", "tCO2e", 1.0),
    ("water_m3", "Water", "m3", 1.0),
    ("cost_usd", "Spend", "USD", 1.0),
)


def training_spend(inputs: ChartInputs) -> TrainingSpendData:
    segments = tuple(PHASE_LABELS[p] for p in TRAINING_PHASES)
    metrics = []
    for attribute, title, unit, factor in TRAINING_METRICS:
        arrays = [np.asarray(getattr(s.training, attribute), dtype=float) * factor for s in inputs.result.scenarios]
        metrics.append(_stack(title, unit, segments, arrays, [a.sum(axis=0) for a in arrays]))
    carbon = [co2e(s.training.total("co2e_t"), s.training.total("embodied_co2e_t")) for s in inputs.result.scenarios]
    return TrainingSpendData(inputs.names, inputs.colors, tuple(metrics), carbon)


# ---------------------------------------------------------------- inference cost


def reasoning_tokens(scenario: ResolvedScenario) -> float | None:
    """Reasoning tokens of one reasoning-mode query of this scenario (None: no reasoning)."""
    if scenario.model.reasoning is None or scenario.usage.reasoning_share.value == 0:
        return None
    if scenario.usage.reasoning_tokens_per_query is not None:
        return scenario.usage.reasoning_tokens_per_query.value
    return scenario.model.reasoning.reasoning_tokens_per_query.value


@dataclass(frozen=True, slots=True)
class InferenceCostData:
    names: list[str]
    colors: list[str]
    breakdown: StackedMetric
    """Wh per query split into prefill / answer / reasoning."""
    vs_reasoning: list[Series]
    """Wh of a reasoning-mode query against its reasoning length, per scenario."""
    own_reasoning: list[tuple[float, float] | None]
    """(tokens, median Wh) of a reasoning query at each scenario's own reasoning length, or None."""


def inference_cost(inputs: ChartInputs) -> InferenceCostData:
    segments = tuple(label for _, label in INFERENCE_PARTS)
    arrays = [
        np.stack([np.asarray(getattr(s.inference, attribute), dtype=float) for attribute, _ in INFERENCE_PARTS])
        for s in inputs.result.scenarios
    ]
    totals = [np.asarray(s.inference.wh_per_query, dtype=float) for s in inputs.result.scenarios]
    breakdown = _stack("Energy per query", "Wh", segments, arrays, totals)
    curves, own = [], []
    for scenario, resolved in zip(inputs.result.scenarios, inputs.resolved.scenarios, strict=True):
        grid = np.asarray(scenario.inference.reasoning_grid_tokens, dtype=float)
        p5, med, p95 = percentiles(np.asarray(scenario.inference.wh_vs_reasoning, dtype=float))
        curves.append(Series(grid, np.atleast_1d(med), np.atleast_1d(p5), np.atleast_1d(p95)))
        tokens = reasoning_tokens(resolved)
        own.append(None if tokens is None else (tokens, band(scenario.inference.wh_per_reasoning_query).median))
    return InferenceCostData(inputs.names, inputs.colors, breakdown, curves, own)


# ---------------------------------------------------------------- adoption totals


@dataclass(frozen=True, slots=True)
class AdoptionScenario:
    training: Series
    inference: Series
    inference_no_rebound: Series
    crossover: Crossover
    """Month cumulative inference overtakes training (its median is +inf when most samples never cross)."""
    crossover_energy_wh: float | None
    """Cumulative training energy at the crossover month (where the marker sits)."""


@dataclass(frozen=True, slots=True)
class AdoptionTotalsData:
    names: list[str]
    colors: list[str]
    scenarios: list[AdoptionScenario]


def _series(x: np.ndarray, samples: np.ndarray, factor: float = 1.0) -> Series:
    p5, med, p95 = percentiles(np.asarray(samples, dtype=float) * factor)
    return Series(np.asarray(x, dtype=float), med, p5, p95)


def adoption_totals(inputs: ChartInputs) -> AdoptionTotalsData:
    scenarios = []
    for s in inputs.result.scenarios:
        t = s.totals
        training = _series(t.months, t.training_energy_mwh, 1e6)
        crossing = crossover(t.crossover_month)
        at = None
        if crossing.crosses:
            at = float(np.interp(crossing.median, training.x, training.median))
        scenarios.append(
            AdoptionScenario(
                training=training,
                inference=_series(t.months, t.inference_energy_mwh, 1e6),
                inference_no_rebound=_series(t.months, t.inference_energy_no_rebound_mwh, 1e6),
                crossover=crossing,
                crossover_energy_wh=at,
            )
        )
    return AdoptionTotalsData(inputs.names, inputs.colors, scenarios)


# ---------------------------------------------------------------- summary


RATIO_FIGURES = ("training_wh", "wh_per_query", "lifetime_wh", "lifetime_co2e_t")
"""Summary figures shown with their paired ratio to the baseline."""


@dataclass(frozen=True, slots=True)
class SummaryRow:
    name: str
    color: str
    baseline: bool
    training_wh: Band
    wh_per_query: Band
    lifetime_wh: Band
    """Training plus inference energy over the whole horizon."""
    lifetime_co2e_t: Band
    lifetime_co2e: CO2e
    """``lifetime_co2e_t`` with its operational and embodied parts."""
    crossover: Crossover
    rebound_change: Band
    horizon_months: int
    ratios: dict[str, Band]
    """Paired ratio to the baseline of each of :data:`RATIO_FIGURES` (the baseline's is 1)."""
    accelerators_per_replica: float = float("nan")
    """Median accelerators holding one copy of the model (the deployment's, or sized by memory)."""
    effective_batch: float = float("nan")
    """Median sequences one replica decodes together (after the cap, speed target and KV memory)."""
    probability_more_energy: float = 0.0
    """Share of samples in which the scenario uses more energy over the horizon than the baseline."""


def summary_samples(result) -> dict[str, np.ndarray]:  # noqa: ANN001 - a ScenarioResult
    """The samples behind each of :data:`RATIO_FIGURES`."""
    return {
        "training_wh": result.training.total("energy_mwh") * 1e6,
        "wh_per_query": np.asarray(result.inference.wh_per_query, dtype=float),
        "lifetime_wh": result.totals.total_energy_mwh[-1] * 1e6,
        "lifetime_co2e_t": np.asarray(result.totals.horizon_co2e_t, dtype=float),
    }


def summary(inputs: ChartInputs) -> list[SummaryRow]:
    rows = []
    base = summary_samples(inputs.result.baseline)
    for index, (s, color) in enumerate(zip(inputs.result.scenarios, inputs.colors, strict=True)):
        t = s.totals
        samples = summary_samples(s)
        carbon = co2e(t.horizon_co2e_t, t.horizon_embodied_co2e_t)
        rows.append(
            SummaryRow(
                name=s.name,
                color=color,
                baseline=index == inputs.result.baseline_index,
                training_wh=band(samples["training_wh"]),
                wh_per_query=band(samples["wh_per_query"]),
                lifetime_wh=band(samples["lifetime_wh"]),
                lifetime_co2e_t=carbon.total,
                lifetime_co2e=carbon,
                crossover=crossover(t.crossover_month),
                rebound_change=band(t.rebound_change),
                horizon_months=int(np.asarray(t.months)[-1]),
                ratios={key: paired_ratio(samples[key], base[key]) for key in RATIO_FIGURES},
                accelerators_per_replica=float(np.median(s.inference.accelerators_per_replica)),
                effective_batch=float(np.median(s.inference.effective_batch)),
                probability_more_energy=float(np.mean(samples["lifetime_wh"] > base["lifetime_wh"])),
            )
        )
    return rows


# ---------------------------------------------------------------- sensitivity

TORNADO_BARS = 10
TORNADO_METRICS = {
    "cumulative_energy_mwh": "energy over the horizon",
    "wh_per_query": "energy per query",
    "training_energy_mwh": "training energy",
    "cumulative_co2e_t": "CO₂e over the horizon",
    "co2e_g_per_query": "CO₂e per query",
    "usd_per_query": "cost per query",
    "training_cost_usd": "training cost",
}
"""Metrics of ``app.engine.METRICS`` offered for the tornado, as the sentence ends."""
DEFAULT_TORNADO_METRIC = "cumulative_energy_mwh"


def tornado(resolved: ResolvedComparison, index: int, metric: str) -> TornadoData:
    """The inputs that move ``metric`` of scenario ``index`` most, one at a time."""
    from app.engine import METRICS, sensitivity  # the engine thread imports the engine

    scenario = resolved.scenarios[index]
    bars = sensitivity(resolved, index, metric)
    info = METRICS[metric]
    color = scenario_colors([s.color for s in resolved.scenarios])[index]
    central = bars[0].central if bars else math.nan
    return TornadoData(scenario.name, color, metric, info.label, info.unit, central, tuple(bars[:TORNADO_BARS]))


def tornado_rows(data: TornadoData) -> list[Row]:
    return [
        ("sensitivity", data.scenario, f"{data.label}: {bar.label} {bar.low:g} to {bar.high:g} {bar.unit}".strip(),
         "", "", data.central, bar.metric_low, bar.metric_high, data.unit)
        for bar in data.bars
    ]


# ---------------------------------------------------------------- CSV rows


def _stack_rows(chart: str, names: list[str], metric: StackedMetric) -> list[Row]:
    rows: list[Row] = []
    for j, name in enumerate(names):
        for i, segment in enumerate(metric.segments):
            rows.append(
                (chart, name, f"{metric.title}: {segment}", "", "", float(metric.medians[i, j]),
                 float(metric.p5[i, j]), float(metric.p95[i, j]), metric.unit)
            )
        rows.append(
            (chart, name, f"{metric.title}: total", "", "", float(metric.total[1][j]),
             float(metric.total[0][j]), float(metric.total[2][j]), metric.unit)
        )
    return rows


def _series_rows(chart: str, name: str, label: str, series: Series, x_unit: str, unit: str) -> list[Row]:
    return [
        (chart, name, label, f"{x:g}", x_unit, float(m), float(lo), float(hi), unit)
        for x, m, lo, hi in zip(series.x, series.median, series.p5, series.p95, strict=True)
    ]


def training_spend_rows(data: TrainingSpendData) -> list[Row]:
    rows = [row for metric in data.metrics for row in _stack_rows("training-spend", data.names, metric)]
    for name, carbon in zip(data.names, data.co2e, strict=True):
        for part in ("operational", "embodied"):
            figure = getattr(carbon, part)
            rows.append(("training-spend", name, f"CO₂e: {part}", "", "", figure.median, figure.p5, figure.p95, "tCO2e"))
    return rows


def inference_cost_rows(data: InferenceCostData) -> list[Row]:
    rows = _stack_rows("inference-cost", data.names, data.breakdown)
    for name, series in zip(data.names, data.vs_reasoning, strict=True):
        rows += _series_rows("inference-cost", name, "Wh per reasoning query vs reasoning length", series, "tokens", "Wh")
    return rows


def adoption_totals_rows(data: AdoptionTotalsData) -> list[Row]:
    rows: list[Row] = []
    for name, s in zip(data.names, data.scenarios, strict=True):
        rows += _series_rows("adoption-totals", name, "Cumulative training energy", s.training, "month", "Wh")
        rows += _series_rows("adoption-totals", name, "Cumulative inference energy", s.inference, "month", "Wh")
        rows += _series_rows(
            "adoption-totals", name, "Cumulative inference energy without rebound", s.inference_no_rebound, "month", "Wh"
        )
        rows.append(("adoption-totals", name, "Inference overtakes training", "", "month",
                     s.crossover.median, s.crossover.p5, s.crossover.p95, "month"))
        rows.append(("adoption-totals", name, "Share of samples never overtaking", "", "",
                     s.crossover.share_never, s.crossover.share_never, s.crossover.share_never, "fraction"))
    return rows


SUMMARY_RATIO_LABELS = {
    "training_wh": "Training energy",
    "wh_per_query": "Energy per query",
    "lifetime_wh": "Energy over the horizon",
    "lifetime_co2e_t": "CO2e over the horizon",
}


def summary_rows(rows: list[SummaryRow]) -> list[Row]:
    out: list[Row] = []
    for row in rows:
        months = row.horizon_months
        for label, figure, unit in (
            ("Training energy", row.training_wh, "Wh"),
            ("Energy per query", row.wh_per_query, "Wh"),
            (f"Energy over {months} months", row.lifetime_wh, "Wh"),
            (f"CO2e over {months} months", row.lifetime_co2e.total, "tCO2e"),
            (f"CO2e over {months} months, operational", row.lifetime_co2e.operational, "tCO2e"),
            (f"CO2e over {months} months, embodied", row.lifetime_co2e.embodied, "tCO2e"),
            ("Rebound: change in inference energy against none", row.rebound_change, "fraction"),
            ("Inference overtakes training", row.crossover, "month"),
        ):
            out.append(("summary", row.name, label, "", "", figure.median, figure.p5, figure.p95, unit))
        for label, value, unit in (
            ("Accelerators per replica", row.accelerators_per_replica, "accelerators"),
            ("Sequences per replica (batch)", row.effective_batch, "sequences"),
        ):
            out.append(("summary", row.name, label, "", "", value, value, value, unit))
        never = row.crossover.share_never
        out.append(("summary", row.name, "Share of samples never overtaking", "", "", never, never, never, "fraction"))
        more = row.probability_more_energy
        out.append(("summary", row.name, "Probability of using more energy than the baseline", "", "",
                    more, more, more, "fraction"))
        for key, ratio in row.ratios.items():
            out.append(("summary", row.name, f"{SUMMARY_RATIO_LABELS[key]} / baseline (paired)", "", "",
                        ratio.median, ratio.p5, ratio.p95, "ratio"))
    return out
