"""The SQL models agree with the manifest: one model per output port, selecting its columns."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = yaml.safe_load((ROOT / "dataproduct.yaml").read_text())


def selected_columns(sql: str) -> list[str]:
    """The output names of a single SELECT: the name after each AS of its select list."""
    select_list = re.split(r"\bFROM\b", re.sub(r"--.*", "", sql), flags=re.IGNORECASE)[0]
    return re.findall(r"\bAS\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:,|$)", select_list, flags=re.MULTILINE)


def test_every_output_port_has_a_model_with_its_columns():
    ports = MANIFEST["spec"]["outputPorts"]
    assert ports, "the manifest declares no output port"
    for port in ports:
        model = ROOT / "models" / f"{port['name']}.sql"
        assert model.is_file(), f"output port {port['name']}: no models/{port['name']}.sql"
        expected = [column["name"] for column in port["schema"]]
        assert selected_columns(model.read_text()) == expected, (
            f"models/{port['name']}.sql must select the columns of port {port['name']} "
            f"in the manifest's order: {expected}"
        )


def test_the_manifest_names_its_tenant_and_sql_logic():
    assert MANIFEST["metadata"]["namespace"] == "${{ values.tenant }}"
    assert MANIFEST["spec"]["transformation"]["language"] == "sql"
