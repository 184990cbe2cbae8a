"""Build presets for engine tests from tests/data/published_cases.json, and compute a scenario
on its own as the app computes a comparison (:func:`evaluated`).

Run ``python tests/engine_support.py`` to print every published case beside
the engine's figure and its error (the table in docs/methodology.md).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.datacenter import DatacenterPreset
from app.domain.hardware import HardwarePreset
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.market import MarketPreset
from app.domain.model_preset import ModelPreset
from app.domain.usage import UsagePreset
from app.engine import host_power
from app.engine import inference as inf
from app.engine.evaluate import evaluate
from app.engine.hardware import accelerator, architecture
from app.engine.results import ScenarioResult
from app.engine.sampling import central

DATA = Path(__file__).resolve().parent / "data" / "published_cases.json"

DEFAULT_MFU: dict[str, float] = {
    "fp32": 0.40,
    "bf16": 0.40,
    "fp16": 0.40,
    "fp8": 0.20,
    "int8": 0.20,
    "fp4": 0.20,
    "int4": 0.20,
}
"""Model FLOP utilisation of a large training run, of the dense peak at the training
precision: what the validation cases predict published runs' hours with (a model preset
states its own ``training.mfu``; this is the figure to start a new one from).
BF16: Llama 3 405B ran at 38-43 % MFU (Llama 3 paper, arXiv 2407.21783,
Table 4); PaLM 540B at 46 % (arXiv 2204.02311). FP8: Llama 4 Behemoth trained
in FP8 at 390 TFLOP/s per H100 (Meta AI blog, "The Llama 4 herd", April 2025),
20 % of the 1,979 TFLOP/s dense FP8 peak: FP8 runs gain far less than 2x,
since attention, communication and the non-GEMM work do not speed up.
FP32 takes the BF16 figure and INT8/FP4/INT4 the FP8 one: assumptions, as no
large training run at those precisions has published its utilisation."""


def evaluated(scenario: ResolvedScenario, boundary: str = "facility", samples: int = 1, seed: int = 0) -> ScenarioResult:
    """One scenario on its own, computed as the app computes a comparison (its deployment searched
    unless given, its figures checked); its own price is the rebound's reference, so it sees none."""
    alone = ResolvedComparison(name=scenario.name, scenarios=[scenario], baseline_index=0, boundary=boundary)
    return evaluate(alone, samples=samples, seed=seed).scenarios[0]


@cache
def cases() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _value(item: Any) -> float:
    return float(item["value"]) if isinstance(item, dict) else float(item)


def hardware(key: str, **changes: Any) -> HardwarePreset:
    spec = cases()["hardware"][key]
    fields: dict[str, Any] = {
        "name": spec["name"],
        "peak_tflops_bf16": spec["peak_tflops_bf16"],
        "memory_gb": spec["memory_gb"],
        "memory_bandwidth_tb_s": spec["memory_bandwidth_tb_s"],
        "idle_power_w": spec["max_power_w"],
        "max_power_w": spec["max_power_w"],
        "host_power_w": 0,
        "accelerators_per_server": 8,
        "price_usd_per_hour": 0,
        "embodied_kgco2e": 0,
        "lifetime_years": 5,
    }
    if "peak_tflops_fp8" in spec:
        fields["peak_tflops_fp8"] = spec["peak_tflops_fp8"]
    fields.update(changes)
    return HardwarePreset(**fields)


def datacenter(pue: float = 1.0, grid: float = 0.0, **changes: Any) -> DatacenterPreset:
    fields: dict[str, Any] = {
        "name": "test site",
        "pue": pue,
        "grid_kgco2e_per_kwh": grid,
        "wue_l_per_kwh": 0,
        "electricity_water_l_per_kwh": 0,
        "electricity_usd_per_kwh": 0,
    }
    fields.update(changes)
    return DatacenterPreset(**fields)


def usage(prompt: float, answer: float, batch: float, **changes: Any) -> UsagePreset:
    fields: dict[str, Any] = {
        "name": "test usage",
        "prompt_tokens": prompt,
        "answer_tokens": answer,
        "batch_size": batch,
        "fleet_utilisation": 1.0,
        "horizon_years": 1,
    }
    fields.update(changes)
    return UsagePreset(**fields)


def market(**changes: Any) -> MarketPreset:
    """A market of steady demand (a million queries a day) without rebound, unless changed."""
    fields: dict[str, Any] = {
        "name": "test market",
        "demand": {"curve": "exponential", "initial_queries_per_day": 1e6, "growth_per_year": 0},
    }
    fields.update(changes)
    return MarketPreset(**fields)


def model(spec: dict[str, Any], **changes: Any) -> ModelPreset:
    keys = (
        "total_parameters_billion", "active_parameters_billion", "layers", "hidden_size",
        "attention_heads", "kv_heads", "head_dim", "context_length_tokens", "pretraining_tokens_trillion", "moe",
    )
    fields: dict[str, Any] = {"name": spec.get("case", "test model")}
    fields.update({key: spec[key] for key in keys if key in spec})
    fields.setdefault("context_length_tokens", 4096)
    fields.setdefault("pretraining_tokens_trillion", 1.0)
    fields.setdefault("training", {"accelerator_count": 1024, "mfu": 0.4})
    fields.update(changes)
    return ModelPreset(**fields)


