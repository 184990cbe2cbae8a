"""The engine against every published case (tests/data/published_cases.json, with sources).

Each test id carries the engine's error, so ``pytest -v`` prints it; the full
table is ``python tests/engine_support.py`` and is copied in docs/methodology.md.
"""

from __future__ import annotations

import pytest

from tests.engine_support import cases, epoch_wh, error, ml_energy_j_per_token, training_figures

TRAINING = cases()["training"]
GIVEN = [(case, key, value) for case in TRAINING for key, value in case["published"].items()]


@pytest.mark.parametrize(("case", "key", "published"), GIVEN, ids=[f"{c['case']}-{k}" for c, k, _ in GIVEN])
def test_training_from_published_inputs_within_5_percent(case, key, published):
    """GPT-3, GShard and LLaMA-65B test the energy chain (power x hours x PUE x grid).

    Llama 3.1 405B and Llama 4 Scout publish no grid intensity, so ours is
    derived from their CO2e, and DeepSeek-V3's cost is hours x $2: those three
    check only that the engine's bookkeeping (boundaries, phases, overrides)
    does not add or lose anything.
    """
    engine = training_figures(case)[key]
    assert abs(error(engine, published)) <= 0.05, (
        f"{case['case']}: engine {key} = {engine:,.4g}, published {published:,.4g} ({error(engine, published):+.1%})"
    )


MODERN = ["LLaMA-65B", "Llama 3.1 405B", "Llama 4 Scout (MoE)", "DeepSeek-V3 (MoE)"]


def _predicted_hours(name: str) -> tuple[float, float]:
    case = next(c for c in TRAINING if c["case"] == name)
    published = case.get("published_pretraining_accelerator_hours", case["published_accelerator_hours"])
    published = published["value"] if isinstance(published, dict) else published
    return training_figures(case, predict=True)["accelerator_hours"], float(published)


@pytest.mark.parametrize("name", MODERN)
def test_accelerator_hours_predicted_from_architecture_within_30_percent(name):
    """6ND + attention at the default MFU of the training precision, versus the published hours."""
    predicted, published = _predicted_hours(name)
    print(f"{name}: predicted {predicted:,.0f} accelerator-hours, published {published:,.0f} ({error(predicted, published):+.1%})")
    assert abs(error(predicted, published)) <= 0.30, f"{name}: {error(predicted, published):+.1%}"


@pytest.mark.parametrize("name", ["GPT-3 175B", "GShard-600B (MoE)"])
def test_older_runs_predicted_low_because_they_ran_at_half_the_modern_mfu(name):
    """2020-era runs reached ~20 % MFU (Patterson et al.); the default (40 %) is for modern runs.

    The prediction must err on the low side, by no more than that factor of two.
    """
    predicted, published = _predicted_hours(name)
    print(f"{name}: predicted {predicted:,.0f}, published {published:,.0f} ({error(predicted, published):+.1%})")
    assert -0.55 <= error(predicted, published) < 0


EPOCH = cases()["inference"]["epoch"]


@pytest.mark.parametrize(
    ("tokens", "published"),
    [(EPOCH["output_tokens"], EPOCH["published"]["wh_per_query"]), (1500, EPOCH["published"]["wh_per_1500_token_query"])],
)
def test_epoch_estimate_within_10_percent_given_its_assumptions(tokens, published):
    wh, batch = epoch_wh(tokens)
    print(f"Epoch {tokens} tokens: engine {wh:.3f} Wh at batch {batch:g}, published {published} ({error(wh, published):+.1%})")
    assert abs(error(wh, published)) <= 0.10


ML_ENERGY = cases()["inference"]["ml_energy"]["cases"]


@pytest.mark.parametrize("item", ML_ENERGY, ids=[f"{i['model']}-batch{i['batch']}" for i in ML_ENERGY])
def test_ml_energy_batch_sweep_within_30_percent(item):
    """Batch 511 of the 8B model was a known gap (-33 %) before the serving software's
    per-step and per-sequence time was modelled and fitted; it is now within 10 %."""
    joules, replica = ml_energy_j_per_token(item)
    print(f"{item['model']} batch {item['batch']}: {joules:.3f} J/token on {replica:g} GPUs vs {item['j_per_token']}")
    assert abs(error(joules, item["j_per_token"])) <= 0.30, f"{error(joules, item['j_per_token']):+.1%}"


@pytest.mark.parametrize("model", ["llama_3_1_8b", "llama_3_1_70b"])
def test_energy_per_token_falls_with_batch_as_measured(model):
    """The fall of energy per token with batch size comes out of the physics."""
    points = sorted((i for i in ML_ENERGY if i["model"] == model), key=lambda i: i["batch"])
    engine = [ml_energy_j_per_token(i)[0] for i in points]
    assert engine == sorted(engine, reverse=True)
    measured_fall = points[0]["j_per_token"] / points[-1]["j_per_token"]
    engine_fall = engine[0] / engine[-1]
    print(f"{model}: J/token falls {engine_fall:.1f}x from smallest to largest batch (measured {measured_fall:.1f}x)")
    assert engine_fall > 3
