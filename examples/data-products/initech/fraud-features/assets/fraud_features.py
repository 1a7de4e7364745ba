"""initech/fraud-features: per-card velocity and behaviour features for fraud scoring.

Every 15 minutes: read 90 days of card transactions for the cards active since the last run,
compute rolling features with pandas and upsert them into iceberg_initech.risk.card_fraud_features.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dagster import AssetExecutionContext, Definitions, asset, define_asset_job

from akili_dagster import IcebergWriter, StarRocksResource

HIGH_RISK_MCC = {"4829", "6051", "6540", "7995", "5967"}  # money transfer, quasi-cash, stored value, gambling, direct marketing


def card_features(tx: pd.DataFrame, now: pd.Timestamp) -> pd.DataFrame:
    tx = tx.sort_values("transaction_ts")
    age = now - tx["transaction_ts"]
    last_1h, last_24h, last_7d = age <= pd.Timedelta(hours=1), age <= pd.Timedelta(days=1), age <= pd.Timedelta(days=7)

    # Merchants a card used in the 90 days before the 7-day window count as known.
    known = tx[~last_7d].groupby("card_token")["merchant_id"].agg(set)
    recent = tx[last_7d].copy()
    recent["is_new_merchant"] = [
        m not in known.get(card, set()) for card, m in zip(recent["card_token"], recent["merchant_id"])
    ]
    recent["is_foreign"] = recent["merchant_country"] != recent["home_country"]
    recent["is_ecommerce"] = recent["channel"] == "ecommerce"

    approved = tx[tx["decision"] == "approved"]
    stats = approved.groupby("card_token")["billing_amount_usd"].agg(["mean", "std", "count", "last"])
    zscore = np.where((stats["count"] >= 5) & (stats["std"] > 0), (stats["last"] - stats["mean"]) / stats["std"], np.nan)

    g24 = tx[last_24h].groupby("card_token")
    out = pd.DataFrame(index=tx["card_token"].unique())
    out["tx_count_1h"] = tx[last_1h].groupby("card_token").size()
    out["tx_count_24h"] = g24.size()
    out["amount_sum_24h_usd"] = g24["billing_amount_usd"].sum().round(2)
    out["amount_zscore_last"] = pd.Series(zscore, index=stats.index)
    out["distinct_merchants_24h"] = g24["merchant_id"].nunique()
    g7 = recent.groupby("card_token")
    out["new_merchant_share_7d"] = g7["is_new_merchant"].mean()
    out["foreign_share_7d"] = g7["is_foreign"].mean()
    out["ecommerce_share_7d"] = g7["is_ecommerce"].mean()
    out["declines_24h"] = g24["decision"].apply(lambda d: int((d == "declined").sum()))
    out["high_risk_mcc_24h"] = g24["mcc"].apply(lambda m: int(m.isin(HIGH_RISK_MCC).sum()))
    counts = ["tx_count_1h", "tx_count_24h", "distinct_merchants_24h", "declines_24h", "high_risk_mcc_24h"]
    shares = ["new_merchant_share_7d", "foreign_share_7d", "ecommerce_share_7d"]
    out[counts] = out[counts].fillna(0).astype(int)
    out[shares] = out[shares].fillna(0.0)
    out["amount_sum_24h_usd"] = out["amount_sum_24h_usd"].fillna(0)
    out["computed_at"] = now
    return out.rename_axis("card_token").reset_index()


@asset(key_prefix=["risk"], group_name="initech_fraud", compute_kind="python")
def card_fraud_features(context: AssetExecutionContext, starrocks: StarRocksResource, iceberg: IcebergWriter) -> None:
    tx = starrocks.query_df(
        """
        SELECT t.card_token, t.transaction_ts, t.merchant_id, t.merchant_country, t.channel, t.mcc,
               t.decision, t.billing_amount_usd, a.home_country
        FROM iceberg_initech.payments.card_transactions t
        JOIN jdbc_initech_corebank.cards.account a ON a.account_no = t.account_id
        WHERE t.transaction_ts >= NOW() - INTERVAL 90 DAY
          AND t.card_token IN (SELECT DISTINCT card_token FROM iceberg_initech.payments.card_transactions
                               WHERE transaction_ts >= NOW() - INTERVAL 20 MINUTE)
        """
    )
    tx["transaction_ts"] = pd.to_datetime(tx["transaction_ts"], utc=True)
    features = card_features(tx, pd.Timestamp.now(tz="UTC"))
    iceberg.upsert("iceberg_initech.risk.card_fraud_features", features, key=["card_token"])
    context.add_output_metadata({"cards": len(features)})


fraud_features_refresh = define_asset_job("fraud_features_refresh", selection=[card_fraud_features])

defs = Definitions(
    assets=[card_fraud_features],
    jobs=[fraud_features_refresh],
    resources={"starrocks": StarRocksResource.from_env(), "iceberg": IcebergWriter.from_env()},
)
