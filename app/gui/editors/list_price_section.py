"""The selected scenario's list prices, shown in the Market tab under the shared market.

The market is one for all scenarios, but each scenario has its own published
API prices; the section's title names the scenario so that it is clear whose
prices are edited. The form is generated from :class:`ListPrice`'s fields like
every other preset form. The prices drive the rebound only when the market's
price basis is "list"; under "cost" a note says they are not used. A scenario
without list prices (priced at its serving cost) shows a note instead of a form.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from app.domain.market import ListPrice
from app.gui.editors.notes import note_label
from app.gui.editors.preset_form import PresetForm
from app.gui.editors.section_title import set_section_title

COST_NOTE = "The market's price basis is \"cost\": these list prices are not used; set it to \"list\" to use them."
MISSING_NOTE = ("This scenario has no list prices: it is priced at its serving cost. "
                "Add a list_price to it in the comparison file to price it by the token.")


class ListPriceSection(QGroupBox):
    """A titled form of one scenario's list prices, with notes saying when they do not apply."""

    fieldEdited = Signal(object, object)
    """(path inside the list price, JSON value) the user changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("list_price.section")
        self.form = PresetForm(ListPrice)
        self.form.setObjectName("list_price.form")
        self.form.fieldEdited.connect(self.fieldEdited)
        self.basis_note = note_label("list_price.basis_note")
        self.missing_note = note_label("list_price.missing_note", MISSING_NOTE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.basis_note)
        layout.addWidget(self.missing_note)
        layout.addWidget(self.form)
        self.prices: ListPrice | None = None

    def set_scenario(self, name: str, prices: ListPrice | None, force: bool = False) -> None:
        """Show scenario ``name``'s list prices (None: it has none)."""
        set_section_title(self, f"List prices of {name}")
        self.missing_note.setVisible(prices is None)
        self.form.setVisible(prices is not None)
        if prices is not None and (force or prices is not self.prices):
            self.form.set_preset(prices, force=force)
        self.prices = prices

    def set_price_basis(self, basis: str) -> None:
        """Say when the market prices queries at their cost, so list prices do not count."""
        self.basis_note.setText(COST_NOTE if basis == "cost" else "")
        self.basis_note.setVisible(basis == "cost")

