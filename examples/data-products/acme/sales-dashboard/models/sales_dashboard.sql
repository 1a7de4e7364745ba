-- acme/sales-dashboard: asynchronous materialized views in StarRocks' internal catalog,
-- refreshed by the `sales_dashboard_refresh` job after acme/orders-daily and acme/customer-360.

-- asset: acme_bi/sales_kpis_weekly
CREATE MATERIALIZED VIEW IF NOT EXISTS acme_bi.sales_kpis_weekly
REFRESH DEFERRED MANUAL
AS
WITH weekly AS (
    SELECT
        DATE_FORMAT(order_date, '%x-W%v')       AS iso_week,
        YEARWEEK(order_date, 3)                 AS yw,
        channel,
        category,
        SUM(net_revenue_eur)                    AS net_revenue_eur,
        SUM(units)                              AS units
    FROM iceberg_acme.sales_mart.orders_daily
    WHERE order_date >= CURRENT_DATE - INTERVAL 2 YEAR - INTERVAL 14 DAY
    GROUP BY 1, 2, 3, 4
)
SELECT
    w.iso_week,
    w.channel,
    w.category,
    CAST(w.net_revenue_eur AS DECIMAL(14,2))                                   AS net_revenue_eur,
    CAST(pw.net_revenue_eur AS DECIMAL(14,2))                                  AS net_revenue_prev_week_eur,
    CAST(py.net_revenue_eur AS DECIMAL(14,2))                                  AS net_revenue_prev_year_eur,
    w.net_revenue_eur / NULLIF(pw.net_revenue_eur, 0) - 1                      AS wow_growth,
    w.net_revenue_eur / NULLIF(py.net_revenue_eur, 0) - 1                      AS yoy_growth,
    w.units
FROM weekly w
LEFT JOIN weekly pw
       ON pw.channel = w.channel AND pw.category = w.category
      AND pw.yw = YEARWEEK(STR_TO_DATE(CONCAT(w.iso_week, '-1'), '%x-W%v-%w') - INTERVAL 7 DAY, 3)
LEFT JOIN weekly py
       ON py.channel = w.channel AND py.category = w.category
      AND py.yw = w.yw - 100
WHERE w.yw >= YEARWEEK(CURRENT_DATE - INTERVAL 1 YEAR, 3);

-- asset: acme_bi/revenue_by_segment
CREATE MATERIALIZED VIEW IF NOT EXISTS acme_bi.revenue_by_segment
REFRESH DEFERRED MANUAL
AS
SELECT
    rfm_segment,
    customer_type,
    country,
    COUNT(*)                                                    AS customers,
    CAST(SUM(revenue_12m_eur) AS DECIMAL(14,2))                 AS revenue_12m_eur,
    AVG(late_deliveries_90d / NULLIF(shipments_90d, 0))         AS avg_late_delivery_share
FROM iceberg_acme.customer.customer_360
WHERE snapshot_date = (SELECT MAX(snapshot_date) FROM iceberg_acme.customer.customer_360)
GROUP BY rfm_segment, customer_type, country
HAVING COUNT(*) >= 10;

REFRESH MATERIALIZED VIEW acme_bi.sales_kpis_weekly WITH SYNC MODE;
REFRESH MATERIALIZED VIEW acme_bi.revenue_by_segment WITH SYNC MODE;
