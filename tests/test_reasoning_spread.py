"""Reasoning length as a distribution: the mean energy of a spread of lengths, by quadrature."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.deployment import DeploymentPreset
from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.domain.quantity import Quantity
from app.engine import inference
from app.engine.inputs import Inputs
from app.engine.sampling import central
from app.paths import presets_dir

SIGMA = "model.reasoning.reasoning_length_sigma"
MEAN = "model.reasoning.reasoning_tokens_per_query"


def _reasoning_inputs(columns: int = 1, production: bool = False, **values: float) -> Inputs:
    """The DeepSeek question's reasoning scenario at its central values, all queries in reasoning mode:
    on 16 accelerators at a batch cap of 32 (the operating point these cases were set at, where the KV
    memory never binds), or with ``production`` on DeepSeek's published deployment."""
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    scenario = next(s for s in resolved.scenarios if s.model.reasoning is not None)
    if not production:
        scenario = scenario.model_copy(update={
            "deployment": DeploymentPreset(name="Automatic", accelerators_per_replica=Quantity(value=16)),
            "usage": scenario.usage.model_copy(update={"batch_size": Quantity(value=32)}),
        })
    inp = central(scenario, columns)
    inp.values.pop("usage.reasoning_tokens_per_query", None)  # the model's length and spread apply
    inp.values["usage.reasoning_share"] = np.ones(columns)
    for path, value in values.items():
        inp.values[path.replace("__", ".")] = np.broadcast_to(np.asarray(value, dtype=float), (columns,)).copy()
    return inp


def _wh(inp: Inputs) -> np.ndarray:
    return inference.compute(inp, 3, grid=False).wh_per_query


def test_without_spread_every_query_is_at_the_mean_length():
    spread0 = inference.compute(_reasoning_inputs(**{SIGMA.replace(".", "__"): 0.0}), 3, grid=False)
    unset = _reasoning_inputs()
    unset.values.pop(SIGMA, None)
    assert spread0.wh_per_query[0] == inference.compute(unset, 3, grid=False).wh_per_query[0]


def _expected_over_lengths(sigma: float, mean: float, production: bool = False) -> float:
    """The exact expected Wh per query over log-normal lengths: each length decoded alone (sigma 0),
    weighted by the normal density on a fine grid of the normal variable (trapezoid rule over
    z in [-8, 8], 6,401 points). Deterministic, unlike Monte Carlo over lengths, whose mean runs
    low where the energy per length grows steeply in the tail (2-5 % below at sigma 1-1.2 with
    200,000 lengths on DeepSeek's production deployment)."""
    z = np.linspace(-8.0, 8.0, 6401)
    lengths = mean * np.exp(sigma * z - sigma**2 / 2.0)
    energies = _wh(_reasoning_inputs(z.size, production=production, **{SIGMA.replace(".", "__"): 0.0,
                                                                      MEAN.replace(".", "__"): lengths}))
    weighted = energies * np.exp(-z**2 / 2.0) / np.sqrt(2.0 * np.pi)
    return float(np.sum((weighted[1:] + weighted[:-1]) / 2.0 * np.diff(z)))  # the trapezoid rule


@pytest.mark.parametrize("sigma", [0.5, 1.0])
def test_a_spread_raises_the_mean_energy_as_the_integral_over_lengths_says(sigma):
    """Quadrature against the exact expectation over lengths (each at sigma 0)."""
    mean = 6000.0
    quadrature = _wh(_reasoning_inputs(**{SIGMA.replace(".", "__"): sigma, MEAN.replace(".", "__"): mean}))[0]
    at_mean = _wh(_reasoning_inputs(**{SIGMA.replace(".", "__"): 0.0, MEAN.replace(".", "__"): mean}))[0]
    exact = _expected_over_lengths(sigma, mean)
    print(f"sigma {sigma}: at the mean {at_mean:.3f} Wh, quadrature {quadrature:.3f}, integral {exact:.3f} "
          f"({quadrature / exact - 1:+.2%})")
    assert quadrature > at_mean  # convexity: the mean of the energies exceeds the energy of the mean
    assert exact > at_mean
    assert quadrature == pytest.approx(exact, rel=0.003)


@pytest.mark.parametrize("sigma", [0.8, 1.0, 1.2])
def test_the_quadrature_holds_on_the_production_deployment(sigma):
    """On DeepSeek's production deployment (12,672 sequences over 144 GPUs) the KV memory caps the
    batch of long traces and the energy per length bends: the shipped spread's range (0.5-1.2) must
    still be integrated within the tolerance (3 points read 6.4 % low at sigma 1 until stop 18)."""
    mean = 6000.0
    quadrature = _wh(_reasoning_inputs(production=True, **{SIGMA.replace(".", "__"): sigma, MEAN.replace(".", "__"): mean}))[0]
    exact = _expected_over_lengths(sigma, mean, production=True)
    print(f"production, sigma {sigma}: quadrature {quadrature:.4f} Wh, integral {exact:.4f} ({quadrature / exact - 1:+.2%})")
    assert quadrature == pytest.approx(exact, rel=0.003)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.05, 2.0), st.floats(500.0, 20000.0))
def test_the_spread_never_lowers_the_mean_energy_nor_changes_tokens_written(sigma, mean):
    spread = inference.compute(_reasoning_inputs(**{SIGMA.replace(".", "__"): sigma, MEAN.replace(".", "__"): mean}), 3, grid=False)
    flat = inference.compute(_reasoning_inputs(**{SIGMA.replace(".", "__"): 0.0, MEAN.replace(".", "__"): mean}), 3, grid=False)
    assert spread.wh_per_query[0] >= flat.wh_per_query[0] * (1 - 1e-9)
    generated = spread.usd_per_query[0] / spread.usd_per_million_tokens[0]
    assert generated == pytest.approx(flat.usd_per_query[0] / flat.usd_per_million_tokens[0], rel=1e-9)


def test_the_quadrature_rules_are_numpys_bit_for_bit() -> None:
    """The engine writes its two Gauss rules out (numpy.polynomial stays unimported at start); they are
    numpy's: 7-point Gauss-Hermite (probabilists') for a spread of lengths, 4-point Gauss-Legendre on
    [0, 1] for a generated segment."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(7)
    assert np.array_equal(inference.SPREAD_NODES, nodes)
    assert np.array_equal(inference.SPREAD_WEIGHTS, weights / weights.sum())
    nodes, weights = np.polynomial.legendre.leggauss(4)
    assert np.array_equal(inference.QUADRATURE_NODES, (nodes + 1.0) / 2.0)
    assert np.array_equal(inference.QUADRATURE_WEIGHTS, weights / 2.0)
