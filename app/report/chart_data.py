"""What each chart and the summary table show, computed from an engine result. No Qt.

The chart widgets draw these tables and the CSV export writes them, so the
picture and the data file always agree. Values are kept in base units (Wh,
tCO2e, m³, USD); the views choose a prefix for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from app.engine.results import TRAINING_PHASES, Band, ComparisonResult, InferenceResult, TotalsResult
from app.numbers import span
from app.remembered import remembered
from app.report.equivalents import Equivalent
from app.report.figures import CO2e, Crossover, Percentiles, stacked_percentiles
from app.report.headline import HeadlineRow
from app.report.palette import scenario_colors
from app.report.reduction import ComparisonFigures, Part, ReasoningPoint, reduce, totals_figures

if TYPE_CHECKING:  # the window reads these tables before the domain models load
    from app.domain.library import ResolvedComparison
    from app.engine.variants import BreakEven

WH_PER_MWH = 1e6
"""The engine and the reduction keep energy in MWh; the charts and the summary draw it in Wh."""
PHASE_LABELS = {"pretraining": "Pre-training", "sft": "SFT", "rl": "RL post-training", "overhead": "R&D and experiments"}
INFERENCE_PARTS = (("prefill_wh", "Prefill"), ("answer_wh", "Answer"), ("reasoning_wh", "Reasoning"))
Row = tuple[str, str, str, str, str, float, float, float, str]
"""One figure of a chart as its CSV writes it: (chart, scenario, series, x, x_unit, median, p5, p95, unit);
``app.report.tidy`` splits ``series`` into metric and part."""

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

    @property
    def heights(self) -> np.ndarray:
        """Each segment's drawn height, shape (segments, scenarios): the total's median split in
        proportion to the segments' medians. Medians do not add up (R1's per-query parts' medians
        sum to 6 % less than its total's), and a bar must stand as tall as the figure the summary
        gives; its readout still gives each part's own median."""
        summed = self.medians.sum(axis=0)
        return self.medians * np.where(summed > 0, self.total[1] / np.where(summed > 0, summed, 1.0), 1.0)


@dataclass(frozen=True, slots=True)
class Series:
    """A curve over x with a 5-95 % band."""

    x: np.ndarray
    median: np.ndarray
    p5: np.ndarray
    p95: np.ndarray


@dataclass(frozen=True, slots=True)
class TornadoData:
    """Sensitivity of one metric of one scenario (engine's ``sensitivity``): its Monte Carlo median with each
    input pinned at either end of its range and the rest drawn."""

    scenario: str
    color: str
    metric: str
    """Key of ``app.engine.sensitivity.METRICS``."""
    label: str
    unit: str
    central: float
    """The metric's median with every input drawn (the bars' common centre)."""
    bars: tuple  # of app.engine.sensitivity.SensitivityBar, largest swing first
    error: str = ""
    """Why the sensitivity could not be computed ("" when it was)."""

    @property
    def samples(self) -> int:
        """Monte Carlo samples behind each median (1: nothing was drawn, the medians are central runs)."""
        return self.bars[0].samples if self.bars else 0


@dataclass(frozen=True)
class ChartInputs:
    """An engine result with the inputs it was computed from, and the tables drawn from it.

    The tables are computed once, on first use; the engine thread calls
    :meth:`prepare` so that the GUI thread only draws. Each scenario's part is
    computed once per engine result (``app.remembered``): after an edit,
    only the edited scenario's percentiles are taken again. ``tornado`` is the
    sensitivity of the scenario being edited, when it was asked for.
    """

    resolved: ResolvedComparison
    result: ComparisonResult
    tornado: TornadoData | None = None
    flips: dict[int, BreakEven] | None = None
    """Per scenario index, where along the price elasticity its verdict flips, where it was searched."""

    @property
    def samples(self) -> int:
        return self.result.samples

    @cached_property
    def figures(self) -> ComparisonFigures:
        """Every reported figure of the result (``app.report.reduction``), which the tables format."""
        return reduce(self.result)

    @cached_property
    def verdict(self) -> list[str]:
        """The verdict lines shown above the summary (``app.report.verdict.verdict_lines``)."""
        from app.report.verdict import verdict_lines  # computed on the engine thread, with the domain loaded

        return verdict_lines(self.resolved, self.result)

    @cached_property
    def headline(self) -> list[HeadlineRow]:
        """The answer per scenario (``app.report.verdict.headline_rows``)."""
        from app.report.verdict import headline_rows  # computed on the engine thread, with the domain loaded

        return headline_rows(self.resolved, self.result, self.flips)

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
        for name in ("figures", "training", "inference", "adoption", "summary", "verdict", "headline"):
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


