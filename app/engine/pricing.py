"""The price users pay per query, and its path over time, for the rebound.

Three bases, chosen per comparison (``market.price_basis``):

* ``cost``: the provider's cost of serving a query (accelerator time, idle
  capacity included). It falls with the scenario's own efficiency gain.
* ``cost_plus_margin``: that cost times the market's ``markup_on_cost``, one
  margin for every scenario (DeepSeek's Day-6 disclosure implies about 3.2 at
  V3's prices): prices that follow each model's modelled cost.
* ``list``: the model's published API prices per million input, cached input
  and output tokens, times the query's tokens (reasoning tokens are billed as
  output); a query answered in reasoning mode at ``reasoning_price_multiple``
  times those prices, as a provider that routes reasoning queries to a dearer
  model bills them (DeepSeek: R1 at 2x V3's prices). Every list price is taken to follow the market's price decline, so
  the path of one relative to another is flat. A scenario without list
  prices is priced at its serving cost (and flagged as not like for like).

The rebound depends only on a scenario's price *relative* to the baseline's
price path; :class:`PricePath` keeps a launch price and a monthly log slope so
that relative prices on any time axis are one subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine.inference import reasoning_share, reasoning_tokens
from app.engine.inputs import Inputs
from app.engine.results import InferenceResult, TrainingResult
from app.engine.training_path import log_efficiency_step, training_spend


def list_usd_per_query(inp: Inputs) -> np.ndarray:
    """A query's mean price at the scenario's list prices, shape (samples,): a chat query's and, for the
    share answered in reasoning mode, a reasoning query's (its trace billed as output, at the multiple)."""
    cached_share = inp.opt("list_price.cached_input_share", 0.0)
    input_price = inp["list_price.usd_per_million_input_tokens"]
    cached_price = inp.values.get("list_price.usd_per_million_cached_input_tokens", input_price)
    output_price = inp["list_price.usd_per_million_output_tokens"]
    chat = (inp["usage.prompt_tokens"] * ((1.0 - cached_share) * input_price + cached_share * cached_price)
            + inp["usage.answer_tokens"] * output_price)
    share = reasoning_share(inp)
    reasoning = inp.opt("list_price.reasoning_price_multiple", 1.0) * (chat + reasoning_tokens(inp) * output_price)
    return ((1.0 - share) * chat + share * reasoning) / 1e6


@dataclass(frozen=True, slots=True)
class PricePath:
    """A price per query over time: ``exp(log_launch + slope * month)``, arrays over samples; and the
    spend on training, the other price a scenario's rival is measured against."""

    usd_per_query: np.ndarray
    """Price at launch, (samples,)."""
    log_slope_per_month: np.ndarray
    """Change of the log price per month, (samples,)."""
    training_usd: np.ndarray
    """The lab's spend on the scenario's own training path over the horizon, (samples,): what a
    scenario's training re-spending is measured against (``app.engine.training_path``)."""

    def log_relative(self, reference: PricePath, months: np.ndarray) -> np.ndarray:
        """log(this price / the reference's) at each month, shape (T, samples); 0 where a price is not > 0."""
        valid = (self.usd_per_query > 0) & (reference.usd_per_query > 0)
        launch = np.log(np.where(valid, self.usd_per_query, 1.0)) - np.log(np.where(valid, reference.usd_per_query, 1.0))
        slope = self.log_slope_per_month - reference.log_slope_per_month
        return np.where(valid, launch + slope * months[:, None], 0.0)


def price_path(inp: Inputs, served: InferenceResult, trained: TrainingResult) -> PricePath:
    """The scenario's price path on its market's price basis (its serving cost when it has no list price),
    with its spend on its own training path."""
    training_usd = training_spend(inp, trained)
    if inp.choices.price_basis == "list" and "list_price.usd_per_million_input_tokens" in inp:
        return PricePath(list_usd_per_query(inp), np.zeros(inp.samples), training_usd)
    markup = inp.opt("market.markup_on_cost", 1.0) if inp.choices.price_basis == "cost_plus_margin" else 1.0
    return PricePath(served.usd_per_query * markup, log_efficiency_step(inp), training_usd)
