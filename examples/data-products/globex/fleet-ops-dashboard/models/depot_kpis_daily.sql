-- globex/fleet-ops-dashboard: depot KPIs per day for the dispatch wall boards.
-- A StarRocks asynchronous materialized view over globex/delivery-performance and
-- globex/vehicle-telemetry, refreshed hourly by the depot_kpis_refresh job.

CREATE MATERIALIZED VIEW IF NOT EXISTS globex_bi.depot_kpis_daily
REFRESH DEFERRED MANUAL
AS
WITH lanes AS (
    SELECT
        delivery_date                                       AS day,
        origin_depot                                        AS depot,
        SUM(shipments)                                      AS shipments,
        SUM(delivered_on_time) / NULLIF(SUM(shipments), 0)  AS on_time_rate,
        SUM(exceptions)                                     AS exceptions
    FROM iceberg_globex.logistics_mart.lane_performance_daily
    WHERE delivery_date >= CURRENT_DATE - INTERVAL 90 DAY
    GROUP BY delivery_date, origin_depot
),
trucks AS (
    SELECT
        day,
        depot,
        COUNT_IF(driving_minutes >= 15)                                     AS active_trucks,
        SUM(driving_minutes) / NULLIF(COUNT_IF(driving_minutes >= 15) * 600, 0) AS utilisation,
        SUM(fuel_used_l) / NULLIF(SUM(distance_km), 0) * 100                AS fuel_l_per_100km,
        SUM(harsh_braking_events) / NULLIF(SUM(distance_km), 0) * 1000      AS harsh_braking_per_1000km
    FROM (
        SELECT
            DATE(CONVERT_TZ(hour_start, 'UTC', 'America/Chicago')) AS day,
            depot,
            vehicle_id,
            SUM(driving_minutes)      AS driving_minutes,
            SUM(distance_km)          AS distance_km,
            SUM(fuel_used_l)          AS fuel_used_l,
            SUM(harsh_braking_events) AS harsh_braking_events
        FROM iceberg_globex.fleet.telemetry_hourly
        WHERE hour_start >= CURRENT_DATE - INTERVAL 91 DAY
        GROUP BY 1, 2, 3
    ) per_vehicle
    GROUP BY day, depot
)
SELECT
    COALESCE(t.day, l.day)                  AS day,
    COALESCE(t.depot, l.depot)              AS depot,
    COALESCE(l.shipments, 0)                AS shipments,
    l.on_time_rate,
    COALESCE(l.exceptions, 0)               AS exceptions,
    COALESCE(t.active_trucks, 0)            AS active_trucks,
    t.utilisation,
    t.fuel_l_per_100km,
    t.harsh_braking_per_1000km
FROM trucks t
FULL OUTER JOIN lanes l ON l.day = t.day AND l.depot = t.depot;

REFRESH MATERIALIZED VIEW globex_bi.depot_kpis_daily WITH SYNC MODE;
