"""The selected scenario's training path, shown in the Usage tab under its usage profile.

The path (``app.domain.training_path``) belongs to the scenario, not to its usage preset, so the
section's title names the scenario. It sits under the usage because the usage sets the path's
cadence (a successor run every ``retrain_every_months``) and its efficiency trend. The form is
generated from :class:`TrainingPath`'s fields like every other preset form: each value with its
unit, range, bounds and source in the tooltip; the entrant elasticity is optional (an empty value
box unsets it: no labs enter). A scenario without a path shows the neutral values it trains as
(``edits.NEUTRAL_TRAINING_PATH``) under a note; editing one gives it a path, and Remove drops it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.domain.training_path import TrainingPath
from app.gui.editors.notes import note_label
from app.gui.editors.preset_form import PresetForm
from app.gui.editors.section_title import set_section_title
from app.session.edits import NEUTRAL_TRAINING_PATH

ABSENT_NOTE = ("No training path: successor runs keep the launch run's compute, no training saving is "
               "re-spent and no labs enter (the values below). Editing one gives the scenario a path.")
SECTION_TIP = ("The training side of the rebound: successor runs (one per the usage's Retraining cadence) grow "
               "their compute each year, a share of the training saving against the baseline is spent again "
               "on training, and cheaper training draws more labs in. The waterfall's \"Training re-spent\" "
               "bar shows the last two (docs/methodology.md, The training channel).")


class TrainingPathSection(QGroupBox):
    """A titled form of one scenario's training path, with a note when it has none and a way to drop it."""

    fieldEdited = Signal(object, object)
    """(path inside the training path, JSON value) the user changed."""
    removeRequested = Signal()
    """The user wants the scenario to train without a path."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("training_path.section")
        self.setToolTip(SECTION_TIP)
        self.form = PresetForm(TrainingPath)
        self.form.setObjectName("training_path.form")
        self.form.fieldEdited.connect(self.fieldEdited)
        self.absent_note = note_label("training_path.absent_note", ABSENT_NOTE)
        self.remove_button = QPushButton("Remove training path")
        self.remove_button.setObjectName("training_path.remove")
        self.remove_button.setToolTip("Train this scenario without a path: successors of the launch run's "
                                      "compute, nothing re-spent, no entrants (Undo brings the path back)")
        self.remove_button.clicked.connect(self.removeRequested)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.absent_note)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        self.shown: TrainingPath | None = None
        """The path the form shows: the scenario's own, or the neutral one it trains as without."""

    def set_scenario(self, name: str, path: TrainingPath | None, force: bool = False) -> None:
        """Show scenario ``name``'s training path (None: it has none)."""
        set_section_title(self, f"Training path of {name}")
        self.absent_note.setVisible(path is None)
        self.remove_button.setVisible(path is not None)
        shown = NEUTRAL_TRAINING_PATH if path is None else path
        if force or shown is not self.shown:
            self.form.set_preset(shown, force=force)
        self.shown = shown
