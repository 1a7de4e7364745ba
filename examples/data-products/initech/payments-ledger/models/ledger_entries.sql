-- initech/payments-ledger: double-entry postings of card transactions and daily balances.
-- Hourly: posts transactions of initech/card-transactions that were cleared, reversed or charged
-- back since the last run. Entries are append-only; the :since watermark is bound by the runner.

-- asset: finance/ledger_entries
INSERT INTO iceberg_initech.finance.ledger_entries
WITH to_post AS (
    SELECT t.*
    FROM iceberg_initech.payments.card_transactions t
    LEFT ANTI JOIN iceberg_initech.finance.ledger_entries e
           ON e.transaction_id = t.transaction_id
          AND e.entry_type = CASE t.status WHEN 'cleared' THEN 'purchase' WHEN 'reversed' THEN 'reversal'
                                           ELSE 'chargeback' END
    WHERE t.status IN ('cleared', 'reversed', 'charged_back')
      AND t.cleared_at >= :since - INTERVAL 1 DAY
),
legs AS (
    -- purchase: debit the customer card account, credit the scheme settlement account
    SELECT transaction_id, CASE status WHEN 'cleared' THEN 'purchase' WHEN 'reversed' THEN 'reversal'
                                       ELSE 'chargeback' END AS entry_type,
           CONCAT('CARD-', account_id)                       AS account_code,
           IF(status = 'cleared', 'D', 'C')                   AS side,
           billing_amount_usd                                 AS amount,
           cardholder_name,
           DATE(CONVERT_TZ(cleared_at, 'UTC', 'America/New_York')) AS value_date
    FROM to_post
    UNION ALL
    SELECT transaction_id, CASE status WHEN 'cleared' THEN 'purchase' WHEN 'reversed' THEN 'reversal'
                                       ELSE 'chargeback' END,
           CONCAT('SETTLE-', IF(LEFT(masked_pan, 1) = '4', 'VISA', 'MC'), '-', merchant_country),
           IF(status = 'cleared', 'C', 'D'),
           billing_amount_usd,
           NULL,
           DATE(CONVERT_TZ(cleared_at, 'UTC', 'America/New_York'))
    FROM to_post
    UNION ALL
    -- interchange income on purchases (issuer side): 1.5% consumer, 2.0% business cards
    SELECT transaction_id, 'interchange',
           CONCAT('SETTLE-', IF(LEFT(masked_pan, 1) = '4', 'VISA', 'MC'), '-', merchant_country),
           'D',
           ROUND(billing_amount_usd * IF(card_product LIKE 'business%', 0.020, 0.015), 2),
           NULL,
           DATE(CONVERT_TZ(cleared_at, 'UTC', 'America/New_York'))
    FROM to_post WHERE status = 'cleared'
    UNION ALL
    SELECT transaction_id, 'interchange', 'INTERCHANGE-INCOME', 'C',
           ROUND(billing_amount_usd * IF(card_product LIKE 'business%', 0.020, 0.015), 2),
           NULL,
           DATE(CONVERT_TZ(cleared_at, 'UTC', 'America/New_York'))
    FROM to_post WHERE status = 'cleared'
)
SELECT
    UUID()                                                                    AS entry_id,
    MD5(CONCAT(transaction_id, ':', entry_type))                              AS posting_id,
    transaction_id,
    entry_type,
    account_code,
    side,
    CAST(amount AS DECIMAL(14,2))                                             AS amount,
    'USD'                                                                     AS currency,
    cardholder_name,
    value_date,
    NOW()                                                                     AS posted_at,
    NULL                                                                      AS reverses_entry_id
FROM legs
WHERE amount > 0;

-- asset: finance/account_balances_daily
INSERT OVERWRITE iceberg_initech.finance.account_balances_daily
PARTITION (balance_date)
WITH day_totals AS (
    SELECT value_date, account_code, currency,
           SUM(IF(side = 'D', amount, 0)) AS debit_total,
           SUM(IF(side = 'C', amount, 0)) AS credit_total
    FROM iceberg_initech.finance.ledger_entries
    GROUP BY value_date, account_code, currency
)
SELECT
    account_code,
    currency,
    CASE
        WHEN account_code LIKE 'CARD-%'       THEN 'customer_card'
        WHEN account_code LIKE 'SETTLE-%'     THEN 'merchant_settlement'
        WHEN account_code = 'INTERCHANGE-INCOME' THEN 'interchange'
        WHEN account_code LIKE 'FEE-%'        THEN 'fees'
        ELSE 'suspense'
    END                                                                       AS account_class,
    debit_total,
    credit_total,
    SUM(debit_total - credit_total) OVER (PARTITION BY account_code, currency ORDER BY value_date
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                                                                              AS closing_balance,
    value_date                                                                AS balance_date
FROM day_totals;
