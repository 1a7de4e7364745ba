"""acme/churn-features: features and labelled training snapshots for the churn model.

Reads acme/customer-360 (non-personal columns only) and acme/orders-daily, pseudonymises the
customer id, writes the current feature table and, on the first of the month, a training snapshot.
Labels of older snapshots are back-filled once their 90-day window has passed.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import numpy as np
import pandas as pd
from dagster import AssetExecutionContext, Definitions, EnvVar, asset, define_asset_job

from akili_dagster import IcebergWriter, S3ParquetWriter, StarRocksResource

TRAINING_PREFIX = "s3://akili-acme/data-products/churn-features/training/"
FEATURE_COLUMNS = [
    "days_since_last_order", "orders_12m", "revenue_12m_index", "return_rate", "sessions_90d",
    "cart_abandon_rate_90d", "late_delivery_share_90d", "is_b2b",
]


def pseudonymise(customer_id: pd.Series) -> pd.Series:
    key = EnvVar("ACME_ML_PSEUDONYM_KEY").get_value().encode()
    return customer_id.map(lambda cid: hmac.new(key, cid.encode(), hashlib.sha256).hexdigest())


@asset(key_prefix=["ml"], group_name="acme_churn", compute_kind="python")
def churn_features(context: AssetExecutionContext, starrocks: StarRocksResource, iceberg: IcebergWriter) -> pd.DataFrame:
    profiles = starrocks.query_df(
        """
        SELECT customer_id, customer_type, last_order_date, orders_12m, revenue_12m_eur, return_rate,
               sessions_90d, cart_abandon_rate_90d, shipments_90d, late_deliveries_90d
        FROM iceberg_acme.customer.customer_360
        WHERE snapshot_date = CURRENT_DATE
        """
    )
    # Seasonal index: last 12 months' revenue relative to the same months one year earlier.
    season = starrocks.query_df(
        """
        SELECT SUM(IF(order_date >= CURRENT_DATE - INTERVAL 12 MONTH, net_revenue_eur, 0))
               / NULLIF(SUM(IF(order_date < CURRENT_DATE - INTERVAL 12 MONTH, net_revenue_eur, 0)), 0) AS idx
        FROM iceberg_acme.sales_mart.orders_daily
        WHERE order_date >= CURRENT_DATE - INTERVAL 24 MONTH
        """
    )
    seasonal_index = float(season["idx"].iloc[0] or 1.0)

    today = pd.Timestamp(date.today())
    last = pd.to_datetime(profiles["last_order_date"])
    features = pd.DataFrame(
        {
            "customer_key": pseudonymise(profiles["customer_id"]),
            "days_since_last_order": (today - last).dt.days.fillna(9999).astype(int),
            "orders_12m": profiles["orders_12m"].astype(int),
            "revenue_12m_index": profiles["revenue_12m_eur"].astype(float) / seasonal_index,
            "return_rate": profiles["return_rate"].fillna(0.0).clip(0, 1),
            "sessions_90d": profiles["sessions_90d"].astype(int),
            "cart_abandon_rate_90d": profiles["cart_abandon_rate_90d"].fillna(0.0),
            "late_delivery_share_90d": np.where(
                profiles["shipments_90d"] > 0, profiles["late_deliveries_90d"] / profiles["shipments_90d"], 0.0
            ),
            "is_b2b": profiles["customer_type"].eq("b2b"),
            "feature_ts": pd.Timestamp.now(tz="UTC"),
        }
    )
    iceberg.overwrite("iceberg_acme.ml.churn_features", features)
    context.add_output_metadata({"customers": len(features), "seasonal_index": seasonal_index})
    return features


@asset(key_prefix=["ml"], group_name="acme_churn", compute_kind="parquet")
def churn_training_snapshot(context: AssetExecutionContext, churn_features: pd.DataFrame,
                            starrocks: StarRocksResource, s3: S3ParquetWriter) -> None:
    today = date.today()
    if today.day == 1:
        snap = churn_features[["customer_key"]].assign(
            snapshot_month=today,
            features=churn_features[FEATURE_COLUMNS].to_dict("records"),
            churned_next_90d=None,
        )
        s3.write(f"{TRAINING_PREFIX}snapshot_month={today.isoformat()}/", snap)

    # Back-fill the label of the snapshot whose 90-day window just closed.
    due = (pd.Timestamp(today) - pd.DateOffset(days=90)).to_period("M").to_timestamp().date()
    buyers = starrocks.query_df(
        f"""
        SELECT DISTINCT customer_id FROM iceberg_acme.sales.orders
        WHERE order_ts >= '{due.isoformat()}' AND order_ts < DATE_ADD('{due.isoformat()}', INTERVAL 90 DAY)
          AND status <> 'cancelled'
        """
    )
    bought = set(pseudonymise(buyers["customer_id"]))
    old = s3.read(f"{TRAINING_PREFIX}snapshot_month={due.isoformat()}/")
    if old is not None and old["churned_next_90d"].isna().all():
        old["churned_next_90d"] = ~old["customer_key"].isin(bought)
        s3.write(f"{TRAINING_PREFIX}snapshot_month={due.isoformat()}/", old)
        context.add_output_metadata({"labelled_month": due.isoformat(), "churn_rate": float(old["churned_next_90d"].mean())})


churn_features_nightly = define_asset_job("churn_features_nightly", selection=[churn_features, churn_training_snapshot])

defs = Definitions(
    assets=[churn_features, churn_training_snapshot],
    jobs=[churn_features_nightly],
    resources={
        "starrocks": StarRocksResource.from_env(),
        "iceberg": IcebergWriter.from_env(),
        "s3": S3ParquetWriter.from_env(),
    },
)
