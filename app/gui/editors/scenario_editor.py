"""Editors of the selected scenario's model, hardware, datacenter, usage, deployment, training path, place in the
market (share and launch) and list prices, and of the shared market."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.domain.field_labels import path_label
from app.domain.library import PresetLibrary
from app.domain.model_preset import ModelPreset
from app.domain.scenario import Comparison, Scenario
from app.domain.usage import UsagePreset
from app.gui.editors.list_price_section import ListPriceSection
from app.gui.editors.notes import note_label
from app.gui.editors.preset_editor import PresetEditor
from app.gui.editors.preset_form import PresetForm
from app.gui.editors.quantity_field import QuantityField
from app.gui.editors.scenario_inputs_section import ScenarioInputsSection
from app.gui.editors.training_path_section import TrainingPathSection
from app.session import edits
from app.session.coupling import architecture_note, reasoning_note
from app.session.form_spec import field_specs
from app.session.grid_choices import GRID_PATH, grid_choices, matching_choice
from app.session.part_origin import Origin, overridden_fields, part_origin, version_note

TABS = (("model", "model", "Model"), ("hardware", "hardware", "Hardware"),
        ("datacenter", "datacenter", "Datacenter"), ("usage", "usage", "Usage"),
        ("deployment", "deployment", "Deployment"), ("market", "market", "Market"))
SHARED_PARTS = ("market",)
"""Parts the comparison holds for all of its scenarios."""
SAME = "__same__"


def _same(preset: Any, shown: Any) -> bool:
    """Whether ``preset`` holds what the form shows (``shown``): the same object, or equal values."""
    return preset is shown or (preset is not None and shown is not None and preset == shown)


class ScenarioEditor(QWidget):
    """Tabs of generated preset forms; turns widget edits into requested changes.

    Mixture-of-experts and chain-of-thought are explicit options at the top of
    the model form. Switching reasoning on reveals reasoning tokens per query
    and, in the same section, the usage's share of reasoning queries.
    """

    changesRequested = Signal(object, str, object)
    """(list of edits.Change, undo label, (part, path) the edit came from)."""
    presetChosen = Signal(str, object)
    """(part, shipped id or None) picked from a preset list; None drops an optional part (``edits.OPTIONAL_PARTS``)."""
    saveAsRequested = Signal(str)

    def __init__(self, library: PresetLibrary, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.tabs = QTabWidget()
        # Every tab in view, never behind scroll arrows: the Market tab holds the price elasticity
        # that decides the verdict. Tabs share the bar's width, tight padding first, eliding last.
        self.tabs.tabBar().setUsesScrollButtons(False)
        self.tabs.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.tabBar().setExpanding(True)
        self.tabs.setStyleSheet("QTabBar::tab { padding: 4px 6px; }")
        self.editors: dict[str, PresetEditor] = {}
        for part, kind, label in TABS:
            editor = PresetEditor(part, kind, edits.PART_CLASSES[part], library)
            editor.presetChosen.connect(self.presetChosen)
            editor.saveAsRequested.connect(self.saveAsRequested)
            editor.fieldEdited.connect(lambda path, value, p=part: self._on_form_field_edited(p, path, value))
            editor.sectionToggled.connect(lambda path, on, p=part: self._on_form_section_toggled(p, path, on))
            editor.variantChosen.connect(lambda path, tag, p=part: self._on_form_variant_chosen(p, path, tag))
            self.editors[part] = editor
            self.tabs.addTab(editor, label)
        # The share of reasoning queries is a usage value, shown beside the model's reasoning tokens.
        share_spec = next(s for s in field_specs(UsagePreset) if s.name == "reasoning_share")
        self.reasoning_share = QuantityField(share_spec)
        self.reasoning_share.setObjectName("reasoning_share")
        self.reasoning_share.edited.connect(
            lambda value: self._on_form_field_edited("usage", ("reasoning_share",), value)
        )
        self.editors["model"].formBuilt.connect(
            lambda form: form.groups[("reasoning",)].form.addRow("Share of reasoning queries", self.reasoning_share)
        )
        # Couplings between settings, explained where they bite (app.session.coupling).
        self.notes: dict[str, QLabel] = {}
        model_layout = self.editors["model"].layout()
        for key in ("architecture", "reasoning"):
            note = note_label(f"note.{key}")
            model_layout.insertWidget(1 if key == "architecture" else 2, note)
            self.notes[key] = note
        # Training may run on other hardware than serving.
        self.training_hardware = QComboBox()
        self.training_hardware.setObjectName("training_hardware.picker")
        self.training_hardware.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.training_hardware.setMinimumContentsLength(14)
        self.training_hardware.setToolTip("Hardware of the training cluster")
        self.training_hardware.currentIndexChanged.connect(self._on_training_hardware_index_changed)
        row = QFormLayout()
        row.addRow("Training on", self.training_hardware)
        self.editors["hardware"].layout().insertLayout(1, row)
        # The datacenter's grid chosen by country (app.session.grid_choices).
        self.grid = QComboBox()
        self.grid.setObjectName("grid.picker")
        self.grid.setAccessibleName("Grid by country or region")
        self.grid.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.grid.setMinimumContentsLength(14)
        self.grid.addItem("Choose a country or region…", None)
        for choice in grid_choices():
            self.grid.addItem(f"{choice.name}: {choice.g_co2e_per_kwh:g} gCO₂e/kWh ({choice.year})", choice.id)
            self.grid.setItemData(self.grid.count() - 1, choice.source, Qt.ItemDataRole.ToolTipRole)
        self.grid.setToolTip("Sets the grid carbon intensity to a country's published annual average (with its source)")
        self.grid.currentIndexChanged.connect(self._on_grid_index_changed)
        grid_row = QFormLayout()
        grid_row.addRow("Grid of", self.grid)
        self.editors["datacenter"].layout().insertLayout(1, grid_row)
        # The selected scenario's share of the market and launch, at the top of the market it serves (inside
        # the form's scroll area: the tab's fixed part below it would not fit a 600-pixel-high window).
        self.scenario_inputs = ScenarioInputsSection()
        self.scenario_inputs.fieldEdited.connect(
            lambda path, value: self._on_form_field_edited(edits.SCENARIO_PART, path, value)
        )
        self.editors["market"].formBuilt.connect(lambda form: form.layout().insertRow(0, self.scenario_inputs))
        # The selected scenario's own list prices, below the market they price queries in.
        self.list_prices = ListPriceSection()
        self.list_prices.fieldEdited.connect(lambda path, value: self._on_form_field_edited("list_price", path, value))
        self.editors["market"].layout().addWidget(self.list_prices)
        # The selected scenario's training path, below the usage that sets its cadence.
        self.training_path = TrainingPathSection()
        self.training_path.fieldEdited.connect(
            lambda path, value: self._on_form_field_edited("training_path", path, value)
        )
        self.training_path.removeRequested.connect(lambda: self.presetChosen.emit("training_path", None))
        self.editors["usage"].layout().addWidget(self.training_path)
        # How the engine serves the selected scenario (the automatic search's choice), from the last result.
        self.deployment_choice = QLabel()
        self.deployment_choice.setObjectName("deployment.choice")
        self.deployment_choice.setWordWrap(True)
        self.deployment_choice.setTextFormat(Qt.TextFormat.PlainText)
        self.deployment_choice.setStyleSheet("QLabel { padding: 2px; }")
        self.editors["deployment"].layout().insertWidget(1, self.deployment_choice)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the scenario's name is data, not markup
        self.title.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.scenario: Scenario | None = None
        self.parts: dict[str, Any] = {}
        self._training_ref: Any = object()

    # ------------------------------------------------------------ model -> view

    def commit_pending(self) -> None:
        """Commit typed text that is still waiting for its pause, in every form."""
        for editor in self.editors.values():
            if editor.built:  # a form never shown holds nothing typed
                editor.form.commit_pending()
        self.reasoning_share.commit_pending()
        for section in self._sections().values():
            section.commit_pending()

    def set_scenario(self, scenario: Scenario, force: bool = False, index: int = 0,
                     saved: Comparison | None = None) -> None:
        """Show ``scenario`` (the ``index``-th) with its presets (overrides applied), each version of a preset
        named as the comparison's own or as edited against ``saved``, the comparison as opened or last saved."""
        self.scenario = scenario
        self.title.setText(f"Scenario: {scenario.name}")
        for part, editor in self.editors.items():
            if part in SHARED_PARTS:
                continue
            preset = edits.effective_part(scenario, part, self.library)
            ref = getattr(scenario, part)
            origin = part_origin(scenario, index, part, saved)
            shown = ref if origin == "shipped" else None
            # Snapshots share unchanged presets, so an edit redraws only the form it touched. A part with
            # overrides is rebuilt for every snapshot: compared by value, an edit elsewhere leaves its form as it is.
            if force or editor.ref != shown or editor.origin != origin or not _same(preset, self.parts.get(part)):
                editor.set_preset(shown, preset, force=force, origin=origin,
                                  note=version_note(preset.name, origin, overridden_fields(scenario, part)))
            self.parts[part] = preset
        self.reasoning_share.set_quantity(self.parts["usage"].reasoning_share, force=force)
        self._show_notes()
        self._show_grid(self.parts["datacenter"].grid_kgco2e_per_kwh)
        self.scenario_inputs.set_scenario(scenario, force=force)
        self.parts[edits.SCENARIO_PART] = scenario
        self.parts["list_price"] = edits.effective_part(scenario, "list_price", self.library)
        self.list_prices.set_scenario(scenario.name, self.parts["list_price"], force=force)
        self.training_path.set_scenario(scenario.name, edits.effective_part(scenario, "training_path", self.library),
                                        force=force)
        self.parts["training_path"] = self.training_path.shown  # the neutral path, for a scenario without one
        if force or scenario.training_hardware != self._training_ref:
            self._training_ref = scenario.training_hardware
            self._fill_training_hardware(scenario.training_hardware)

    def set_market(self, ref: Any, preset: Any, force: bool = False, origin: Origin = "edited") -> None:
        """Show the comparison's market (``ref`` its shipped id, or the embedded preset, whose ``origin`` says
        whether it is the comparison's own or edited)."""
        shown = ref if isinstance(ref, str) else None
        editor = self.editors["market"]
        if force or preset is not self.parts.get("market") or editor.ref != shown or editor.origin != origin:
            editor.set_preset(shown, preset, force=force, origin=origin, note=version_note(preset.name, origin, []))
        self.parts["market"] = preset
        self.list_prices.set_price_basis(preset.price_basis)
        if "model" in self.parts:
            self._show_notes()

    def _show_notes(self) -> None:
        """Say where the selected scenario's settings are overridden by others (app.session.coupling)."""
        model, usage, market = self.parts["model"], self.parts["usage"], self.parts.get("market")
        texts = (("architecture", architecture_note(model)), ("reasoning", reasoning_note(model, usage, market)))
        for key, text in texts:
            note = self.notes[key]
            if note.text() != text:
                note.setText(text)
            note.setVisible(bool(text))

    def _show_grid(self, grid: Any) -> None:
        """Select the shipped grid the datacenter's value came from, or the prompt when it came from elsewhere."""
        choice = matching_choice(grid.value, grid.source)
        with QSignalBlocker(self.grid):
            self.grid.setCurrentIndex(max(self.grid.findData(choice.id), 0) if choice else 0)

    def _fill_training_hardware(self, ref: Any) -> None:
        combo = self.training_hardware
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItem("Same as serving hardware", SAME)
            if ref is not None and not isinstance(ref, str):
                combo.addItem(f"✎ {ref.name} (embedded)", "__embedded__")
            for preset_id in self.library.ids("hardware"):
                combo.addItem(preset_id, preset_id)
            key = SAME if ref is None else ref if isinstance(ref, str) else "__embedded__"
            combo.setCurrentIndex(max(combo.findData(key), 0))

    def show_error(self, part: str, path: tuple[str, ...], message: str) -> None:
        model = self.parts.get("model")
        if (part, path) == ("usage", ("reasoning_share",)) and model is not None and model.reasoning is not None:
            self.reasoning_share.show_error(message)
        self._form(part).show_error(path, message)

    def _sections(self) -> dict[str, PresetForm]:
        """Forms of the selected scenario's own parts that sit below a tab's preset form."""
        return {edits.SCENARIO_PART: self.scenario_inputs.form, "list_price": self.list_prices.form,
                "training_path": self.training_path.form}

    def _form(self, part: str) -> PresetForm:
        """The form that edits ``part`` (the scenario's own inputs and list prices sit below the market's form,
        the training path below the usage's)."""
        sections = self._sections()
        return sections[part] if part in sections else self.editors[part].form

    def refuse(self, part: str, path: tuple[str, ...], message: str) -> None:
        """Say at the field why its edit was refused, and show the snapshot's value again.

        The field is flagged first so the redraw keeps its typed text; a refused
        choice or switch goes back to the shown preset's value; then it is flagged
        again, since the redraw clears a section's error.
        """
        self.show_error(part, path, message)
        self._form(part).set_preset(self.parts[part])
        self.show_error(part, path, message)

    def clear_error(self, part: str, path: tuple[str, ...]) -> None:
        built = part in self._sections() or self.editors[part].built
        if built and path in self._form(part).quantities:
            self._form(part).quantities[path].clear_error()
        if (part, path) == ("usage", ("reasoning_share",)):
            self.reasoning_share.clear_error()

    def field(self, part: str, *path: str) -> QuantityField:
        if (part, path) == ("usage", ("reasoning_share",)) and self.tabs.currentWidget() is self.editors["model"]:
            return self.reasoning_share
        return self._form(part).field(*path)

    # ------------------------------------------------------------ view -> model

    def _request(self, changes: list[edits.Change], label: str, origin: tuple[str, tuple[str, ...]]) -> None:
        self.changesRequested.emit(changes, label, origin)

    def _on_form_field_edited(self, part: str, path: tuple[str, ...], value: object) -> None:
        self._request([(part, path, value)], f"Edit {path_label((part, *path))}", (part, path))

    def _on_form_section_toggled(self, part: str, path: tuple[str, ...], on: bool) -> None:
        model: ModelPreset = self.parts["model"]
        if (part, path) == ("model", ("moe",)):
            changes = edits.moe_changes(model, on)
            label = "Switch mixture-of-experts " + ("on" if on else "off")
        elif (part, path) == ("model", ("reasoning",)):
            changes = edits.reasoning_changes(self.parts["usage"], on)
            label = "Switch reasoning " + ("on" if on else "off")
        else:
            seed = edits.OPTIONAL_SEEDS.get((part, path), {}) if on else None
            changes = [(part, path, seed)]
            label = f"Switch {path_label((part, *path))} " + ("on" if on else "off")
        self._request(changes, label, (part, path))

    def _on_form_variant_chosen(self, part: str, path: tuple[str, ...], tag: str) -> None:
        self._request([(part, path, edits.DEMAND_SEEDS[tag])], f"Use {tag} {'.'.join(path)}", (part, path))

    def _on_grid_index_changed(self, index: int) -> None:
        choice = next((g for g in grid_choices() if g.id == self.grid.itemData(index)), None)
        if choice is not None:
            self._request([choice.change()], f"Set grid to {choice.name}", ("datacenter", GRID_PATH))

    def _on_training_hardware_index_changed(self, index: int) -> None:
        data = self.training_hardware.itemData(index)
        if data == "__embedded__":
            return
        self.presetChosen.emit("training_hardware", None if data == SAME else data)
