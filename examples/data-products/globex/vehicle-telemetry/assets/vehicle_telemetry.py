"""globex/vehicle-telemetry: validated positions topic and hourly roll-up per vehicle.

`vehicle_positions` is a long-running sensor-triggered stream processor in production; in Dagster it
is represented as an observable asset. `telemetry_hourly` aggregates the previous hour from the
Iceberg landing table that Redpanda Connect writes from globex.fleet.vehicle-positions.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import requests
from dagster import (AssetExecutionContext, DataVersion, Definitions, HourlyPartitionsDefinition, asset,
                     define_asset_job, observable_source_asset)

from akili_dagster import IcebergWriter, StarRocksResource

HOURLY = HourlyPartitionsDefinition(start_date="2024-01-01-00:00", timezone="UTC")
MAX_PLAUSIBLE_KMH = 140.0


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance; works on scalars and on numpy arrays / pandas Series."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def valid_fix(frame: dict, previous: dict | None) -> bool:
    """Rejects impossible coordinates and GPS jumps implying more than 140 km/h since the last fix."""
    lat, lon = frame.get("lat"), frame.get("lon")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return False
    if previous is None:
        return True
    hours = max((frame["ts"] - previous["ts"]) / 3_600_000, 1 / 3600)
    dist = float(haversine_km(previous["lat"], previous["lon"], lat, lon))
    return dist / hours <= MAX_PLAUSIBLE_KMH


@observable_source_asset(key_prefix=["fleet"], group_name="globex_fleet")
def vehicle_positions(starrocks: StarRocksResource) -> DataVersion:
    """The stream processor (same `valid_fix`) publishes to globex.fleet.vehicle-positions."""
    latest = starrocks.query_df("SELECT MAX(fix_ts) AS ts FROM iceberg_globex.fleet.positions_landing")
    return DataVersion(str(latest["ts"].iloc[0]))


@asset(key_prefix=["fleet"], group_name="globex_fleet", partitions_def=HOURLY, deps=[vehicle_positions],
       compute_kind="python")
def telemetry_hourly(context: AssetExecutionContext, starrocks: StarRocksResource, iceberg: IcebergWriter) -> None:
    start = datetime.strptime(context.partition_key, "%Y-%m-%d-%H:%M").replace(tzinfo=timezone.utc)
    end = start + timedelta(hours=1)
    fixes = starrocks.query_df(
        f"""
        SELECT vehicle_id, fix_ts, lat, lon, speed_kmh, ignition_on, fuel_level_l, accel_long_g
        FROM iceberg_globex.fleet.positions_landing
        WHERE fix_ts >= '{start:%Y-%m-%d %H:%M:%S}' AND fix_ts < '{end:%Y-%m-%d %H:%M:%S}'
        ORDER BY vehicle_id, fix_ts
        """
    )
    register = pd.DataFrame(requests.get("https://fleet.globex.internal/api/v1/vehicles", timeout=30).json()["items"])

    fixes["prev_lat"] = fixes.groupby("vehicle_id")["lat"].shift()
    fixes["prev_lon"] = fixes.groupby("vehicle_id")["lon"].shift()
    fixes["step_km"] = haversine_km(fixes["prev_lat"].fillna(fixes["lat"]), fixes["prev_lon"].fillna(fixes["lon"]),
                                    fixes["lat"], fixes["lon"])
    fixes["fuel_drop"] = (-fixes.groupby("vehicle_id")["fuel_level_l"].diff()).clip(lower=0)
    g = fixes.groupby("vehicle_id")
    out = pd.DataFrame(
        {
            "hour_start": start,
            "distance_km": g["step_km"].sum().round(2),
            # each fix stands for 30 seconds
            "driving_minutes": g.apply(lambda d: int(((d.ignition_on) & (d.speed_kmh > 5)).sum() // 2)),
            "idle_minutes": g.apply(lambda d: int(((d.ignition_on) & (d.speed_kmh <= 5)).sum() // 2)),
            "fuel_used_l": g["fuel_drop"].sum().round(2),
            "harsh_braking_events": g["accel_long_g"].apply(lambda s: int((s < -0.4).sum())),
            "fixes": g.size(),
        }
    ).reset_index()
    out = out.merge(register[["vehicle_id", "depot", "vehicle_class"]], on="vehicle_id", how="left")
    iceberg.overwrite_partition("iceberg_globex.fleet.telemetry_hourly", out, {"hour_start": start})
    context.add_output_metadata({"vehicles": len(out)})


telemetry_hourly_rollup = define_asset_job("telemetry_hourly_rollup", selection=[telemetry_hourly],
                                           partitions_def=HOURLY)

defs = Definitions(
    assets=[vehicle_positions, telemetry_hourly],
    jobs=[telemetry_hourly_rollup],
    resources={"starrocks": StarRocksResource.from_env(), "iceberg": IcebergWriter.from_env()},
)
