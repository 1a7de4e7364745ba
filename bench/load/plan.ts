/* What bench/load's backend side hands its load generator (client.ts), and what it answers. */

/** One request of a user's cycle. */
export interface PlannedRequest {
  /** The route family it is reported under. */
  family: string;
  method: string;
  /** Path and query. */
  path: string;
  body?: string;
  contentType?: string;
  /** The statuses this user is expected to get (anything else counts as an error). */
  expect: number[];
  /**
   * A refusal by design under load (a quota), counted apart: neither a success nor an error.
   */
  refusal?: { status: number; why: string };
}

/** A signed-in user and their share of the connections. */
export interface LoadGroup {
  user: string;
  tenant: string;
  token: string;
  connections: number;
  requests: PlannedRequest[];
  /** The other tenants' markers (`TenantMarkers`, `allowedRefs` as an array). */
  markers: Array<{
    tenant: string;
    viewer: string | undefined;
    strings: string[];
    allowedRefs: string[];
  }>;
}

export interface LoadPlan {
  url: string;
  seconds: number;
  timeoutSeconds: number;
  groups: LoadGroup[];
}

export interface PhaseResult {
  seconds: number;
  total: number;
  socketErrors: number;
  timeouts: number;
  leakCount: number;
  leakExamples: Array<{
    user: string;
    request: string;
    tenant: string;
    markers: string[];
  }>;
  unexpectedExamples: Array<{
    user: string;
    request: string;
    status: number;
    body: string;
  }>;
  families: Record<
    string,
    {
      statuses: Record<string, number>;
      unexpected: number;
      /** Refused by design (`PlannedRequest.refusal`): neither a success nor an error. */
      refused: number;
      latencies: number[];
    }
  >;
}
