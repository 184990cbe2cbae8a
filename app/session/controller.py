"""The session controller: the open comparison, the scenario being edited, and what to compute. No Qt.

The window's views report user actions; this turns each into an edit of
:mod:`app.session.edits` recorded in the :class:`Document` (so it can be
undone), keeps the selected scenario in range, and says what the engine is to
compute next (:meth:`Session.request`). Resolution re-resolves only the
scenarios an edit changed (:class:`Resolver`), and the engine's per-scenario
memo recomputes only those (``app.session.results``).

Every method either succeeds or raises with the reason and leaves the session
as it was: :class:`EditError` for a refused edit, :class:`PresetFileError`
for a file that cannot be used, ``OSError`` for a file that cannot be written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.domain.errors import PresetFileError, Problem
from app.domain.files import save_preset
from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_any
from app.domain.scenario import Comparison
from app.session import edits
from app.session.document import Document
from app.session.resolution import Resolver

if TYPE_CHECKING:
    from app.session.compute import Focus

DEFAULT_COMPARISON = "deepseek-question"
"""Opened at start and by New: the shipped DeepSeek question, untitled so Save never overwrites it."""

Change = Callable[[Comparison], Comparison]

WITHOUT = {"training_hardware": "Train on the serving hardware", "training_path": "Remove the training path"}
"""Undo texts of going without an optional part (``edits.OPTIONAL_PARTS``)."""


def example_path(example_id: str) -> Path:
    """The shipped comparison ``example_id`` (``deepseek-question``, ``published-gpt-3`` ...)."""
    return paths.presets_dir() / "comparisons" / f"{example_id}.json"


def _file_of(document: Document | None) -> str:
    """The file a document's problems name: its path, or none while it is untitled."""
    return str(document.path) if document is not None and document.path is not None else ""


@dataclass(frozen=True, slots=True)
class Request:
    """What the engine is asked to compute for the current snapshot."""

    resolved: ResolvedComparison
    focus: Focus | None
    """(scenario, metric) whose sensitivity is wanted with the result; None when its view is hidden."""


