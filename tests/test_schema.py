"""The shipped JSON Schema matches the domain models."""

from __future__ import annotations

import json

from app import paths
from app.domain.schema import SCHEMA_FILE_NAME, preset_file_schema, schema_text


def test_shipped_schema_is_up_to_date() -> None:
    shipped = (paths.resources_dir() / SCHEMA_FILE_NAME).read_text(encoding="utf-8")
    assert shipped == schema_text(), "resources/ schema is stale: run `python -m app.domain.schema`"


def test_schema_shows_units_and_physical_bounds() -> None:
    text = json.dumps(preset_file_schema()["$defs"]["DatacenterPresetFile"])
    pue = preset_file_schema()["$defs"]["DatacenterPresetFile"]["properties"]["pue"]
    assert pue["unit"] == "ratio" and pue["minimum"] == 1
    assert "format_version" in json.loads(text)["required"]
