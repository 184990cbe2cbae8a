"""The verdict: does a scenario use more energy than the baseline, and how sure is that?

For each scenario against the baseline: the paired ratio of cumulative
energy and of CO2e over the horizon (median and 5-95 % band, taken sample
by sample, so inputs both share do not blur it), and the probability that it
uses more energy, the share of plausible cases (samples) whose ratio exceeds
1 (``app.engine.paired``), all read from :func:`app.report.reduction.reduce`.
:func:`verdict_line` says it in one sentence a reader can quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.like_for_like import comparison_differences
from app.domain.market import MarketPreset
from app.domain.scenario_names import short_names
from app.engine.results import Band, ComparisonResult, ScenarioResult
from app.numbers import number, percent, span, times, years_text
from app.report.equivalents import energy_equivalents_line
from app.report.headline import Flip, HeadlineRow, more_energy_text, ratio_text
from app.report.palette import scenario_colors
from app.report.published import published_checks
from app.report.reduction import ComparisonFigures, ScenarioFigures, inference_figures, reduce

if TYPE_CHECKING:
    from app.engine.variants import BreakEven


@dataclass(frozen=True, slots=True)
class Verdict:
    scenario: str
    baseline: str
    years: float
    energy_ratio: Band
    co2e_ratio: Band
    probability_more_energy: float
    """Share of samples in which the scenario uses more energy than the baseline."""
    ranged: bool
    """Whether inputs carried ranges (else the figures are single values)."""


def verdict(figures: ComparisonFigures, index: int) -> Verdict:
    """Scenario ``index`` against the baseline: the paired ratios over the horizon and the probability of more."""
    scenario = figures.scenarios[index]
    paired = scenario.against_baseline
    return Verdict(
        scenario=scenario.name,
        baseline=figures.baseline.name,
        years=scenario.totals.years,
        energy_ratio=paired.ratios["cumulative_energy"],
        co2e_ratio=paired.ratios["cumulative_co2e"],
        probability_more_energy=paired.probability_more_energy,
        ranged=figures.ranged,
    )


def verdict_line(v: Verdict) -> str:
    """E.g. "Over 5 years, DeepSeek-R1 uses 0.82× (0.30–1.9×) the energy of Llama 3.1 405B;
    more energy in 38 % of plausible cases"."""
    text = f"Over {years_text(v.years)}, {v.scenario} uses {ratio_text(v.energy_ratio, v.ranged)} the energy of {v.baseline}"
    more = more_energy_text(v.probability_more_energy, v.ranged)
    return f"{text}; {more}" if more else text


BASIS_WORDS = {"list": "list prices", "cost": "serving cost", "cost_plus_margin": "serving cost plus margin"}


def rebound_assumptions(market: MarketPreset) -> str:
    """The rebound's assumptions in one sentence, and whether backfire is possible under them."""
    elasticity = market.price_elasticity
    text = f"Rebound: price elasticity {number(elasticity.value)}"
    spread = elasticity.sampled_range
    if spread is not None:
        text += f" ({span(*spread)})"
    basis = BASIS_WORDS[market.price_basis]
    text += f", on each scenario's price ({basis}) relative to the baseline's"
    share = market.rebound_on_tokens_share
    if share.value > 0 or share.has_range:
        text += f"; {percent(share.value)} of it as longer answers"
    worst = min(elasticity.value, elasticity.low if elasticity.low is not None else elasticity.value)
    if worst < -1:
        text += f". Beyond {number(-1)}, a cheaper, leaner model can use more energy in total (backfire)"
    else:
        text += ". Its magnitude stays below 1: cheaper queries are used more, but a leaner model cannot backfire"
    return text + "."


def verdict_lines(comparison: ResolvedComparison, result: ComparisonResult) -> list[str]:
    """What the window shows above the summary: each published result beside the engine's figure, each verdict,
    what is not like for like, the rebound's assumptions."""
    figures = reduce(result)
    flags = comparison_differences(comparison)
    lines = []
    for index in range(len(result.scenarios)):
        if index == result.baseline_index:
            continue
        line = verdict_line(verdict(figures, index)) + "."
        if flags[index]:
            line += f" Not like for like: {'; '.join(flags[index])}."
        lines.append(line)
    lines += [check.sentence() for check in published_checks(comparison, figures)]
    lines += [sentence for sentences in scenario_warnings(comparison, result) for sentence in sentences]
    lines.append(rebound_assumptions(comparison.scenarios[comparison.baseline_index].market))
    lines.append(price_line(comparison, figures))
    everyday = energy_equivalents_line([s.totals.equivalents for s in figures.scenarios])
    return lines + [everyday] if everyday else lines


