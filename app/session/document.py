"""The open comparison, its file and its undo history. No Qt.

Comparisons are frozen snapshots, so the history is a list of them: an edit
appends a new snapshot (dropping any redo branch), undo and redo move an index.
The window is a view of ``Document.comparison`` and never mutates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain.scenario import Comparison

MAX_HISTORY = 500


@dataclass(frozen=True, slots=True)
class Snapshot:
    comparison: Comparison
    label: str
    """What the edit that produced this snapshot did, e.g. "Edit model.layers"."""


class Document:
    """A comparison being edited: the current snapshot, its history, its file."""

    def __init__(self, comparison: Comparison, path: Path | None = None, saved: bool | None = None):
        """``saved`` says whether the first snapshot counts as unmodified (default: it has a file)."""
        self._history: list[Snapshot] = [Snapshot(comparison, "Open")]
        self._index = 0
        self._saved_index: int | None = 0 if (path is not None if saved is None else saved) else None
        self.path = path

    @property
    def comparison(self) -> Comparison:
        return self._history[self._index].comparison

    @property
    def dirty(self) -> bool:
        """True when the current snapshot is not the one last saved (or never saved)."""
        return self._saved_index != self._index

    def apply(self, comparison: Comparison, label: str) -> bool:
        """Record ``comparison`` as the next snapshot; False when nothing changed."""
        if comparison == self.comparison:
            return False
        del self._history[self._index + 1 :]
        if self._saved_index is not None and self._saved_index > self._index:
            self._saved_index = None
        self._history.append(Snapshot(comparison, label))
        self._index += 1
        if len(self._history) > MAX_HISTORY:
            drop = len(self._history) - MAX_HISTORY
            del self._history[:drop]
            self._index -= drop
            if self._saved_index is not None:
                self._saved_index = self._saved_index - drop if self._saved_index >= drop else None
        return True

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._history) - 1

    @property
    def undo_label(self) -> str:
        return self._history[self._index].label if self.can_undo else ""

    @property
    def redo_label(self) -> str:
        return self._history[self._index + 1].label if self.can_redo else ""

    def undo(self) -> bool:
        if not self.can_undo:
            return False
        self._index -= 1
        return True

    def redo(self) -> bool:
        if not self.can_redo:
            return False
        self._index += 1
        return True

    @property
    def saved_comparison(self) -> Comparison | None:
        """The comparison as opened or last saved, while the history holds it (None once it does not)."""
        return self._history[self._saved_index].comparison if self._saved_index is not None else None

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self._saved_index = self._index
