"""initech/card-transactions: authorisation stream and transaction table from the processor feed.

Every 10 minutes: drain processor.card-messages.v3 (PAN already tokenised by the gateway), publish
authorisation decisions to initech.payments.card-authorizations, and merge authorisations and
clearing records into iceberg_initech.payments.card_transactions.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pandas as pd
from confluent_kafka import Consumer, Producer
from dagster import AssetExecutionContext, Definitions, EnvVar, asset, define_asset_job

from akili_dagster import IcebergWriter, StarRocksResource

FEED_TOPIC = "processor.card-messages.v3"
AUTH_TOPIC = "initech.payments.card-authorizations"
MASKED_PAN = re.compile(r"^\d{6}\*{2,6}\d{4}$")
DECISIONS = {"00": "approved", "05": "declined", "51": "declined", "54": "declined", "01": "referred"}
CHANNELS = {"05": "card_present", "07": "contactless", "81": "ecommerce", "90": "card_present"}


def to_row(msg: dict) -> dict:
    if not MASKED_PAN.match(msg["masked_pan"]):
        raise ValueError(f"message {msg['stan']} carries an unmasked PAN; rejecting the batch")
    mti = msg["mti"]
    return {
        "kind": "clearing" if mti in ("1240", "0220") else "auth",
        "auth_id": f"{msg['stan']}-{msg['terminal_id']}-{msg['transmission_date']}",
        "card_token": msg["card_token"],
        "masked_pan": msg["masked_pan"],
        "merchant_id": msg["merchant_id"],
        "merchant_name": (msg.get("card_acceptor_name") or "").strip()[:64] or None,
        "mcc": msg["mcc"],
        "merchant_country": msg["acquirer_country"],
        "channel": "atm" if msg["mcc"] == "6011" else CHANNELS.get(msg.get("pos_entry_mode", "")[:2], "ecommerce"),
        "amount": Decimal(msg["amount_minor"]) / 100,
        "currency": msg["currency_alpha"],
        "billing_amount_usd": Decimal(msg["billing_amount_minor"]) / 100,
        "decision": DECISIONS.get(msg.get("response_code", ""), "declined"),
        "event_ts": pd.Timestamp(msg["processed_at"], tz="UTC"),
    }


@asset(key_prefix=["payments"], group_name="initech_cards", compute_kind="kafka")
def card_authorizations(context: AssetExecutionContext) -> pd.DataFrame:
    consumer = Consumer({
        "bootstrap.servers": EnvVar("PCI_KAFKA_BOOTSTRAP").get_value(),
        "group.id": "akili-initech-card-transactions",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
    })
    producer = Producer({"bootstrap.servers": EnvVar("AKILI_REDPANDA_BOOTSTRAP").get_value(),
                         "enable.idempotence": True})
    consumer.subscribe([FEED_TOPIC])
    rows = []
    while msgs := consumer.consume(num_messages=10_000, timeout=3.0):
        for m in msgs:
            if m.error():
                continue
            row = to_row(json.loads(m.value()))
            rows.append(row)
            if row["kind"] == "auth":
                producer.produce(AUTH_TOPIC, key=row["card_token"], value=json.dumps({
                    "auth_id": row["auth_id"], "card_token": row["card_token"], "masked_pan": row["masked_pan"],
                    "amount": str(row["amount"]), "currency": row["currency"], "merchant_id": row["merchant_id"],
                    "mcc": row["mcc"], "decision": row["decision"],
                    "decided_at": int(row["event_ts"].timestamp() * 1000),
                }))
    producer.flush()
    consumer.commit(asynchronous=False)
    consumer.close()
    context.add_output_metadata({"messages": len(rows)})
    return pd.DataFrame(rows)


@asset(key_prefix=["payments"], group_name="initech_cards", compute_kind="python")
def card_transactions(context: AssetExecutionContext, card_authorizations: pd.DataFrame,
                      starrocks: StarRocksResource, iceberg: IcebergWriter) -> None:
    if card_authorizations.empty:
        return
    cards = starrocks.query_df(
        """
        SELECT c.card_token, c.embossed_name AS cardholder_name, c.account_no AS account_id, c.product_code AS card_product
        FROM jdbc_initech_corebank.cards.card c
        """
    )
    auths = card_authorizations[card_authorizations["kind"] == "auth"].rename(columns={"event_ts": "transaction_ts"})
    clears = card_authorizations[card_authorizations["kind"] == "clearing"][["auth_id", "event_ts"]].rename(
        columns={"event_ts": "cleared_at"})
    tx = auths.merge(clears, on="auth_id", how="left").merge(cards, on="card_token", how="left")
    tx["transaction_id"] = "TX-" + tx["auth_id"].str.replace("-", "", regex=False)
    tx["status"] = tx["cleared_at"].notna().map({True: "cleared", False: "authorized"})
    iceberg.upsert("iceberg_initech.payments.card_transactions", tx.drop(columns=["kind"]), key=["transaction_id"],
                   keep_existing=["cleared_at"])
    # Clearing records for authorisations of earlier batches only update status and cleared_at.
    iceberg.update("iceberg_initech.payments.card_transactions", clears.assign(status="cleared"), key=["auth_id"])
    starrocks.execute(
        "UPDATE iceberg_initech.payments.card_transactions SET status = 'expired' "
        "WHERE status = 'authorized' AND transaction_ts < NOW() - INTERVAL 7 DAY"
    )
    context.add_output_metadata({"transactions": len(tx), "clearings": len(clears)})


card_transactions_microbatch = define_asset_job("card_transactions_microbatch",
                                                selection=[card_authorizations, card_transactions])

defs = Definitions(
    assets=[card_authorizations, card_transactions],
    jobs=[card_transactions_microbatch],
    resources={"starrocks": StarRocksResource.from_env(), "iceberg": IcebergWriter.from_env()},
)
