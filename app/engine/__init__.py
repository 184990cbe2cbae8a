"""The lifecycle energy engine: pure numpy, no Qt, no pydantic in the hot paths.

``evaluate(comparison, samples, seed)`` computes every scenario of a resolved
comparison; ``sensitivity(comparison, index, metric)`` ranks inputs by their
effect on one output. Results are the immutable dataclasses of
:mod:`app.engine.results`.
"""

from app.engine.evaluate import evaluate, evaluate_scenario
from app.engine.results import (
    Band,
    ComparisonResult,
    InferenceResult,
    ScenarioResult,
    TotalsResult,
    TrainingResult,
    summarize,
)
from app.engine.sensitivity import METRICS, SensitivityBar, sensitivity
from app.engine.training import default_mfu

__all__ = [
    "METRICS",
    "Band",
    "ComparisonResult",
    "InferenceResult",
    "ScenarioResult",
    "SensitivityBar",
    "TotalsResult",
    "TrainingResult",
    "default_mfu",
    "evaluate",
    "evaluate_scenario",
    "sensitivity",
    "summarize",
]