def price_line(comparison: ResolvedComparison, figures: ComparisonFigures) -> str:
    """The price per query each scenario's rebound is computed from, and its source (list prices or cost)."""
    parts = []
    for index, (scenario, resolved) in enumerate(zip(figures.scenarios, comparison.scenarios, strict=True)):
        price = scenario.totals.figures["price_usd_per_query"].median
        relative = scenario.totals.figures["relative_price_to_baseline"].median
        text = f"{scenario.name} USD {number(price, 2)}"
        unpriced = resolved.market.price_basis == "list" and not listed(resolved)
        text += " (serving cost)" if unpriced else ""
        if index != figures.baseline_index:
            text += f" ({times(relative, 2)})"
        if listed(resolved):  # the price beside what serving the query costs, so a price below cost shows
            text += f", modelled serving cost USD {number(scenario.inference.figures['usd_per_query'].median, 2)}"
        parts.append(text)
    basis = BASIS_WORDS[comparison.scenarios[comparison.baseline_index].market.price_basis]
    cost = (" The modelled serving cost is the rent of the accelerators for the time a query keeps them busy, "
            "at the fleet's utilisation; the rental price includes the host, the facility and its power."
            if any(listed(s) for s in comparison.scenarios) else "")
    return f"Price per query at launch ({basis}): " + "; ".join(parts) + "." + cost


def headline_rows(
    comparison: ResolvedComparison, result: ComparisonResult, flips: dict[int, BreakEven] | None = None
) -> list[HeadlineRow]:
    """The headline of every scenario but the baseline, in the file's order.

    ``flips`` holds, per scenario index, where along the price elasticity its median
    verdict flips (its value None: no flip in the searched interval); a scenario missing
    from it has not been searched (the window's quick pass) and names no flip.
    """
    figures = reduce(result)
    flags = comparison_differences(comparison)
    colors = scenario_colors([s.color for s in result.scenarios])
    names = short_names([s.name for s in result.scenarios])  # what tells them apart: a headline, not a caption
    base = result.baseline_index
    # What qualifies the baseline qualifies every verdict against it: it is said in each headline.
    baseline_caveats = tuple(
        f"the baseline's {text.removeprefix('its ')}" if text.startswith("its ") else f"the baseline {text}"
        for text in (*_shortfall(result.scenarios[base]), below_cost(comparison.scenarios[base], figures.scenarios[base]))
        if text)
    rows = []
    for index, scenario in enumerate(result.scenarios):
        if index == base:
            continue
        v = verdict(figures, index)
        rows.append(HeadlineRow(
            name=names[index], color=colors[index], baseline=names[result.baseline_index], years=v.years,
            ratio=v.energy_ratio, ranged=v.ranged, probability_more=v.probability_more_energy,
            flip=_flip(comparison.scenarios[index].market, (flips or {}).get(index)),
            not_like_for_like=tuple(flags[index]) + _shortfall(scenario)
            + tuple(t for t in [below_cost(comparison.scenarios[index], figures.scenarios[index])] if t)
            + baseline_caveats,
        ))
    return rows


FAST_BEYOND = 1.2
"""A deployment preset served this many times faster than the service level is said to be: its speed is
the serving model's at the preset's batch, not the operator's measured one."""


def deployment_summary(scenario: ScenarioResult) -> str:
    """How the scenario is served, in words, with the runner-up of an automatic search and its energy."""
    choice = scenario.deployment
    if choice is None:
        return ""
    served = f"Served on {choice.summary()}"
    if choice.data_parallel > 1 or choice.expert_parallel > 1:
        served += f" (tensor {choice.tensor_parallel}, expert {choice.expert_parallel}, data {choice.data_parallel})"
    figures = inference_figures(scenario.inference).figures
    # The batch is the draws' median; the speeds and energy are the deployment's at central inputs (the search's
    # point), which differ from the medians where inputs' ranges are skewed (the prompt's 200/1,000/5,000).
    served += (f", {number(figures['effective_batch'].median)} sequences at once (median); at central values "
               f"{number(choice.tokens_per_second_per_user)} tokens/s per user, the first token after "
               f"{number(choice.time_to_first_token_s)} s and {number(choice.wh_per_query)} Wh a query (over plausible "
               f"inputs the median is {number(figures['wh_per_query'].median)} Wh, as in the summary)")
    if choice.chosen_by == "automatic":
        served += ": the least energy per query that meets "
        served += "the service level" if choice.speed_target is not None else "its memory"
        if choice.runner_up is not None:
            runner = choice.runner_up
            served += f"; runner-up {runner.summary()}, {number(runner.wh_per_query)} Wh"
    else:
        served += ", as its deployment preset says"
        target = choice.speed_target
        if target is not None and choice.tokens_per_second_per_user > FAST_BEYOND * target:
            served += (f"; faster than the service level ({number(target)} tokens/s per user): the serving model's "
                       "speed at the preset's batch, which reads fast against published production serving "
                       "(methodology: serving at scale)")
    said = served + "".join(f". It {text}" for text in (shortfall(scenario), memory_misses(scenario)) if text)
    return said + "."