def scenario(model_preset: ModelPreset, hw: HardwarePreset, site: DatacenterPreset, use: UsagePreset,
             training_hw: HardwarePreset | None = None, demand: MarketPreset | None = None,
             **changes: Any) -> ResolvedScenario:
    """A resolved scenario serving ``demand`` (the steady test market when None)."""
    return ResolvedScenario(
        name=model_preset.name, color=None, model=model_preset, hardware=hw,
        training_hardware=training_hw or hw, datacenter=site, usage=use,
        market=demand if demand is not None else market(), demand_share=1, **changes,
    )


def training_case(case: dict[str, Any], predict: bool) -> ResolvedScenario:
    """A published training run; ``predict`` drops the published FLOPs/hours and uses the default MFU."""
    precision = case.get("training_precision", "bf16")
    run: dict[str, Any] = {"accelerator_count": case["accelerator_count"], "mfu": DEFAULT_MFU[precision]}
    if not predict:
        if "published_training_flops" in case:
            run["published_training_flops"] = case["published_training_flops"]
        run["published_accelerator_hours"] = _value(case["published_accelerator_hours"])
        if "measured_power_w" in case:
            run["measured_power_w"] = case["measured_power_w"]
    spec = dict(case["model"], case=case["case"])
    preset = model(spec, training=run, training_precision=precision)
    changes: dict[str, Any] = {"price_usd_per_hour": case.get("price_usd_per_hour", 0)}
    if "tdp_w" in case:
        changes.update(max_power_w=case["tdp_w"], idle_power_w=case["tdp_w"])
    hw = hardware(case["hardware"], **changes)
    site = datacenter(pue=case.get("pue", 1.0), grid=_value(case.get("grid_kgco2e_per_kwh", 0.0)))
    return scenario(preset, hw, site, usage(100, 100, 8))


def training_figures(case: dict[str, Any], predict: bool = False) -> dict[str, float]:
    result = evaluated(training_case(case, predict), "facility").training
    return {
        "energy_mwh": float(result.energy_mwh[0, 0]),
        "co2e_t": float(result.co2e_t[0, 0] - result.embodied_co2e_t[0, 0]),
        "cost_usd": float(result.cost_usd[0, 0]),
        "accelerator_hours": float(result.accelerator_hours[0, 0]),
        "flops": float(result.flops[0, 0]),
    }


def serving_model(key: str) -> ModelPreset:
    spec = dict(cases()["inference"]["models"][key], case=key)
    return model(spec)


def shipped_h100() -> HardwarePreset:
    """The shipped H100 preset at its central values (the engine's hardware default)."""
    from app.domain.files import load_preset
    from app.paths import presets_dir

    return load_preset(presets_dir() / "hardware" / "h100-sxm.json")


def ml_energy_j_per_token(item: dict[str, Any]) -> tuple[float, float]:
    """(J per output token, replica size) of one ML.ENERGY point at the GPU-only boundary, on the
    GPUs it was measured on."""
    from app.domain.deployment import DeploymentPreset

    data = cases()["inference"]["ml_energy"]
    use = usage(_value(data["prompt_tokens"]), _value(data["output_tokens"]), item["batch"])
    measured_on = DeploymentPreset(name=f"{item['gpus']} GPUs", accelerators_per_replica=item["gpus"])
    case = scenario(serving_model(item["model"]), shipped_h100(), datacenter(), use, deployment=measured_on)
    served = evaluated(case, "accelerator").inference
    return float(served.joules_per_output_token[0]), float(served.accelerators_per_replica[0])


def epoch_wh(output_tokens: float) -> tuple[float, float]:
    """Epoch AI's GPT-4o-class query under its own assumptions: (Wh, batch giving 10 % utilisation).

    Epoch assumes 10 % of peak FLOP/s and a flat 70 % of the DGX's 1,275 W per
    GPU. The engine derives utilisation from batch and memory traffic, so the
    batch at which its decode reaches 10 % utilisation is found first.
    """
    data = cases()["inference"]["epoch"]
    fraction = data["power_fraction"]
    gpu_w = 700 * fraction
    # Epoch's flat host power is the engine's host power under load at full activity.
    host_w = (_value(data["server_w_per_gpu"]) - 700) * fraction / host_power.constants().load_fraction
    hw = shipped_h100().model_copy(
        update={"idle_power_w": shipped_h100().idle_power_w.with_value(gpu_w),
                "max_power_w": shipped_h100().max_power_w.with_value(gpu_w),
                "host_power_w": shipped_h100().host_power_w.with_value(host_w)}
    )
    spec = dict(data["architecture"], total_parameters_billion=data["active_parameters_billion"],
                active_parameters_billion=data["active_parameters_billion"], case="GPT-4o-class")
    preset = model({k: v for k, v in spec.items() if k != "assumption"})
    site = datacenter(pue=data["pue"])
    # Find the batch at which decode runs at the stated utilisation: one vectorised call over candidates.
    probe = scenario(preset, hw, site, usage(0, data["output_tokens"], 1))
    batches = np.arange(1.0, 513.0)
    inp = central(probe, batches.size)
    arch, acc = architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field)
    srv = inf.server(arch, acc, inf.default_layout(arch, inf.replica_size(arch, acc)), inp.choices.hardware_name)
    work = inf.decode(srv, batches, np.zeros(batches.size), np.full(batches.size, float(data["output_tokens"])))
    utilisation = work.flops / (work.accelerator_seconds * acc.peak_flops)
    batch = float(batches[np.argmin(abs(utilisation - data["compute_utilisation"]))])
    case = scenario(preset, hw, site, usage(0, output_tokens, batch))
    return float(evaluated(case, "facility").inference.wh_per_query[0]), batch


