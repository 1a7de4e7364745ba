-- globex/delivery-performance: on-time delivery per day, carrier, lane and shipper.
-- Restates the last 3 days nightly (late scans). Own-fleet lanes get the depot's idle share
-- from globex/vehicle-telemetry.

INSERT OVERWRITE iceberg_globex.logistics_mart.lane_performance_daily
PARTITION (delivery_date)
WITH s AS (
    SELECT *
    FROM iceberg_globex.logistics.shipments
    WHERE promised_date >= CURRENT_DATE - INTERVAL 3 DAY
      AND promised_date <  CURRENT_DATE
),
fleet AS (
    SELECT
        DATE(CONVERT_TZ(hour_start, 'UTC', 'America/Chicago'))               AS day,
        depot,
        SUM(idle_minutes) / NULLIF(SUM(idle_minutes + driving_minutes), 0)   AS idle_share
    FROM iceberg_globex.fleet.telemetry_hourly
    WHERE hour_start >= CURRENT_DATE - INTERVAL 4 DAY
    GROUP BY 1, 2
)
SELECT
    s.carrier,
    s.origin_depot,
    s.destination_country,
    COALESCE(s.destination_postcode_area, '??')                              AS destination_postcode_area,
    s.shipper_account,
    COUNT(*)                                                                 AS shipments,
    COUNT_IF(s.status = 'delivered' AND NOT s.is_late)                       AS delivered_on_time,
    COUNT_IF(s.status = 'delivered' AND NOT s.is_late) / COUNT(*)            AS on_time_rate,
    AVG(TIMESTAMPDIFF(MINUTE, COALESCE(s.picked_up_at, s.booked_at), s.delivered_at) / 60.0)
                                                                             AS avg_transit_hours,
    COUNT_IF(s.status = 'exception')                                         AS exceptions,
    MAX(IF(s.carrier = 'own-fleet', f.idle_share, NULL))                     AS fleet_idle_share,
    s.promised_date                                                          AS delivery_date
FROM s
LEFT JOIN fleet f ON f.day = s.promised_date AND f.depot = s.origin_depot
GROUP BY s.promised_date, s.carrier, s.origin_depot, s.destination_country,
         COALESCE(s.destination_postcode_area, '??'), s.shipper_account;