class Session:
    """One open comparison being edited against a preset library."""

    def __init__(self, library: PresetLibrary):
        self.library = library
        self.resolver = Resolver(library)
        self.document: Document | None = None
        self.selected = 0
        """Index of the scenario shown in the editors (and whose sensitivity is shown)."""

    @property
    def comparison(self) -> Comparison:
        if self.document is None:
            raise LookupError("no comparison is open")
        return self.document.comparison

    # ------------------------------------------------------------ documents

    def open(self, document: Document) -> None:
        """Edit ``document`` from now on (scenarios without a colour get one; the first is selected).

        All or nothing: the document is checked first (:meth:`check`), and one that
        cannot be shown or computed raises with the reason, leaving the session as it was.
        """
        self.check(document.comparison, _file_of(document))
        self.document = Document(edits.fill_colors(document.comparison), document.path, saved=not document.dirty)
        self.selected = 0

    def restore(self, document: Document | None, selected: int) -> None:
        """Put back a document this session had open (its undo history and selection as they were)."""
        self.document = document
        self.selected = selected

    def check(self, comparison: Comparison, file: str = "") -> None:
        """Raise (PresetFileError, EditError) unless every view can show ``comparison`` and the engine take it:
        every scenario resolves, and every part of every scenario can be shown in the editors. Problems name
        ``file``, the document's path, as the command line's do."""
        self.resolver(comparison, file)
        for index in range(len(comparison.scenarios)):
            for part in edits.PART_CLASSES:
                edits.part_of(comparison, index, part, self.library)

    def load(self, path: str | Path) -> Any:
        """The comparison or single preset in ``path``; a comparison must resolve against the library."""
        return load_any(path, self.library)

    def example_document(self, example_id: str) -> Document:
        """A new, untitled copy of a shipped comparison, so Save never overwrites the example
        (PresetFileError if it is missing or broken)."""
        path = example_path(example_id)
        comparison = self.load(path)
        if not isinstance(comparison, Comparison):
            raise PresetFileError([Problem(str(path), "kind", "is not a comparison")])
        return Document(comparison, None, saved=True)

    def save(self, path: str | Path) -> Path:
        """Write the comparison to ``path`` and remember it as saved there."""
        path = Path(path)
        save_preset(path, self.comparison)
        assert self.document is not None
        self.document.mark_saved(path)
        return path

    def part(self, part: str) -> Any:
        """The selected scenario's ``part`` preset as edited (the market for "market")."""
        return edits.part_of(self.comparison, self.selected, part, self.library)

    def save_part(self, part: str, path: str | Path) -> Any:
        """Write the selected scenario's ``part`` preset as a preset file of its own; returns it."""
        preset = self.part(part)
        save_preset(Path(path), preset)
        return preset

    # ------------------------------------------------------------ edits

    def edit(self, change: Change, label: str, select: Callable[[Comparison], int] | None = None) -> bool:
        """Record ``change(comparison)`` under ``label``; True when it changed anything.

        ``select`` picks the scenario to edit next from the new comparison.
        """
        new = change(self.comparison)
        self._refuse_unservable(new)
        if select is not None:
            self.selected = select(new)
        assert self.document is not None
        changed = self.document.apply(new, label)
        self._keep_selection_in_range()
        return changed

    def _refuse_unservable(self, comparison: Comparison) -> None:
        """Raise EditError when ``comparison`` has a deployment that cannot hold its model
        (:mod:`app.engine.memory_fit`): such an edit is refused as loading its file would be. A comparison
        that does not resolve is left to the engine's request, which says why."""
        from app.engine import memory_fit

        try:
            resolved = self.resolver.resolve(comparison)
        except PresetFileError:
            return
        for problem in memory_fit.problems(resolved):
            edited = problem.item == comparison.scenarios[min(self.selected, len(comparison.scenarios) - 1)].name
            raise edits.EditError(problem.message if edited else f"{problem.item}: {problem.message}", "deployment")

    def change_fields(self, changes: Sequence[edits.Change], label: str) -> bool:
        """Set fields of the selected scenario's presets (or of the market)."""
        return self.edit(lambda c: edits.apply_changes(c, self.selected, changes, self.library), label)

    def use_preset(self, part: str, ref: Any, label: str | None = None) -> bool:
        """Use a shipped preset (its id), a preset of the user's own, or none (an optional part) for ``part``."""
        if label is None:
            label = f"Use {part} preset {ref}" if ref else WITHOUT.get(part, f"Use no {part}")
        return self.edit(lambda c: edits.set_part(c, self.selected, part, ref, self.library), label)

    def add_scenario(self, new: edits.NewScenario) -> bool:
        """Append ``new``, answering the same questions as the selected scenario, and select it."""
        return self.edit(lambda c: edits.add_scenario(c, self.library, new, self.selected), f"Add {new.name or 'scenario'}",
                         select=lambda c: len(c.scenarios) - 1)

    def new_scenario_like_selected(self) -> edits.NewScenario:
        """What Add proposes: the selected scenario's own model, chip and site (shipped ids), to change."""
        scenario = self.comparison.scenarios[self.selected]

        def shipped(part: str) -> str:
            ref = getattr(scenario, part)
            ids = self.library.ids(edits.SCENARIO_PRESET_KINDS[part])
            return ref if isinstance(ref, str) and ref in ids else ids[0]

        return edits.NewScenario(shipped("model"), shipped("hardware"), shipped("datacenter"))

    def duplicate_scenario(self, index: int) -> bool:
        return self.edit(lambda c: edits.duplicate_scenario(c, index), "Duplicate scenario",
                         select=lambda _c: index + 1)

    def remove_scenario(self, index: int) -> bool:
        return self.edit(lambda c: edits.remove_scenario(c, index), "Remove scenario",
                         select=lambda c: min(index, len(c.scenarios) - 1))

    def rename_scenario(self, index: int, name: str) -> bool:
        return self.edit(lambda c: edits.rename_scenario(c, index, name), "Rename scenario")

    def move_scenario(self, index: int, target: int) -> bool:
        return self.edit(lambda c: edits.move_scenario(c, index, target), "Move scenario", select=lambda _c: target)

    def set_baseline(self, index: int) -> bool:
        return self.edit(lambda c: edits.set_baseline(c, index), "Set baseline")

    def set_boundary(self, boundary: str) -> bool:
        return self.edit(lambda c: edits.set_boundary(c, boundary), f"Count energy at the {boundary}")

    def undo(self) -> bool:
        done = self.document is not None and self.document.undo()
        self._keep_selection_in_range()
        return done

    def redo(self) -> bool:
        done = self.document is not None and self.document.redo()
        self._keep_selection_in_range()
        return done

    def select(self, index: int) -> bool:
        """Edit scenario ``index``; False when it is already selected or does not exist."""
        if self.document is None or index == self.selected or not 0 <= index < len(self.comparison.scenarios):
            return False
        self.selected = index
        return True

    def _keep_selection_in_range(self) -> None:
        if self.document is not None:
            self.selected = max(0, min(self.selected, len(self.comparison.scenarios) - 1))

    # ------------------------------------------------------------ computation

    def request(self, sensitivity_metric: str | None = None) -> Request:
        """The engine request the current snapshot implies (PresetFileError if it does not resolve).

        Scenarios an edit left alone resolve to the very objects they resolved
        to before, which is how the engine's memo knows not to recompute them.
        """
        focus = (self.selected, sensitivity_metric) if sensitivity_metric is not None else None
        return Request(self.resolver(self.comparison, _file_of(self.document)), focus)