@cache
def _library():
    from app.domain.library import PresetLibrary

    return PresetLibrary()


def at_scale_server(case: dict[str, Any]) -> tuple[inf.Server, Any, Any]:
    """(server, accelerator, inputs) of a published multi-server deployment of the shipped DeepSeek-V3."""
    from app.domain.deployment import DeploymentPreset

    lib = _library()
    spec = case["deployment"]
    deployment = lib.get("deployment", spec) if isinstance(spec, str) else DeploymentPreset(**spec)
    hw = lib.get("hardware", case["hardware"])
    probe = scenario(lib.get("model", "deepseek-v3"), hw, datacenter(), usage(1000, 500, 1), deployment=deployment)
    inp = central(probe, 1)
    arch, acc = architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field)
    srv = inf.server(
        arch, acc, inf.layout_of(inp, arch, acc), inp.choices.hardware_name,
        inp.opt("deployment.draft_tokens", 0.0), inp.opt("deployment.draft_acceptance", 0.0),
    )
    return srv, acc, inp


def at_scale_figures(case: dict[str, Any]) -> dict[str, float]:
    """The engine's throughput at a published operating point (batch and context given, not solved)."""
    from app.engine import serving

    srv, acc, _ = at_scale_server(case)
    n, per_server = srv.accelerators, acc.per_server
    if case["phase"] == "prefill":
        tokens = _value(case["tokens_per_accelerator"])
        prompt = _value(case["prompt_tokens"])
        step = serving.step(srv.rates, np.zeros(1), np.zeros(1), n * tokens, prompt / 2.0)
        return {"input_tokens_per_s_per_node": float((per_server * tokens / step.seconds)[0])}
    sequences = _value(case["sequences_per_accelerator"])
    step = inf.decode_step(srv, n * sequences, np.full(1, _value(case["context_tokens"])))
    per_user = srv.accepted / step.seconds
    return {
        "output_tokens_per_s_per_node": float((per_server * sequences * per_user)[0]),
        "tokens_per_s_per_user": float(np.asarray(per_user).ravel()[0]),
    }


def error(engine: float, published: float) -> float:
    return engine / published - 1.0


def report() -> list[str]:
    lines = ["| case | figure | published | engine | error |", "|---|---|---|---|---|"]
    for case in cases()["training"]:
        figures = training_figures(case)
        for key, published in case["published"].items():
            lines.append(f"| {case['case']} | {key} (published inputs) | {published:,.4g} | {figures[key]:,.4g} | {error(figures[key], published):+.1%} |")
        predicted = training_figures(case, predict=True)["accelerator_hours"]
        published_hours = _value(case.get("published_pretraining_accelerator_hours", case["published_accelerator_hours"]))
        lines.append(f"| {case['case']} | accelerator-hours from 6ND + default MFU | {published_hours:,.4g} | {predicted:,.4g} | {error(predicted, published_hours):+.1%} |")
    epoch = cases()["inference"]["epoch"]
    for tokens, published in ((epoch["output_tokens"], epoch["published"]["wh_per_query"]), (1500, epoch["published"]["wh_per_1500_token_query"])):
        wh, batch = epoch_wh(tokens)
        lines.append(f"| Epoch AI GPT-4o-class | Wh per query, {tokens} tokens (batch {batch:g} = 10 % utilisation) | {published} | {wh:.3g} | {error(wh, published):+.1%} |")
    for case in cases()["serving_at_scale"]["cases"]:
        figures = at_scale_figures(case)
        for key, published in case["published"].items():
            value = _value(published)
            lines.append(f"| {case['case']} | {key} | {value:,.4g} | {figures[key]:,.4g} | {error(figures[key], value):+.1%} |")
    for item in cases()["inference"]["ml_energy"]["cases"]:
        joules, n = ml_energy_j_per_token(item)
        lines.append(f"| ML.ENERGY {item['model']} | J/token, batch {item['batch']} on {n:g} H100 | {item['j_per_token']} | {joules:.3g} | {error(joules, item['j_per_token']):+.1%} |")
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
