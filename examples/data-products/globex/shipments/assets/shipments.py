"""globex/shipments: shipments and status events from carrier files dropped on S3.

Each run lists new files under s3://globex-carrier-drop/inbound/<carrier>/, parses them with the
carrier's adapter (CSV or EDIFACT IFTSTA), maps status codes to the Globex model, joins the TMS
booking, merges into iceberg_globex.logistics.shipments and publishes status changes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import boto3
import pandas as pd
from confluent_kafka import Producer
from dagster import AssetExecutionContext, Definitions, EnvVar, asset, define_asset_job
from pydifact.segmentcollection import Interchange

from akili_dagster import IcebergWriter, StarRocksResource

DROP_BUCKET = "globex-carrier-drop"
STATUS_TOPIC = "globex.logistics.shipment-status"

# Carrier status code -> Globex status. Unknown codes become `exception` and fail `status_known`.
STATUS_MAP = {
    "dhl": {"PU": "picked_up", "TR": "in_transit", "OD": "out_for_delivery", "DL": "delivered", "RT": "returned"},
    "dpd": {"01": "picked_up", "02": "in_transit", "03": "out_for_delivery", "13": "delivered", "14": "exception"},
    "ups": {"P": "picked_up", "I": "in_transit", "O": "out_for_delivery", "D": "delivered", "X": "exception"},
    "gls": {"PREADVICE": "booked", "INTRANSIT": "in_transit", "INDELIVERY": "out_for_delivery", "DELIVERED": "delivered"},
    "own-fleet": {"LOADED": "picked_up", "ENROUTE": "in_transit", "POD": "delivered", "FAILED": "exception"},
}


def parse_csv(carrier: str, body: bytes) -> list[dict]:
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
    return [
        {
            "carrier": carrier,
            "tracking_number": r["tracking_no"],
            "shipment_id": r.get("customer_ref") or None,
            "code": r["status_code"],
            "event_at": datetime.fromisoformat(r["event_time"]).astimezone(timezone.utc),
            "location_code": r.get("depot"),
        }
        for r in rows
    ]


def parse_iftsta(carrier: str, body: bytes) -> list[dict]:
    events, current = [], {}
    for seg in Interchange.from_str(body.decode("latin-1")).segments:
        if seg.tag == "CNI":
            current = {"carrier": carrier, "shipment_id": seg.elements[1]}
        elif seg.tag == "RFF" and seg.elements[0][0] == "CU":
            current["tracking_number"] = seg.elements[0][1]
        elif seg.tag == "STS":
            current["code"] = seg.elements[1] if isinstance(seg.elements[1], str) else seg.elements[1][0]
        elif seg.tag == "DTM" and seg.elements[0][0] == "334":
            current["event_at"] = datetime.strptime(seg.elements[0][1], "%Y%m%d%H%M").replace(tzinfo=timezone.utc)
        elif seg.tag == "LOC":
            current["location_code"] = seg.elements[1]
            events.append(dict(current))
    return events


@asset(key_prefix=["logistics"], group_name="globex_shipments", compute_kind="s3")
def shipment_status_events(context: AssetExecutionContext) -> pd.DataFrame:
    s3 = boto3.client("s3")
    events: list[dict] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=DROP_BUCKET, Prefix="inbound/"):
        for obj in page.get("Contents", []):
            _, carrier, filename = obj["Key"].split("/", 2)
            body = s3.get_object(Bucket=DROP_BUCKET, Key=obj["Key"])["Body"].read()
            parsed = parse_iftsta(carrier, body) if filename.endswith(".edi") else parse_csv(carrier, body)
            for e in parsed:
                e["status"] = STATUS_MAP.get(carrier, {}).get(e.pop("code"), "exception")
            events.extend(parsed)
            s3.copy_object(Bucket=DROP_BUCKET, Key=obj["Key"].replace("inbound/", "processed/", 1),
                           CopySource={"Bucket": DROP_BUCKET, "Key": obj["Key"]})
            s3.delete_object(Bucket=DROP_BUCKET, Key=obj["Key"])
    context.add_output_metadata({"events": len(events)})
    return pd.DataFrame(events)


@asset(key_prefix=["logistics"], group_name="globex_shipments", compute_kind="python")
def shipments(context: AssetExecutionContext, shipment_status_events: pd.DataFrame,
              starrocks: StarRocksResource, iceberg: IcebergWriter) -> None:
    if shipment_status_events.empty:
        return
    latest = shipment_status_events.sort_values("event_at").groupby(["carrier", "tracking_number"]).last().reset_index()
    bookings = starrocks.query_df(
        """
        SELECT b.shipment_no AS shipment_id, b.account_code AS shipper_account, b.shipper_ref AS shipper_reference,
               b.carrier_code AS carrier, b.tracking_no AS tracking_number, b.consignee_name,
               CONCAT_WS(', ', b.cons_street, CONCAT(b.cons_zip, ' ', b.cons_city)) AS consignee_address,
               b.cons_country AS destination_country, LEFT(b.cons_zip, 2) AS destination_postcode_area,
               b.origin_depot, b.weight_kg, b.created_at AS booked_at, b.promised_date
        FROM jdbc_globex_tms.public.bookings b
        WHERE b.created_at >= CURRENT_DATE - INTERVAL 120 DAY
        """
    )
    current = iceberg.read("iceberg_globex.logistics.shipments", columns=["shipment_id", "status"])
    merged = bookings.merge(latest[["carrier", "tracking_number", "status", "event_at", "location_code"]],
                            on=["carrier", "tracking_number"], how="inner")
    merged = merged.merge(current.rename(columns={"status": "previous_status"}), on="shipment_id", how="left")
    changed = merged[merged["status"] != merged["previous_status"]]

    producer = Producer({"bootstrap.servers": EnvVar("AKILI_REDPANDA_BOOTSTRAP").get_value()})
    for row in changed.itertuples():
        producer.produce(STATUS_TOPIC, key=row.shipment_id, value=json.dumps({
            "shipment_id": row.shipment_id, "status": row.status,
            "previous_status": None if pd.isna(row.previous_status) else row.previous_status,
            "carrier": row.carrier, "event_at": int(row.event_at.timestamp() * 1000),
            "location_code": row.location_code,
        }))
    producer.flush()

    now = pd.Timestamp.now(tz="UTC")
    changed = changed.assign(
        delivered_at=changed["event_at"].where(changed["status"] == "delivered"),
        picked_up_at=changed["event_at"].where(changed["status"] == "picked_up"),
        last_event_at=changed["event_at"],
        is_late=lambda d: d["delivered_at"].dt.date.gt(d["promised_date"]).fillna(False)
        | (d["delivered_at"].isna() & (pd.to_datetime(d["promised_date"]).dt.tz_localize("UTC") < now.normalize())),
    ).drop(columns=["previous_status", "event_at", "location_code"])
    iceberg.upsert("iceberg_globex.logistics.shipments", changed, key=["shipment_id"],
                   keep_existing=["delivered_at", "picked_up_at"])
    context.add_output_metadata({"changed": len(changed)})


shipments_ingest = define_asset_job("shipments_ingest", selection=[shipment_status_events, shipments])

defs = Definitions(
    assets=[shipment_status_events, shipments],
    jobs=[shipments_ingest],
    resources={"starrocks": StarRocksResource.from_env(), "iceberg": IcebergWriter.from_env()},
)
