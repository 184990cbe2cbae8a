"""Published figures a comparison is checked against, shown beside the engine's own.

A published case (``presets/comparisons/published-*.json``) feeds the engine a
paper's inputs; its ``published`` list holds the paper's results, so the
window, the report and ``jevons evaluate`` can put each beside the figure the
engine computes and the difference between them. A figure is named by its key
in ``evaluate --json`` under a scenario, so there is one name for it everywhere.
"""


from pydantic import Field, field_validator

from app.domain.base import StrictModel

PUBLISHED_FIGURES: dict[str, tuple[str, str]] = {
    "training.energy_mwh": ("Training energy", "MWh"),
    "training.co2e_operational_t": ("Training CO2e from electricity", "t"),
    "training.accelerator_hours": ("Training accelerator-hours", "hours"),
    "training.cost_usd": ("Training cost", "USD"),
    "training.flops": ("Training compute", "FLOP"),
    "inference.wh_per_query": ("Energy per query", "Wh"),
}
"""The figures a published result can be set beside: key in ``evaluate --json`` -> (label, unit)."""


class PublishedFigure(StrictModel):
    """One published result, with its source, to set beside the engine's figure for the baseline scenario
    (a published case has one scenario: the paper's inputs)."""

    figure: str = Field(description="Which figure, by its key in `jevons evaluate --json`: "
                        + ", ".join(PUBLISHED_FIGURES) + ".")
    value: float = Field(gt=0, description="The published value, in the figure's unit.")
    source: str = Field(min_length=1, description="Where the value is published (paper, table, page).")

    @field_validator("figure")
    @classmethod
    def _check_figure(cls, figure: str) -> str:
        if figure not in PUBLISHED_FIGURES:
            raise ValueError(f"{figure!r} is not a figure Jevons computes; known: {', '.join(PUBLISHED_FIGURES)}")
        return figure

    @property
    def label(self) -> str:
        return PUBLISHED_FIGURES[self.figure][0]

    @property
    def unit(self) -> str:
        return PUBLISHED_FIGURES[self.figure][1]