def _stack(title: str, unit: str, segments: tuple[str, ...], per_scenario: list[tuple[Percentiles, Percentiles]]) -> StackedMetric:
    """Build a panel from each scenario's (segment percentiles, total percentiles)."""
    p5, med, p95 = (np.stack(a, axis=1) for a in zip(*(parts for parts, _ in per_scenario), strict=True))
    return StackedMetric(
        title=title,
        unit=unit,
        segments=segments,
        medians=med,
        p5=p5,
        p95=p95,
        total=tuple(np.hstack([total[i] for _, total in per_scenario]) for i in range(3)),  # type: ignore[arg-type]
    )


def _scaled(band: Band, factor: float) -> Band:
    return Band(band.median * factor, band.p5 * factor, band.p95 * factor)


def _scaled_part(part: Part, factor: float) -> Part:
    return Part(part.mean * factor, part.p5 * factor, part.p95 * factor)


def _figure_stack(bands: list[Band]) -> Percentiles:
    """Reported figures as the (p5, median, p95) arrays a stacked bar draws."""
    return tuple(np.array([getattr(b, name) for b in bands]) for name in ("p5", "median", "p95"))  # type: ignore[return-value]


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
    ("energy_mwh", "Energy", "Wh", WH_PER_MWH),
    ("co2e_t", "CO₂e", "tCO2e", 1.0),
    ("water_m3", "Water", "m3", 1.0),
    ("cost_usd", "Spend", "USD", 1.0),
)
"""Each panel: the reduction's figure (``TrainingFigures.by_phase``), title, base unit and factor to it."""


def training_spend(inputs: ChartInputs) -> TrainingSpendData:
    segments = tuple(PHASE_LABELS[p] for p in TRAINING_PHASES)
    figures = [s.training for s in inputs.figures.scenarios]
    metrics = tuple(
        _stack(title, unit, segments, [
            (_figure_stack([_scaled(f.by_phase[name][phase], factor) for phase in TRAINING_PHASES]),
             _figure_stack([_scaled(f.figures[name], factor)]))
            for f in figures])
        for name, title, unit, factor in TRAINING_METRICS)
    return TrainingSpendData(inputs.names, inputs.colors, metrics, [f.co2e for f in figures])


# ---------------------------------------------------------------- inference cost


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

    def sets_the_range(self) -> list[bool]:
        """Per scenario, whether its reasoning curve sets the panel's range: a scenario whose model reasons
        (it has its own point on its curve) does. The curve of a model that does not reason says what its
        queries would cost if it did: it is drawn within that range, never stretching it (Llama 3.1 405B's
        at 32k tokens reads 200 Wh and would flatten DeepSeek-R1's). When no scenario reasons, every one does."""
        reasons = [own is not None for own in self.own_reasoning]
        return reasons if any(reasons) else [True] * len(reasons)


def _reasoning_curve(inference: InferenceResult, point: ReasoningPoint | None) -> Series:
    """Wh of a reasoning-mode query against its reasoning length, through the scenario's own point: the
    engine computes that point as a row of the same table, so the marker lies on the curve as drawn and exported."""
    p5, med, p95 = (np.atleast_1d(a) for a in stacked_percentiles([inference.wh_vs_reasoning])[0])
    grid = np.asarray(inference.reasoning_grid_tokens, dtype=float)
    if point is not None and grid.size and point.tokens not in grid:
        at = int(np.searchsorted(grid, point.tokens))
        grid, med, p5, p95 = (np.insert(a, at, value) for a, value in
                              ((grid, point.tokens), (med, point.wh.median), (p5, point.wh.p5), (p95, point.wh.p95)))
    return Series(grid, med, p5, p95)


