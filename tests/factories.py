"""Small valid preset documents for tests, as plain JSON-ready dicts.

They hold the fewest fields a valid file needs, with round numbers: tests
change one field and check what the loader says about it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

MODEL: dict[str, Any] = {
    "format_version": 3,
    "kind": "model",
    "name": "Test MoE",
    "total_parameters_billion": 100,
    "active_parameters_billion": 20,
    "layers": 40,
    "hidden_size": 5120,
    "attention_heads": 40,
    "kv_heads": 8,
    "context_length_tokens": 4096,
    "moe": {"routed_experts": 16, "experts_per_token": 2, "parameters_per_expert_billion": 5},
    "pretraining_tokens_trillion": 10,
    "training": {"accelerator_count": 1024, "mfu": 0.4},
}

HARDWARE: dict[str, Any] = {
    "format_version": 3,
    "kind": "hardware",
    "name": "Test GPU",
    "peak_tflops_bf16": 1000,
    "memory_gb": 80,
    "memory_bandwidth_tb_s": 3,
    "idle_power_w": 80,
    "max_power_w": 700,
    "host_power_w": 500,
    "accelerators_per_server": 8,
    "price_usd_per_hour": 2,
    "embodied_kgco2e": 2000,
    "lifetime_years": 5,
}

DATACENTER: dict[str, Any] = {
    "format_version": 3,
    "kind": "datacenter",
    "name": "Test site",
    "pue": 1.2,
    "grid_kgco2e_per_kwh": 0.4,
    "wue_l_per_kwh": 0.5,
    "electricity_water_l_per_kwh": 3,
    "electricity_usd_per_kwh": 0.08,
}

USAGE: dict[str, Any] = {
    "format_version": 3,
    "kind": "usage",
    "name": "Test chat",
    "prompt_tokens": 400,
    "answer_tokens": 300,
    "batch_size": 32,
    "fleet_utilisation": 0.5,
    "horizon_years": 5,
}

MARKET: dict[str, Any] = {
    "format_version": 3,
    "kind": "market",
    "name": "Test market",
    "demand": {"curve": "logistic", "peak_queries_per_day": 1e8, "midpoint_month": 18, "growth_rate_per_month": 0.3},
}


def comparison(**changes: Any) -> dict[str, Any]:
    """A two-scenario comparison embedding the presets above."""
    embedded = {
        key: {k: v for k, v in copy.deepcopy(preset).items() if k != "format_version"}
        for key, preset in (("model", MODEL), ("hardware", HARDWARE), ("datacenter", DATACENTER), ("usage", USAGE))
    }
    document = {
        "format_version": 3,
        "kind": "comparison",
        "name": "Test comparison",
        "market": {k: v for k, v in copy.deepcopy(MARKET).items() if k != "format_version"},
        "scenarios": [{"name": "A", **embedded}, {"name": "B", **copy.deepcopy(embedded)}],
    }
    document.update(changes)
    return document


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def changed(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``document`` with the dotted ``path`` set to ``value`` (None deletes)."""
    result = copy.deepcopy(document)
    node = result
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is None:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return result
