-- initech/risk-exposure: daily exposure and fraud risk per merchant category group and country.
-- Inputs: initech/payments-ledger (ledger_entries, account_balances_daily), initech/fraud-features,
-- initech/card-transactions. Restates the previous business day at 06:00 New York time.

INSERT OVERWRITE iceberg_initech.risk_mart.exposure_daily
PARTITION (report_date)
WITH tx AS (
    SELECT
        transaction_id,
        card_token,
        merchant_country,
        CASE
            WHEN mcc IN ('5411', '5422', '5441', '5451', '5499')                 THEN 'grocery'
            WHEN mcc BETWEEN '3000' AND '3999' OR mcc IN ('4511', '4722', '7011') THEN 'travel'
            WHEN mcc IN ('7995', '7800', '7801', '7802')                          THEN 'gambling'
            WHEN mcc IN ('5815', '5816', '5817', '5818', '6051')                  THEN 'digital_goods'
            ELSE 'other'
        END                                                                     AS mcc_group
    FROM iceberg_initech.payments.card_transactions
    WHERE transaction_ts >= CURRENT_DATE - INTERVAL 40 DAY
),
postings AS (
    SELECT
        e.value_date,
        tx.mcc_group,
        tx.merchant_country,
        SUM(IF(e.entry_type = 'purchase'   AND e.side = 'D', e.amount, 0))      AS cleared_volume_usd,
        SUM(IF(e.entry_type = 'chargeback' AND e.side = 'C', e.amount, 0))      AS chargeback_volume_usd
    FROM iceberg_initech.finance.ledger_entries e
    JOIN tx ON tx.transaction_id = e.transaction_id
    WHERE e.value_date >= CURRENT_DATE - INTERVAL 31 DAY
      AND e.account_code LIKE 'CARD-%'
    GROUP BY e.value_date, tx.mcc_group, tx.merchant_country
),
rolling AS (
    SELECT
        p.*,
        SUM(cleared_volume_usd) OVER (PARTITION BY mcc_group, merchant_country ORDER BY value_date
                                      ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS cleared_30d
    FROM postings p
),
risky_cards AS (
    SELECT tx.mcc_group, tx.merchant_country, COUNT(DISTINCT f.card_token) AS high_risk_cards
    FROM iceberg_initech.risk.card_fraud_features f
    JOIN tx ON tx.card_token = f.card_token
    WHERE f.new_merchant_share_7d > 0.6 OR f.high_risk_mcc_24h >= 3
    GROUP BY tx.mcc_group, tx.merchant_country
),
settlement AS (
    SELECT balance_date, SUBSTRING_INDEX(account_code, '-', -1) AS merchant_country,
           SUM(-closing_balance) AS settlement_exposure_usd
    FROM iceberg_initech.finance.account_balances_daily
    WHERE account_class = 'merchant_settlement'
      AND balance_date = CURRENT_DATE - INTERVAL 1 DAY
    GROUP BY balance_date, SUBSTRING_INDEX(account_code, '-', -1)
)
SELECT
    r.mcc_group,
    r.merchant_country,
    CAST(r.cleared_volume_usd AS DECIMAL(16,2))                                 AS cleared_volume_usd,
    CAST(r.chargeback_volume_usd AS DECIMAL(16,2))                              AS chargeback_volume_usd,
    r.chargeback_volume_usd / NULLIF(r.cleared_30d, 0) * 10000                  AS chargeback_rate_bps,
    COALESCE(rc.high_risk_cards, 0)                                             AS high_risk_cards,
    -- the settlement position is per country; report it once, on the 'other' group row
    CAST(IF(r.mcc_group = 'other', s.settlement_exposure_usd, NULL) AS DECIMAL(16,2)) AS settlement_exposure_usd,
    r.value_date                                                                AS report_date
FROM rolling r
LEFT JOIN risky_cards rc ON rc.mcc_group = r.mcc_group AND rc.merchant_country = r.merchant_country
LEFT JOIN settlement s   ON s.balance_date = r.value_date AND s.merchant_country = r.merchant_country
WHERE r.value_date = CURRENT_DATE - INTERVAL 1 DAY;
