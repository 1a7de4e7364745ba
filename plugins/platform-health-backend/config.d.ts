import { HumanDuration } from '@backstage/types';

/** Configuration of the platform health backend. */
export interface Config {
  /** How the portal checks the platform's dependencies. */
  platformHealth?: {
    /** How often every dependency is checked. Default: 30 seconds. */
    frequency?: HumanDuration | string;
    /** Timeout of each check in milliseconds (connect and answer). Default: 5000. */
    timeoutMs?: number;
    /**
     * A dependency that answers slower than this (milliseconds) is `degraded`. Default: half of
     * `timeoutMs`.
     */
    degradedLatencyMs?: number;
    /**
     * A StarRocks login for the health check only (`SELECT 1`); without it the check logs in as
     * the first tenant's read-only user of `starrocks.tenants`.
     */
    starrocks?: {
      host: string;
      port?: number;
      user: string;
      /** @visibility secret */
      password: string;
    };
  };
  /** The data lake (Ceph RGW) the platform writes to. */
  lake?: {
    s3?: {
      /** The S3 endpoint, e.g. `https://rgw.example.com`; the health check asks it anonymously. */
      endpoint?: string;
    };
  };
  /** ArgoCD's API server. */
  argocd?: {
    /** e.g. `https://argocd.example.com`; the health check asks `GET /api/version`. */
    baseUrl?: string;
    /**
     * A token for ArgoCD's API, sent with the health check when set.
     * @visibility secret
     */
    token?: string;
  };
}
