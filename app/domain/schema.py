"""JSON Schema of preset files, generated from the domain models.

The shipped copy lives in ``resources/preset-file.schema.json`` for editors and
other tools; a test fails when it is out of date. Regenerate it with::

    python -m app.domain.schema
"""

from __future__ import annotations

import copy
import json
from typing import Any

from app import paths
from app.domain.atomic_save import write_text_atomic
from app.domain.files import FORMAT_VERSION, KINDS, PRESET_ADAPTER

SCHEMA_FILE_NAME = "preset-file.schema.json"


def preset_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a whole preset file of any kind."""
    schema = PRESET_ADAPTER.json_schema(mode="validation")
    defs = schema["$defs"]
    documents = []
    for kind, model in zip(
        KINDS, ("ModelPreset", "HardwarePreset", "DatacenterPreset", "UsagePreset", "DeploymentPreset", "MarketPreset", "Comparison"), strict=True
    ):
        document = copy.deepcopy(defs[model])
        document["properties"] = {
            "format_version": {
                "type": "integer",
                "minimum": 1,
                "maximum": FORMAT_VERSION,
                "description": "Version of the file format; older versions are migrated on load.",
            },
            **document["properties"],
        }
        document["required"] = ["format_version", "kind", *document.get("required", [])]
        document["properties"]["kind"] = {"const": kind}
        defs[f"{model}File"] = document
        documents.append({"$ref": f"#/$defs/{model}File"})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Jevons preset file",
        "description": "One model, hardware, datacenter, usage, deployment or market preset, or a whole comparison.",
        "oneOf": documents,
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as the exact text shipped in resources/."""
    return json.dumps(preset_file_schema(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    target = paths.resources_dir() / SCHEMA_FILE_NAME
    write_text_atomic(target, schema_text())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
