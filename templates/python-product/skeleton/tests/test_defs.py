"""The Dagster definitions agree with the manifest, and their runs carry the Akili tags."""

import sys
from pathlib import Path

import dagster as dg
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from defs import defs  # noqa: E402

MANIFEST = yaml.safe_load((ROOT / "dataproduct.yaml").read_text())
DAGSTER = MANIFEST["spec"]["transformation"]["dagster"]


def test_runs_carry_the_tenant_and_the_product():
    result = defs.resolve_job_def(DAGSTER["job"]).execute_in_process()
    assert result.success
    assert result.dagster_run.tags["akili/tenant"] == MANIFEST["metadata"]["namespace"]
    assert result.dagster_run.tags["akili/product"] == MANIFEST["metadata"]["name"]


def test_every_output_port_is_an_asset_with_its_columns():
    result = defs.resolve_job_def(DAGSTER["job"]).execute_in_process()
    keys = [list(key) for key in DAGSTER["assetKeys"]]
    assert len(keys) == len(MANIFEST["spec"]["outputPorts"])
    for key, port in zip(keys, MANIFEST["spec"]["outputPorts"]):
        rows = result.asset_value(dg.AssetKey(key))
        expected = [column["name"] for column in port["schema"]]
        for row in rows:
            assert list(row) == expected, f"asset {key}: not the columns of port {port['name']}"