def inference_cost(inputs: ChartInputs) -> InferenceCostData:
    segments = tuple(label for _, label in INFERENCE_PARTS)
    figures = [s.inference for s in inputs.figures.scenarios]
    breakdown = _stack("Energy per query", "Wh", segments, [
        (_figure_stack([f.figures[key] for key, _ in INFERENCE_PARTS]), _figure_stack([f.figures["wh_per_query"]]))
        for f in figures])
    curves = [remembered((s.inference,), "reasoning curve", partial(_reasoning_curve, s.inference, f.reasoning))
              for s, f in zip(inputs.result.scenarios, figures, strict=True)]
    own = [None if f.reasoning is None else (f.reasoning.tokens, f.reasoning.wh.median) for f in figures]
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
    annual_training: Series
    """Each year's training energy (own path, re-spent, R&D), Wh; x: the year (1, 2, ...)."""
    annual_inference: Series
    """Each year's inference energy, Wh."""
    annual_total: Series
    """Each year's total energy, Wh: its own median, not the parts' medians added (they are not the same)."""


@dataclass(frozen=True, slots=True)
class AdoptionTotalsData:
    names: list[str]
    colors: list[str]
    scenarios: list[AdoptionScenario]
    baseline_index: int = 0
    decomposition: list[tuple[Part, ...]] | None = None
    """Per scenario, its energy over the horizon minus the baseline's in :data:`DECOMPOSITION_STEPS`
    order, Wh (``app.engine.decomposition``; the parts' means add up to the mean total)."""


DECOMPOSITION_STEPS = (
    ("training_efficiency_mwh", "Training efficiency", "Training"),
    ("inference_efficiency_mwh", "Inference efficiency", "Inference"),
    ("training_respent_mwh", "Training re-spent", "Re-spent"),
    ("usage_rebound_mwh", "Usage rebound", "Rebound"),
    ("total_difference_mwh", "Difference", "Total"),
)
"""The waterfall's steps, the last the total: key, label, and the axis's short label."""


def _year_series(bands: tuple[Band, ...]) -> Series:
    """Yearly bands (MWh) as a series over years 1..N, in Wh."""
    x = np.arange(1, len(bands) + 1, dtype=float)
    return Series(x, *(np.array([getattr(b, f) * WH_PER_MWH for b in bands]) for f in ("median", "p5", "p95")))


def _adoption_tables(t: TotalsResult) -> AdoptionScenario:
    """One scenario's curves, from one sort (the counterfactual's curve is the curve with rebound
    itself when the scenario has no rebound), and its crossover (``app.report.reduction``)."""
    curves = [t.training_energy_mwh, t.inference_energy_mwh]
    if t.inference_energy_no_rebound_mwh is not t.inference_energy_mwh:
        curves.append(t.inference_energy_no_rebound_mwh)
    got = stacked_percentiles([np.asarray(c, dtype=float) * WH_PER_MWH for c in curves])
    x = np.asarray(t.months, dtype=float)
    training, inference, no_rebound = (Series(x, med, p5, p95) for p5, med, p95 in (got + got[1:])[:3])
    reduced = totals_figures(t)
    crossing = reduced.crossover
    at = float(np.interp(crossing.median, training.x, training.median)) if crossing.crosses else None
    return AdoptionScenario(training, inference, no_rebound, crossing, at,
                            _year_series(reduced.annual_training_energy_mwh),
                            _year_series(reduced.annual_inference_energy_mwh),
                            _year_series(reduced.annual_energy_mwh))


def adoption_totals(inputs: ChartInputs) -> AdoptionTotalsData:
    scenarios = [remembered((s.totals,), "adoption tables", partial(_adoption_tables, s.totals))
                 for s in inputs.result.scenarios]
    decomposition = [tuple(_scaled_part(s.against_baseline.decomposition[key], WH_PER_MWH) for key, _, _ in DECOMPOSITION_STEPS)
                     for s in inputs.figures.scenarios]
    return AdoptionTotalsData(inputs.names, inputs.colors, scenarios, inputs.result.baseline_index, decomposition)


# ---------------------------------------------------------------- summary


class SummaryRatio(NamedTuple):
    paired: str
    """The reduction's name of the paired ratio (``app.report.reduction.PAIRED_FIGURES``)."""
    label: str
    """What the CSV calls the figure."""
    unit: str
    """The figure's base unit (a key of ``app.report.units.LADDERS``)."""


