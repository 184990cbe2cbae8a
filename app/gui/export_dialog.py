"""Choose what to export: which charts, which formats, the PNG scale and the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.render.export import DEFAULT_SCALE, FORMATS, planned_files
from app.render.plots import ChartView

ALL = "__all__"


class ExportDialog(QDialog):
    def __init__(self, charts: list[ChartView], folder: str, parent: QWidget | None = None,
                 chosen: str | None = None):
        """``chosen``: the chart_id selected at first (all charts when None)."""
        super().__init__(parent)
        self.setWindowTitle("Export charts")
        self.chart = QComboBox()
        self.chart.addItem("All charts (and the summary table as CSV)", ALL)
        for chart in charts:
            self.chart.addItem(chart.title, chart.chart_id)
        if chosen is not None and self.chart.findData(chosen) >= 0:
            self.chart.setCurrentIndex(self.chart.findData(chosen))
        self.format_checks = {fmt: QCheckBox(fmt.upper()) for fmt in FORMATS}
        for fmt in ("png", "svg", "csv"):
            self.format_checks[fmt].setChecked(True)
        formats = QHBoxLayout()
        for check in self.format_checks.values():
            formats.addWidget(check)
        self.scale_box = QDoubleSpinBox()
        self.scale_box.setRange(0.5, 8)
        self.scale_box.setSingleStep(0.5)
        self.scale_box.setValue(DEFAULT_SCALE)
        self.scale_box.setSuffix("×")
        self.scale_box.setToolTip("PNG size relative to the chart on screen")
        self.folder = QLineEdit(folder)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Export")
        for check in self.format_checks.values():
            check.toggled.connect(self._on_format_toggled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._all_ids = [chart.chart_id for chart in charts]
        form = QFormLayout(self)
        form.addRow("Charts", self.chart)
        form.addRow("Formats", formats)
        form.addRow("PNG scale", self.scale_box)
        form.addRow("Folder", where)
        form.addRow(buttons)

    def accept(self) -> None:
        """Export, once the user agreed to replace any file that is already there."""
        existing = [path for path in planned_files(self.chart_ids, self._all_ids, self.formats, self.out_dir)
                    if path.exists()]
        if existing and not self.confirm_overwrite(existing):
            return
        super().accept()

    def confirm_overwrite(self, existing: list[Path]) -> bool:
        """Ask before replacing files (tests replace this)."""
        names = "\n".join(path.name for path in existing[:8]) + ("\n…" if len(existing) > 8 else "")
        answer = QMessageBox.question(
            self, "Replace files?",
            f"{len(existing)} file{'s' if len(existing) != 1 else ''} already in {self.out_dir} will be replaced:\n{names}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_format_toggled(self, _on: bool) -> None:
        self.ok_button.setEnabled(bool(self.formats))  # nothing to write without a format

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if folder:
            self.folder.setText(folder)

    @property
    def out_dir(self) -> Path:
        return Path(self.folder.text())

    @property
    def formats(self) -> list[str]:
        return [fmt for fmt, check in self.format_checks.items() if check.isChecked()]

    @property
    def scale(self) -> float:
        return self.scale_box.value()

    @property
    def chart_ids(self) -> list[str] | None:
        data = self.chart.currentData()
        return None if data == ALL else [data]
