"""JSON Schema of the configuration files: generated from the models, committed, referenced."""

from __future__ import annotations

import json
from pathlib import Path

from jituan.schema import schema_texts

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schema_equals_the_generated_one() -> None:
    for name, text in schema_texts().items():
        committed = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"schema/{name} is stale: run `jituan schema`"


def test_shipped_yaml_files_reference_the_schema() -> None:
    for path, name in [
        (ROOT / "data" / "groups.yaml", "groups"),
        (ROOT / "data" / "targets.yaml", "targets"),
        (ROOT / "examples" / "groups.yaml", "groups"),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{name}.schema.json"


def test_schema_describes_keys_and_bare_member_names() -> None:
    groups = json.loads(schema_texts()["groups.schema.json"])
    assert groups["$schema"].startswith("https://json-schema.org/")
    member_items = groups["$defs"]["Group"]["properties"]["members"]["items"]
    assert {"type": "string", "minLength": 1} in member_items["anyOf"]
    assert groups["$defs"]["Member"]["additionalProperties"] is False
    targets = json.loads(schema_texts()["targets.schema.json"])
    target = targets["$defs"]["Target"]["properties"]
    assert target["scope"]["enum"] == ["district", "group", "school", "researcher"]
    assert target["period"]["enum"] == ["semester", "school_year", "year", "program"]
    assert "description" in target["min"]


def test_schema_command_writes_the_files(cli, tmp_path: Path) -> None:
    code, _, err = cli("schema", "--output-dir", tmp_path)
    assert code == 0 and "2 JSON Schema" in err
    for name, text in schema_texts().items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text
