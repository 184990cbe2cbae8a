"""The lifecycle energy engine: pure numpy, no Qt, no pydantic in the hot paths.

``evaluate(comparison, samples, seed)`` computes every scenario of a resolved
comparison; ``sensitivity(comparison, index, metric)`` ranks inputs by their
effect on one output. Results are the immutable dataclasses of
:mod:`app.engine.results`. Importing the engine tunes the C allocator to keep
freed arrays for reuse (:mod:`app.engine.allocator`).
"""

from app.engine.allocator import keep_freed_memory

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

keep_freed_memory()

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
