/**
 * Access agreements between tenants: a consumer tenant's access to another tenant's output
 * port, for a purpose, to some columns, until a date. Routes under `/api/lake/v1/agreements`.
 */

/**
 * Where an agreement is in its life:
 * `requested` → `approved` (in force until `until`) or `rejected`; a request can be
 * `withdrawn` by its tenant; an approved agreement ends `revoked` (by the provider, or the
 * consumer giving it up) or `expired`.
 *
 * @public
 */
export type AccessAgreementStatus =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'revoked'
  | 'expired';

/**
 * An access agreement as both tenants see it.
 *
 * @public
 */
export interface AccessAgreement {
  id: string;
  status: AccessAgreementStatus;
  provider: {
    tenant: string;
    /** `dataproduct:<tenant>/<name>`. */
    product: string;
    port: string;
  };
  consumer: {
    tenant: string;
    /** The consumer's product that reads the port, when the request names one. */
    product?: string;
  };
  purpose: string;
  /**
   * The columns agreed (requested, until approved; empty in a request for the whole port, which
   * the approval fills in).
   */
  columns: string[];
  /** ISO 8601: the agreement ends then. */
  until: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  /** The provider's note with the decision. */
  decisionNote?: string;
  /** When and why it ended (revoked, expired, withdrawn). */
  endedAt?: string;
  endedBy?: string;
  endReason?: string;
  /** Every transition, oldest first (`GET /v1/agreements/:id` only). */
  history?: AccessAgreementTransition[];
}

/**
 * One step of an agreement's life: who moved it from which status to which, when, and why.
 *
 * @public
 */
export interface AccessAgreementTransition {
  /** Absent for the request itself. */
  from?: AccessAgreementStatus;
  to: AccessAgreementStatus;
  /** Who (a user or `token:<id>` ref); absent for an expiry. */
  by?: string;
  at: string;
  note?: string;
  /** The columns as of this step (an approval may narrow them). */
  columns?: string[];
}

/**
 * `POST /v1/agreements`: a request for access, made by a member of `consumer.tenant`.
 *
 * @public
 */
export interface AccessAgreementRequest {
  provider: { product: string; port: string };
  consumer: { tenant: string; product?: string };
  purpose: string;
  /**
   * The port's columns asked for. Empty asks for the whole port and leaves the choice to the
   * provider (a consumer cannot read another tenant's entity, so it may not know the columns):
   * approving such a request requires the columns granted, and an agreement in force always
   * names its columns.
   */
  columns: string[];
  /** ISO 8601, in the future, at most a year ahead. */
  until: string;
}

/**
 * `GET /v1/agreements?tenant=&side=&status=&product=`: the agreements of a tenant the caller
 * may read, newest first.
 *
 * @public
 */
export interface AccessAgreementList {
  items: AccessAgreement[];
}

/**
 * Whether an agreement lets its consumer read the port now.
 *
 * @public
 */
export function isAgreementInForce(
  agreement: Pick<AccessAgreement, 'status' | 'until'>,
  now: Date = new Date(),
): boolean {
  return (
    agreement.status === 'approved' && Date.parse(agreement.until) > now.getTime()
  );
}
