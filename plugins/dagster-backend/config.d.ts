export interface Config {
  /** The Dagster webserver the runs of Akili data products live in (`@akili/plugin-dagster-backend`). */
  dagster?: {
    /**
     * Base URL of the Dagster webserver (GraphQL at `<baseUrl>/graphql`), e.g.
     * `http://dagster-webserver.dagster:3000`. Without it the runs routes answer 503 "not configured".
     */
    baseUrl?: string;
    /**
     * Extra headers on every request: the auth header of a proxy in front of Dagster, or
     * `Dagster-Cloud-Api-Token` for Dagster+.
     * @visibility secret
     */
    headers?: { [name: string]: string };
    /** How long Dagster has to answer one request, in ms (default 4500). */
    timeoutMs?: number;
    /**
     * Seconds a product's run target read from the catalog is reused (default 5, 0: read on every
     * request, at most 300). The caller is authorized on every request regardless.
     */
    productCacheSeconds?: number;
    /**
     * The run tracker: reports each finished run of a data product as an `execution.completed`
     * event and notifies the product's owners of failed runs.
     */
    tracker?: {
      /** Default true (when `baseUrl` is set). */
      enabled?: boolean;
      /** Seconds between two looks at Dagster (default 30, at least 5). */
      intervalSeconds?: number;
      /**
       * How far back a tenant's runs are reported when the tracker first sees the tenant, in
       * hours (default 0: from then on; at most 2160, 90 days). Owners are not notified of
       * failures that ended before the tracker started.
       */
      lookbackHours?: number;
    };
    /**
     * The asset check tracker: reports the executions of the asset checks of each data
     * product's assets (in its own code location) as `quality.checked` events, for the quality
     * plugin.
     */
    qualityChecks?: {
      /** Default true (when `baseUrl` is set). */
      enabled?: boolean;
      /** Seconds between two looks at Dagster (default 60, at least 5). */
      pollIntervalSeconds?: number;
      /**
       * How far back a check's executions are reported when the tracker first sees the check,
       * in hours (default 0: from then on; at most 2160, 90 days).
       */
      lookbackHours?: number;
    };
  };
}
