-- acme/orders-daily: daily sales per channel, store and category.
-- Restates the last 14 days each night (returns window) from acme/orders.
-- Target: iceberg_acme.sales_mart.orders_daily (partitioned by order_date).

INSERT OVERWRITE iceberg_acme.sales_mart.orders_daily
PARTITION (order_date)
WITH lines AS (
    SELECT
        DATE(CONVERT_TZ(o.order_ts, 'UTC', 'Europe/Berlin'))           AS order_date,
        o.channel,
        COALESCE(o.store_id, 'online')                                  AS store_id,
        COALESCE(l.category, 'unknown')                                 AS category,
        o.order_id,
        l.quantity,
        l.line_amount_eur,
        o.status IN ('returned', 'cancelled')                          AS is_reversed
    FROM iceberg_acme.sales.orders o
    JOIN iceberg_acme.sales.order_lines l ON l.order_id = o.order_id
    WHERE o.order_ts >= CURRENT_DATE - INTERVAL 15 DAY
)
SELECT
    channel,
    store_id,
    category,
    COUNT(DISTINCT order_id)                                             AS orders,
    SUM(quantity)                                                        AS units,
    CAST(SUM(line_amount_eur) AS DECIMAL(14,2))                          AS gross_revenue_eur,
    CAST(SUM(IF(is_reversed, line_amount_eur, 0)) AS DECIMAL(14,2))      AS returned_revenue_eur,
    CAST(SUM(IF(is_reversed, 0, line_amount_eur)) AS DECIMAL(14,2))      AS net_revenue_eur,
    order_date
FROM lines
WHERE order_date >= CURRENT_DATE - INTERVAL 14 DAY
  AND order_date <  CURRENT_DATE
GROUP BY order_date, channel, store_id, category;
