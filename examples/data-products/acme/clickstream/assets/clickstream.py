"""acme/clickstream: clean events topic and sessions table from the raw tracker topic.

Every 15 minutes the `clickstream_sessions` job drains the raw topic from the last committed offset,
drops bots and malformed events, truncates IPs, re-publishes the clean events to
`acme.web.clickstream-events` and upserts the sessions touched by the batch.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import timedelta

import pandas as pd
from confluent_kafka import Consumer, Producer
from dagster import AssetExecutionContext, Definitions, EnvVar, asset, define_asset_job

from akili_dagster import IcebergWriter

RAW_TOPIC = "tracking.web.events-raw"
CLEAN_TOPIC = "acme.web.clickstream-events"
SESSION_GAP = timedelta(minutes=30)
BOT_MARKERS = ("bot", "spider", "crawler", "headlesschrome", "python-requests")
KEPT_TYPES = {"page_view", "search", "add_to_cart", "checkout_start", "order_confirmation"}


def truncate_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    net = ipaddress.ip_network(f"{ip}/24" if ":" not in ip else f"{ip}/48", strict=False)
    return str(net)


def clean(raw: dict) -> dict | None:
    ua = (raw.get("useragent") or "").lower()
    if any(marker in ua for marker in BOT_MARKERS) or raw.get("event_name") not in KEPT_TYPES:
        return None
    return {
        "event_id": raw["event_id"],
        "event_type": raw["event_name"],
        "event_ts": int(raw["dvce_created_tstamp"]) - int(raw.get("clock_skew_ms", 0)),
        "session_id": raw["domain_sessionid"],
        "customer_id": raw.get("user_id"),
        "page_url": (raw.get("page_url") or "").split("?")[0] or None,
        "ip_prefix": truncate_ip(raw.get("user_ipaddress")),
        "user_agent": raw.get("useragent"),
        "device_class": raw.get("dvce_type", "desktop").lower(),
        "traffic_source": raw.get("mkt_source") or raw.get("refr_medium") or "direct",
    }


@asset(key_prefix=["web"], group_name="acme_clickstream", compute_kind="kafka")
def clickstream_events(context: AssetExecutionContext) -> pd.DataFrame:
    consumer = Consumer(
        {
            "bootstrap.servers": EnvVar("SHOP_KAFKA_BOOTSTRAP").get_value(),
            "group.id": "akili-acme-clickstream",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )
    producer = Producer({"bootstrap.servers": EnvVar("AKILI_REDPANDA_BOOTSTRAP").get_value()})
    consumer.subscribe([RAW_TOPIC])
    batch: list[dict] = []
    while len(batch) < 500_000:
        msgs = consumer.consume(num_messages=5_000, timeout=5.0)
        if not msgs:
            break
        for msg in msgs:
            if msg.error():
                continue
            event = clean(json.loads(msg.value()))
            if event is None:
                continue
            public = {k: event[k] for k in ("event_id", "event_type", "event_ts", "session_id",
                                            "customer_id", "page_url", "ip_prefix", "user_agent")}
            producer.produce(CLEAN_TOPIC, key=event["session_id"], value=json.dumps(public))
            batch.append(event)
    producer.flush()
    consumer.commit(asynchronous=False)
    consumer.close()
    context.add_output_metadata({"events": len(batch)})
    return pd.DataFrame(batch)


@asset(key_prefix=["web"], group_name="acme_clickstream", compute_kind="python")
def sessions(context: AssetExecutionContext, clickstream_events: pd.DataFrame, iceberg: IcebergWriter) -> None:
    if clickstream_events.empty:
        return
    ev = clickstream_events.sort_values("event_ts")
    ev["ts"] = pd.to_datetime(ev["event_ts"], unit="ms", utc=True)
    grouped = ev.groupby("session_id")
    out = pd.DataFrame(
        {
            "customer_id": grouped["customer_id"].last(),
            "session_start": grouped["ts"].min(),
            "session_end": grouped["ts"].max(),
            "device_class": grouped["device_class"].first(),
            "landing_page": grouped["page_url"].first(),
            "traffic_source": grouped["traffic_source"].first(),
            "page_views": grouped["event_type"].apply(lambda s: int((s == "page_view").sum())),
            "add_to_carts": grouped["event_type"].apply(lambda s: int((s == "add_to_cart").sum())),
            "converted": grouped["event_type"].apply(lambda s: bool((s == "order_confirmation").any())),
        }
    ).reset_index()
    # Sessions that continue across batches are merged with the stored row (min start, max end, sums).
    iceberg.upsert("iceberg_acme.web.sessions", out, key=["session_id"],
                   merge={"session_start": "min", "session_end": "max", "page_views": "sum",
                          "add_to_carts": "sum", "converted": "max"})
    context.add_output_metadata({"sessions": len(out)})


clickstream_sessions = define_asset_job("clickstream_sessions", selection=[clickstream_events, sessions])

defs = Definitions(
    assets=[clickstream_events, sessions],
    jobs=[clickstream_sessions],
    resources={"iceberg": IcebergWriter.from_env()},
)
