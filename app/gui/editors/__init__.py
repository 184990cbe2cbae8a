"""Editors of a scenario's presets, built from the domain models' fields."""
