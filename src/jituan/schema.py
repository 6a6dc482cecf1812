"""JSON Schema of groups.yaml and targets.yaml, generated from the pydantic models.

The shipped YAML files start with ``# yaml-language-server: $schema=../schema/….schema.json``
so that editors (VS Code with the YAML extension, and others using yaml-language-server)
complete and check keys. ``jituan schema`` writes the files; a test keeps the committed
ones equal to what the models generate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jituan.config import GroupsFile, TargetsFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: file name → (model, title)
SCHEMAS: dict[str, tuple[type, str]] = {
    "groups.schema.json": (GroupsFile, "jituan groups.yaml: education groups and member schools"),
    "targets.schema.json": (
        TargetsFile,
        "jituan targets.yaml: school calendar, activity catalogue and targets",
    ),
}


def generate(model: type, title: str) -> dict[str, Any]:
    """The JSON Schema of one model, with a dialect and a title first."""
    body = model.model_json_schema()
    body.pop("title", None)
    return {"$schema": DIALECT, "title": title, **body}


def render(model: type, title: str) -> str:
    """The schema as the committed file holds it: UTF-8, two-space indent, newline at the end."""
    return json.dumps(generate(model, title), ensure_ascii=False, indent=2) + "\n"


def schema_texts() -> dict[str, str]:
    """File name → text of every schema."""
    return {name: render(model, title) for name, (model, title) in SCHEMAS.items()}


def default_dir() -> Path:
    """``schema/`` of the current folder: run in a clone, where the shipped YAML points."""
    return Path("schema")


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory``; the paths written."""
    from jituan.errors import JituanError

    written = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in schema_texts().items():
            path = directory / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as err:
        raise JituanError(f"{directory}: cannot write: {err.strerror or err}") from err
    return written
