-- acme/orders: orders and order lines from the shop database.
-- Runs hourly; reads the shop's PostgreSQL through the StarRocks JDBC catalog `jdbc_acme_shop`
-- and merges changed rows into iceberg_acme.sales.orders / iceberg_acme.sales.order_lines.
-- The Akili SQL runner binds :since to the high-water mark of updated_at of the last run.

-- asset: sales/orders
INSERT INTO iceberg_acme.sales.orders
WITH fx AS (
    SELECT rate_date, currency, eur_rate
    FROM jdbc_acme_shop.public.ecb_exchange_rates
),
changed AS (
    SELECT o.*
    FROM jdbc_acme_shop.public.orders o
    WHERE o.updated_at >= :since
      AND o.is_test = FALSE
      AND NOT (o.status = 'cancelled' AND o.cancel_reason = 'fraud')
)
SELECT
    c.entity_id                                             AS order_id,
    c.customer_uuid                                         AS customer_id,
    CASE c.source WHEN 'pos' THEN 'store' WHEN 'ios' THEN 'app' WHEN 'android' THEN 'app' ELSE 'web' END
                                                            AS channel,
    c.store_code                                            AS store_id,
    LOWER(c.status)                                         AS status,
    c.created_at                                            AS order_ts,
    UPPER(c.order_currency_code)                            AS currency,
    ROUND(c.grand_total * COALESCE(fx.eur_rate, 1), 2)      AS gross_amount_eur,
    ROUND(ABS(c.discount_amount) * COALESCE(fx.eur_rate, 1), 2) AS discount_amount_eur,
    CONCAT_WS(', ', c.ship_street, CONCAT(c.ship_postcode, ' ', c.ship_city), c.ship_country_id)
                                                            AS shipping_address,
    CASE
        WHEN c.payment_method LIKE 'cc_%' OR c.payment_method = 'adyen_card' THEN 'card'
        WHEN c.payment_method LIKE 'paypal%' THEN 'paypal'
        WHEN c.payment_method IN ('checkmo', 'klarna_invoice') THEN 'invoice'
        ELSE 'cash'
    END                                                     AS payment_method,
    c.updated_at                                            AS updated_at
FROM changed c
LEFT JOIN fx
       ON fx.rate_date = DATE(c.created_at)
      AND fx.currency = UPPER(c.order_currency_code);

-- asset: sales/order_lines
INSERT INTO iceberg_acme.sales.order_lines
SELECT
    i.order_id,
    ROW_NUMBER() OVER (PARTITION BY i.order_id ORDER BY i.item_id)  AS line_no,
    i.sku,
    LOWER(p.top_category)                                            AS category,
    CAST(i.qty_ordered AS INT)                                       AS quantity,
    o.gross_amount_eur / NULLIF(o_raw.grand_total, 0) * i.price_incl_tax
                                                                     AS unit_price_eur,
    o.gross_amount_eur / NULLIF(o_raw.grand_total, 0)
        * (i.row_total_incl_tax - ABS(i.discount_amount))            AS line_amount_eur
FROM jdbc_acme_shop.public.order_items i
JOIN jdbc_acme_shop.public.orders o_raw ON o_raw.entity_id = i.order_id
JOIN iceberg_acme.sales.orders o        ON o.order_id = i.order_id
LEFT JOIN jdbc_acme_shop.public.products p ON p.sku = i.sku
WHERE o_raw.updated_at >= :since
  AND i.parent_item_id IS NULL;