SUMMARY_RATIOS = {
    "training_wh": SummaryRatio("training_energy", "Training + R&D energy", "Wh"),
    "wh_per_query": SummaryRatio("wh_per_query", "Energy per query", "Wh"),
    "lifetime_wh": SummaryRatio("cumulative_energy", "Energy over the horizon", "Wh"),
    "lifetime_co2e_t": SummaryRatio("cumulative_co2e", "CO2e over the horizon", "tCO2e"),
}
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
    """Paired ratio to the baseline of each of :data:`SUMMARY_RATIOS` (the baseline's is 1)."""
    accelerators_per_replica: float = float("nan")
    """Median accelerators holding one copy of the model (the deployment's, or sized by memory)."""
    effective_batch: Band = Band(float("nan"), float("nan"), float("nan"))
    """Sequences one replica decodes together (after the cap, speed target and KV memory), with its band."""
    probability_more_energy: float = 0.0
    """Share of samples in which the scenario uses more energy over the horizon than the baseline."""
    equivalents: tuple[Equivalent, ...] = ()
    """The median energy and CO2e over the horizon as everyday figures."""
    training_by_phase: tuple[tuple[str, float], ...] = ()
    """Each training phase's median energy, Wh, by its label (:data:`PHASE_LABELS`): what the training
    figure is made of, its experiments and R&D (an assumed multiple of pre-training) apart."""


def summary(inputs: ChartInputs) -> list[SummaryRow]:
    rows = []
    for index, (s, color) in enumerate(zip(inputs.figures.scenarios, inputs.colors, strict=True)):
        training, inference, totals = s.training.figures, s.inference.figures, s.totals.figures
        ratios = s.against_baseline.ratios
        rows.append(
            SummaryRow(
                name=s.name,
                color=color,
                baseline=index == inputs.figures.baseline_index,
                training_wh=_scaled(training["energy_mwh"], WH_PER_MWH),
                wh_per_query=inference["wh_per_query"],
                lifetime_wh=_scaled(totals["cumulative_energy_mwh"], WH_PER_MWH),
                lifetime_co2e_t=totals["cumulative_co2e_t"],
                lifetime_co2e=s.totals.co2e,
                crossover=s.totals.crossover,
                rebound_change=totals["rebound_change"],
                horizon_months=s.totals.months,
                ratios={key: ratios[ratio.paired] for key, ratio in SUMMARY_RATIOS.items()},
                accelerators_per_replica=inference["accelerators_per_replica"].median,
                effective_batch=inference["effective_batch"],
                probability_more_energy=s.against_baseline.probability_more_energy,
                equivalents=s.totals.equivalents,
                training_by_phase=tuple((PHASE_LABELS[phase], band.median * WH_PER_MWH)
                                        for phase, band in s.training.energy_mwh_by_phase.items()),
            )
        )
    return rows


# ---------------------------------------------------------------- sensitivity

TORNADO_BARS = 10
@dataclass(frozen=True, slots=True)
class TornadoMetric:
    """A metric the tornado can rank inputs by: how the window's menu ends its sentence, and where the
    reduction holds the metric's figure (group, table, key; in the engine's unit)."""

    phrase: str
    figure: tuple[str, str, str]


DEFAULT_TORNADO_METRIC = "energy_ratio_to_baseline"
"""The verdict's own figure: what moves a scenario's energy over the horizon against the baseline's
(``app.engine.sensitivity.RATIO_METRIC``, written out: the window loads this module before the engine;
a test keeps the two equal)."""

TORNADO_METRICS: dict[str, TornadoMetric] = {
    DEFAULT_TORNADO_METRIC: TornadoMetric("the verdict (energy / the baseline's)", ("against_baseline", "ratios", "cumulative_energy")),
    "cumulative_energy_mwh": TornadoMetric("energy over the horizon", ("totals", "figures", "cumulative_energy_mwh")),
    "wh_per_query": TornadoMetric("energy per query", ("inference", "figures", "wh_per_query")),
    "training_energy_mwh": TornadoMetric("training energy", ("training", "figures", "energy_mwh")),
    "cumulative_co2e_t": TornadoMetric("CO₂e over the horizon", ("totals", "figures", "cumulative_co2e_t")),
    "co2e_g_per_query": TornadoMetric("CO₂e per query", ("inference", "figures", "co2e_g_per_query")),
    "training_co2e_t": TornadoMetric("training CO₂e", ("training", "figures", "co2e_t")),
    "usd_per_query": TornadoMetric("cost per query", ("inference", "figures", "usd_per_query")),
    "training_cost_usd": TornadoMetric("training cost", ("training", "figures", "cost_usd")),
}
"""Every metric of ``app.engine.sensitivity.METRICS``, in the window's menu order; the verdict's ratio is
the paired one."""
def sampled_median(inputs: ChartInputs) -> float | None:
    """The tornado's metric for its scenario as the summary gives it: the reduction's median over the samples
    (None without a tornado, or for a scenario no longer in the result)."""
    data = inputs.tornado
    if data is None or data.metric not in TORNADO_METRICS:
        return None
    scenario = next((s for s in inputs.figures.scenarios if s.name == data.scenario), None)
    if scenario is None:
        return None
    group, table, key = TORNADO_METRICS[data.metric].figure
    return getattr(getattr(scenario, group), table)[key].median


