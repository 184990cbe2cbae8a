"""The selected scenario's own place in the shared market, shown at the top of the Market tab's form.

The market is one for all scenarios; each scenario serves a share of it (``demand_share``) from its
launch on (``launch_months_after_start``, for a model released after the comparison's start). These
are the scenario's own inputs (``SCENARIO_INPUTS``), not a preset's, so the section's title names the
scenario. The form is generated from the :class:`Scenario` fields like every other form: each value
with its unit, range, bounds and source in the tooltip; an edit is the change part "scenario".
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from app.domain.scenario import SCENARIO_INPUTS, Scenario
from app.gui.editors.preset_form import PresetForm
from app.gui.editors.section_title import set_section_title


class ScenarioInputsSection(QGroupBox):
    """A titled form of one scenario's share of the market and its launch."""

    fieldEdited = Signal(object, object)
    """(path of the scenario's input, JSON value) the user changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scenario.section")
        self.form = PresetForm(Scenario, fields=SCENARIO_INPUTS)
        self.form.setObjectName("scenario.form")
        self.form.fieldEdited.connect(self.fieldEdited)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.form)
        self.scenario: Scenario | None = None

    def set_scenario(self, scenario: Scenario, force: bool = False) -> None:
        """Show ``scenario``'s share of the market and launch."""
        set_section_title(self, f"{scenario.name} in this market")
        if force or self.scenario is None or any(
            getattr(scenario, name) != getattr(self.scenario, name) for name in SCENARIO_INPUTS
        ):
            self.form.set_preset(scenario, force=force)
        self.scenario = scenario
