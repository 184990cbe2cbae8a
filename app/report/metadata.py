"""What every exported file says about itself: comparison, boundary, samples, seed, version, source. No Qt.

A chart or table taken out of the app must still tell a reader what it shows
and how it was made: charts carry these lines as a caption under the plot,
CSV files as ``#`` comment lines above the header, and each export folder a
``metadata.json`` sidecar with the same fields.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import app
from app.domain.quoting import terminal_safe

if TYPE_CHECKING:
    from app.report.chart_data import ChartInputs

SEED = 0
"""The window and ``jevons export``/``report`` draw their samples with this seed."""
SOURCE = "Jevons lifecycle-energy model; inputs and their sources as listed in the comparison's presets"


def csv_comment_lines(fields: dict[str, object]) -> list[str]:
    """``# key: value`` lines for above a CSV header, each value on its one line: a line break or control
    character in a name from a file is written as its escape, so it cannot end the comment early and start a
    row of data (nor reach a terminal's control sequences when the CSV is printed)."""
    return [f"# {key}: {_one_line(value)}" for key, value in fields.items()]


def _one_line(value: object) -> str:
    return terminal_safe(str(value)).replace("\n", "\\n")


@dataclass(frozen=True, slots=True)
class ExportMetadata:
    comparison: str
    boundary: str
    samples: int
    scenarios: tuple[str, ...] = ()
    seed: int = SEED
    version: str = field(default_factory=lambda: app.__version__)
    """The installed Jevons, looked up when metadata is first made: not while the window starts, whose first
    pass imports this module for :data:`SEED` (the lookup reads the installed packages' records, ~1.7 ms)."""
    source: str = SOURCE
    created: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    @property
    def sampling(self) -> str:
        if self.samples <= 1:
            return "no input ranges (one deterministic run)"
        return f"medians and 5–95 % bands of {self.samples:,} Monte Carlo samples (seed {self.seed})"

    def caption(self, sampling: str | None = None) -> list[str]:
        """Two lines for under a chart; ``sampling`` for a chart whose figures are over samples of its own (What
        matters most's medians of 200), else the comparison's."""
        return [
            f"{self.comparison} · energy counted at the {self.boundary} · "
            + (f"{sampling} (seed {self.seed})" if sampling else self.sampling),
            f"Source: {self.source} · Jevons {self.version}",
        ]

    def csv_comments(self) -> list[str]:
        """``# key: value`` lines for above a CSV header."""
        fields = {"comparison": self.comparison, "boundary": self.boundary, "samples": self.samples,
                  "seed": self.seed, "scenarios": "; ".join(self.scenarios), "jevons_version": self.version,
                  "source": self.source, "created": self.created}
        return csv_comment_lines(fields)

    def to_json(self, **extra: object) -> str:
        return json.dumps({**asdict(self), "scenarios": list(self.scenarios), **extra}, indent=2, ensure_ascii=False) + "\n"


def metadata_for(inputs: ChartInputs) -> ExportMetadata:
    """The metadata of a computed comparison, as drawn in the window."""
    return ExportMetadata(inputs.resolved.name, inputs.resolved.boundary, inputs.samples, tuple(inputs.names))
