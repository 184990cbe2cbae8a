"""Domain model of Jevons: presets, scenarios, comparisons and their files. No Qt.

Import what you use from its modules (``app.domain.files.load_preset``,
``app.domain.library.PresetLibrary`` ...): the package itself imports
nothing, so a light module (``app.domain.atomic_save``, ``app.domain.limits``)
loads without pydantic and the preset models, and the window paints its frame
before they load (``app.gui.startup``).
"""
