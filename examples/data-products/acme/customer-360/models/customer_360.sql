-- acme/customer-360: one profile row per customer, rebuilt nightly.
-- Inputs: acme/customers, acme/orders, acme/clickstream (sessions) and, across tenants,
-- globex/shipments, which the globex tenant shares with acme as a view filtered on
-- shipper_account = 'acme' without consignee columns (iceberg_globex_share.logistics.shipments).

INSERT OVERWRITE iceberg_acme.customer.customer_360
WITH ord AS (
    SELECT
        customer_id,
        MIN(DATE(order_ts))                                                         AS first_order_date,
        MAX(DATE(order_ts))                                                         AS last_order_date,
        COUNT_IF(order_ts >= CURRENT_DATE - INTERVAL 12 MONTH AND status <> 'cancelled') AS orders_12m,
        SUM(IF(order_ts >= CURRENT_DATE - INTERVAL 12 MONTH AND status NOT IN ('cancelled', 'returned'),
               gross_amount_eur - COALESCE(discount_amount_eur, 0), 0))             AS revenue_12m_eur,
        SUM(IF(status NOT IN ('cancelled', 'returned'),
               gross_amount_eur - COALESCE(discount_amount_eur, 0), 0))             AS lifetime_revenue_eur,
        COUNT_IF(order_ts >= CURRENT_DATE - INTERVAL 12 MONTH AND status = 'returned')
            / NULLIF(COUNT_IF(order_ts >= CURRENT_DATE - INTERVAL 12 MONTH AND status <> 'cancelled'), 0)
                                                                                    AS return_rate
    FROM iceberg_acme.sales.orders
    GROUP BY customer_id
),
web AS (
    SELECT
        customer_id,
        COUNT(*)                                                                    AS sessions_90d,
        COUNT_IF(add_to_carts > 0 AND NOT converted) / NULLIF(COUNT_IF(add_to_carts > 0), 0)
                                                                                    AS cart_abandon_rate_90d
    FROM iceberg_acme.web.sessions
    WHERE customer_id IS NOT NULL
      AND session_start >= CURRENT_DATE - INTERVAL 90 DAY
    GROUP BY customer_id
),
deliveries AS (
    SELECT
        o.customer_id,
        COUNT(*)                                                                    AS shipments_90d,
        COUNT_IF(s.is_late)                                                         AS late_deliveries_90d
    FROM iceberg_globex_share.logistics.shipments s
    JOIN iceberg_acme.sales.orders o ON CAST(o.order_id AS VARCHAR) = s.shipper_reference
    WHERE s.shipper_account = 'acme'
      AND COALESCE(s.delivered_at, s.promised_date) >= CURRENT_DATE - INTERVAL 90 DAY
    GROUP BY o.customer_id
)
SELECT
    c.customer_id,
    c.email,
    TRIM(CONCAT_WS(' ', c.first_name, c.last_name))                                 AS full_name,
    c.customer_type,
    c.country,
    c.marketing_opt_in,
    ord.first_order_date,
    ord.last_order_date,
    COALESCE(ord.orders_12m, 0)                                                     AS orders_12m,
    CAST(COALESCE(ord.revenue_12m_eur, 0) AS DECIMAL(12,2))                         AS revenue_12m_eur,
    CAST(COALESCE(ord.lifetime_revenue_eur, 0) AS DECIMAL(14,2))                    AS lifetime_revenue_eur,
    ord.return_rate,
    COALESCE(web.sessions_90d, 0)                                                   AS sessions_90d,
    web.cart_abandon_rate_90d,
    COALESCE(deliveries.shipments_90d, 0)                                           AS shipments_90d,
    COALESCE(deliveries.late_deliveries_90d, 0)                                     AS late_deliveries_90d,
    CASE
        WHEN ord.first_order_date IS NULL                                              THEN 'new'
        WHEN ord.first_order_date >= CURRENT_DATE - INTERVAL 60 DAY                    THEN 'new'
        WHEN ord.last_order_date >= CURRENT_DATE - INTERVAL 45 DAY AND ord.orders_12m >= 6
             AND ord.revenue_12m_eur >= 600                                            THEN 'champion'
        WHEN ord.last_order_date >= CURRENT_DATE - INTERVAL 90 DAY AND ord.orders_12m >= 3 THEN 'loyal'
        WHEN ord.last_order_date >= CURRENT_DATE - INTERVAL 90 DAY                     THEN 'promising'
        WHEN ord.last_order_date >= CURRENT_DATE - INTERVAL 270 DAY                    THEN 'at_risk'
        ELSE 'hibernating'
    END                                                                             AS rfm_segment,
    CURRENT_DATE                                                                    AS snapshot_date
FROM iceberg_acme.customer.customers c
LEFT JOIN ord        ON ord.customer_id = c.customer_id
LEFT JOIN web        ON web.customer_id = c.customer_id
LEFT JOIN deliveries ON deliveries.customer_id = c.customer_id;