def tornado(resolved: ResolvedComparison, index: int, metric: str) -> TornadoData:
    """The inputs that move the median of ``metric`` of scenario ``index`` most, one at a time, drawn with
    :data:`app.report.metadata.SEED` like the headline's flip it must agree with.

    The baseline has no ratio to itself: asked for the verdict, it shows the first verdict the headline
    gives (the first other scenario against it), or its energy over the horizon when it stands alone.
    """
    from app.engine.sensitivity import METRICS, RATIO_METRIC, sensitivity  # the engine thread imports the engine
    from app.report import metadata

    if metric == RATIO_METRIC and index == resolved.baseline_index:
        others = [i for i in range(len(resolved.scenarios)) if i != resolved.baseline_index]
        index, metric = (others[0], metric) if others else (index, "cumulative_energy_mwh")
    scenario = resolved.scenarios[index]
    bars = sensitivity(resolved, index, metric, seed=metadata.SEED)
    info = METRICS[metric]
    color = scenario_colors([s.color for s in resolved.scenarios])[index]
    central = bars[0].central if bars else math.nan
    return TornadoData(scenario.name, color, metric, info.label, info.unit, central, tuple(bars[:TORNADO_BARS]))


def tornado_rows(data: TornadoData) -> list[Row]:
    return [
        ("sensitivity", data.scenario, f"{data.label}: {bar.label} {span(bar.low, bar.high, 3)} {bar.unit}".strip(),
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
        rows += _series_rows("adoption-totals", name, "Annual energy: training and R&D", s.annual_training, "year", "Wh")
        rows += _series_rows("adoption-totals", name, "Annual energy: inference", s.annual_inference, "year", "Wh")
        rows += _series_rows("adoption-totals", name, "Annual energy: total", s.annual_total, "year", "Wh")
    for index, (name, steps) in enumerate(zip(data.names, data.decomposition or [], strict=False)):
        if index == data.baseline_index:
            continue
        for (_key, label, _short), band in zip(DECOMPOSITION_STEPS, steps, strict=True):
            rows.append(("adoption-totals", name, f"Difference to the baseline (mean): {label}", "", "",
                         band.mean, band.p5, band.p95, "Wh"))
    return rows


def summary_rows(rows: list[SummaryRow]) -> list[Row]:
    out: list[Row] = []
    for row in rows:
        months = row.horizon_months
        for label, figure, unit in (
            ("Training + R&D energy", row.training_wh, "Wh"),
            ("Energy per query", row.wh_per_query, "Wh"),
            (f"Energy over {months} months", row.lifetime_wh, "Wh"),
            (f"CO2e over {months} months", row.lifetime_co2e.total, "tCO2e"),
            (f"CO2e over {months} months, operational", row.lifetime_co2e.operational, "tCO2e"),
            (f"CO2e over {months} months, embodied", row.lifetime_co2e.embodied, "tCO2e"),
            ("Rebound: change in inference energy against none", row.rebound_change, "fraction"),
            ("Inference overtakes training", row.crossover, "month"),
        ):
            out.append(("summary", row.name, label, "", "", figure.median, figure.p5, figure.p95, unit))
        replica = row.accelerators_per_replica  # one deployment per scenario: no band
        out.append(("summary", row.name, "Accelerators per replica", "", "", replica, replica, replica, "accelerators"))
        batch = row.effective_batch
        out.append(("summary", row.name, "Sequences per replica (batch)", "", "", batch.median, batch.p5, batch.p95,
                    "sequences"))
        never = row.crossover.share_never
        out.append(("summary", row.name, "Share of samples never overtaking", "", "", never, never, never, "fraction"))
        more = row.probability_more_energy
        out.append(("summary", row.name, "Probability of using more energy than the baseline", "", "",
                    more, more, more, "fraction"))
        for key, ratio in row.ratios.items():
            out.append(("summary", row.name, f"{SUMMARY_RATIOS[key].label} / baseline (paired)", "", "",
                        ratio.median, ratio.p5, ratio.p95, "ratio"))
    return out