def listed(scenario: ResolvedScenario) -> bool:
    """Whether the scenario's users pay its list prices (its market prices queries at list prices)."""
    return scenario.market.price_basis == "list" and scenario.list_price is not None


def below_cost(resolved: ResolvedScenario, scenario: ScenarioFigures) -> str:
    """"" unless the scenario is priced at list prices below its modelled serving cost (the median of the
    sample-by-sample cost-to-price ratio is above 1): then what the price and the cost are. Such a price
    drives the rebound as if the provider could sustain it."""
    if not listed(resolved):
        return ""
    multiple = scenario.cost_to_list_price.median  # sample by sample, as evaluate --json reports it
    if not multiple > 1:
        return ""
    cost = scenario.inference.figures["usd_per_query"].median
    price = scenario.totals.figures["price_usd_per_query"].median
    if price <= 0:  # free: no multiple of the price to give
        return (f"its list price is zero, below its modelled serving cost (USD {number(cost, 2)} a query); "
                "without a price its rebound is not modelled")
    return (f"its list price (USD {number(price, 2)} a query) is below its modelled serving cost "
            f"(USD {number(cost, 2)}, {times(multiple, 2)} the price)")


def scenario_warnings(comparison: ResolvedComparison, result: ComparisonResult) -> list[list[str]]:
    """Per scenario, the sentences that qualify its figures: a missed service level, draws that do not fit
    the replica's memory, a price below cost."""
    found = []
    for resolved, scenario, figures in zip(comparison.scenarios, result.scenarios, reduce(result).scenarios, strict=True):
        texts = (shortfall(scenario), memory_misses(scenario), below_cost(resolved, figures))
        found.append([f"{scenario.name}: {text}." for text in texts if text])
    return found


def memory_misses(scenario: ScenarioResult) -> str:
    """"" when every Monte Carlo draw's replica holds the weights and one chat sequence's KV cache, else the
    share of draws that do not. The memory check refuses a deployment at central values only; a draw past the
    limit (a longer prompt and answer, a larger KV cache or model, less memory) is computed as the rest, at a
    batch of one, as if its weights fitted."""
    from app.engine.inference import USABLE_MEMORY_FRACTION

    share = inference_figures(scenario.inference).unfit_share
    if not share > 0:
        return ""
    return (f"does not hold its model in {percent(share)} of the Monte Carlo draws: the weights and one chat "
            f"sequence's KV cache, at the drawn sizes and lengths, exceed {percent(USABLE_MEMORY_FRACTION)} of the "
            "replica's memory; those draws are computed at a batch of one, as if they fitted")


def shortfall(scenario: ScenarioResult) -> str:
    """"" when the scenario gives its users the service level, else what it misses, by how much, and on
    which deployment (the closest the automatic search found, or its published one)."""
    choice = scenario.deployment
    if choice is None or choice.meets_service_level:
        return ""
    how = "the closest the automatic search found" if choice.chosen_by == "automatic" else "its published deployment"
    misses = []
    if choice.speed_target is not None and not choice.fast_enough:
        misses.append(f"{number(choice.tokens_per_second_per_user)} tokens/s per user against {number(choice.speed_target)}")
    if choice.first_token_target is not None and not choice.answers_soon_enough:
        misses.append(f"the first token after {number(choice.time_to_first_token_s)} s against at most "
                      f"{number(choice.first_token_target)} s")
    return f"misses the service level: {' and '.join(misses)} at best ({choice.summary()}, {how})"


def _shortfall(scenario: ScenarioResult) -> tuple[str, ...]:
    missed = shortfall(scenario)
    return (missed,) if missed else ()


def _flip(market: MarketPreset, found: BreakEven | None) -> Flip | None:
    if found is None or found.value is None:
        return None
    elasticity = market.price_elasticity
    return Flip("price elasticity", found.value, found.within_range, elasticity.low, elasticity.high)
