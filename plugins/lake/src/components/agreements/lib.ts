import type { Entity } from '@backstage/catalog-model';
import {
  DataProductColumn,
  InputPort,
  OutputPort,
  parseInputProductRef,
} from '@akili/plugin-akili-common';
import type {
  AccessAgreement,
  AccessAgreementRequest,
  AccessAgreementStatus,
} from '@akili/plugin-lake-common';

/** Every status, in the order the filters offer them. */
export const AGREEMENT_STATUSES: readonly AccessAgreementStatus[] = [
  'requested',
  'approved',
  'rejected',
  'withdrawn',
  'revoked',
  'expired',
];

/** Whether `value` is an agreement status (e.g. from the URL). */
export function isAgreementStatus(
  value: string | null | undefined,
): value is AccessAgreementStatus {
  return (AGREEMENT_STATUSES as readonly string[]).includes(value ?? '');
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long an agreement lasts unless the requester says otherwise. */
export const DEFAULT_AGREEMENT_DAYS = 90;
/** The longest agreement the backend accepts: a year ahead. */
export const MAX_AGREEMENT_DAYS = 365;

/** `YYYY-MM-DD` of `now` plus `days`, in UTC (the date the request sends). */
export function dateInDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The ISO time an agreement ending on `date` (`YYYY-MM-DD`) ends: the start of that day, UTC. */
export function untilFromDate(date: string): string {
  return `${date}T00:00:00.000Z`;
}

/** The catalog ref of a product entity: `dataproduct:<tenant>/<name>`. */
export function productRefOf(entity: Entity): string {
  return `dataproduct:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`;
}

/** `{ namespace, name }` of `dataproduct:<tenant>/<name>`, for links and the catalog. */
export function parseProductRef(
  ref: string,
): { namespace: string; name: string } | undefined {
  const match = /^dataproduct:([^/]+)\/([^/]+)$/i.exec(ref);
  return match ? { namespace: match[1], name: match[2] } : undefined;
}

/** The output ports of a DataProduct entity (its manifest's `spec.outputPorts`). */
export function outputPortsOf(entity: Entity): OutputPort[] {
  const ports = (entity.spec as { outputPorts?: unknown } | undefined)
    ?.outputPorts;
  return Array.isArray(ports)
    ? ports.filter(
        (p): p is OutputPort =>
          !!p && typeof p === 'object' && typeof p.name === 'string',
      )
    : [];
}

/** A column the contract classifies as more than internal: the request dialog flags it. */
export function isClassifiedColumn(column: DataProductColumn): boolean {
  return (
    column.classification !== undefined &&
    column.classification !== 'public' &&
    column.classification !== 'internal'
  );
}

/** An input port that reads an output port of another tenant's product. */
export interface CrossTenantInput {
  /** The input port's name. */
  input: string;
  description?: string;
  /** `dataproduct:<tenant>/<name>` of the upstream product. */
  product: string;
  tenant: string;
  name: string;
  /** The upstream output port. */
  port: string;
}

/** The input ports of `entity` on a product of another tenant than the entity's. */
export function crossTenantInputs(entity: Entity): CrossTenantInput[] {
  const tenant = entity.metadata.namespace ?? 'default';
  const inputs = (entity.spec as { inputPorts?: unknown } | undefined)
    ?.inputPorts;
  if (!Array.isArray(inputs)) {
    return [];
  }
  const result: CrossTenantInput[] = [];
  for (const input of inputs as InputPort[]) {
    if (!input?.product || !input.port) {
      continue;
    }
    const ref = parseInputProductRef(input.product, tenant);
    if (!ref || ref.namespace === tenant) {
      continue;
    }
    result.push({
      input: input.name,
      description: input.description,
      product: `dataproduct:${ref.namespace}/${ref.name}`,
      tenant: ref.namespace,
      name: ref.name,
      port: input.port,
    });
  }
  return result;
}

/** Pending requests first (oldest first: the inbox), then the rest newest first. */
export function inboxOrder(agreements: AccessAgreement[]): AccessAgreement[] {
  const time = (a: AccessAgreement) => Date.parse(a.requestedAt) || 0;
  return [...agreements].sort((a, b) => {
    const pendingA = a.status === 'requested';
    const pendingB = b.status === 'requested';
    if (pendingA !== pendingB) {
      return pendingA ? -1 : 1;
    }
    return pendingA ? time(a) - time(b) : time(b) - time(a);
  });
}

/** What the request form holds. */
export interface RequestDraft {
  /** The provider product as typed: `<tenant>/<name>` (or `dataproduct:<tenant>/<name>`). */
  product: string;
  port: string;
  consumerTenant: string;
  consumerProduct: string;
  purpose: string;
  /**
   * Every column of the port, the provider choosing which to grant (`columns: []` in the
   * request): what a requester who cannot read the provider's product asks for.
   */
  allColumns: boolean;
  /** The columns picked when not `allColumns`. */
  columns: string[];
  /** `YYYY-MM-DD`. */
  until: string;
}

/** The problems of a draft, per field; empty when it can be sent. */
export type RequestProblems = Partial<Record<keyof RequestDraft, string>>;

/** The shortest purpose that says something. */
export const MIN_PURPOSE_LENGTH = 10;

/**
 * `{ namespace, name }` of a provider product typed as `<tenant>/<name>` or
 * `dataproduct:<tenant>/<name>` (the tenant is required: the product is another tenant's).
 */
export function parseProviderProduct(
  text: string,
): { namespace: string; name: string } | undefined {
  const ref = parseInputProductRef(text.trim(), '');
  return ref && ref.namespace ? ref : undefined;
}

/**
 * Checks a draft as the backend would, so the dialog can say what to fix before sending.
 * `ports` are the provider's output ports when the caller can read its product; otherwise any
 * port name is accepted (the backend checks it).
 */
export function validateRequest(
  draft: RequestDraft,
  options: { now: Date; ports?: string[] },
): RequestProblems {
  const problems: RequestProblems = {};
  const provider = parseProviderProduct(draft.product);
  if (!provider) {
    problems.product =
      'Name the product as <tenant>/<name>, e.g. acme/customer-360.';
  }
  const port = draft.port.trim();
  if (!port || (options.ports && !options.ports.includes(port))) {
    problems.port = 'Choose the output port to read.';
  }
  if (!draft.consumerTenant) {
    problems.consumerTenant = 'Choose the tenant that will read the data.';
  } else if (provider && draft.consumerTenant === provider.namespace) {
    problems.consumerTenant = `${provider.namespace} owns this product: its members need no agreement.`;
  }
  const product = draft.consumerProduct.trim();
  if (product) {
    const ref = parseInputProductRef(product, draft.consumerTenant);
    if (!ref) {
      problems.consumerProduct =
        'Name a product as <name> or <tenant>/<name>, or leave it empty.';
    } else if (draft.consumerTenant && ref.namespace !== draft.consumerTenant) {
      problems.consumerProduct = `The product must be one of ${draft.consumerTenant}'s.`;
    }
  }
  if (draft.purpose.trim().length < MIN_PURPOSE_LENGTH) {
    problems.purpose = `Say what the data is for (at least ${MIN_PURPOSE_LENGTH} characters): the provider decides on it.`;
  }
  if (!draft.allColumns && draft.columns.length === 0) {
    problems.columns = 'Choose at least one column.';
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.until)) {
    problems.until = 'Give the date the access ends.';
  } else {
    const until = Date.parse(untilFromDate(draft.until));
    const earliest = dateInDays(options.now, 1);
    const latest = dateInDays(options.now, MAX_AGREEMENT_DAYS);
    if (Number.isNaN(until) || draft.until < earliest) {
      problems.until = 'The date must be in the future.';
    } else if (draft.until > latest) {
      problems.until = `At most a year ahead (${latest}).`;
    }
  }
  return problems;
}

/**
 * The request body of a valid draft; `columns: []` asks for every column of the port, the
 * provider choosing which to grant when it approves.
 */
export function requestFromDraft(draft: RequestDraft): AccessAgreementRequest {
  const provider = parseProviderProduct(draft.product);
  if (!provider) {
    throw new Error(`Not a product of another tenant: ${draft.product}`);
  }
  const product = draft.consumerProduct.trim();
  const ref = product
    ? parseInputProductRef(product, draft.consumerTenant)
    : undefined;
  return {
    provider: {
      product: `dataproduct:${provider.namespace}/${provider.name}`,
      port: draft.port.trim(),
    },
    consumer: {
      tenant: draft.consumerTenant,
      ...(ref ? { product: `dataproduct:${ref.namespace}/${ref.name}` } : {}),
    },
    purpose: draft.purpose.trim(),
    columns: draft.allColumns ? [] : draft.columns,
    until: untilFromDate(draft.until),
  };
}

/**
 * The columns of an agreement as the views show them; a request for every column of the port
 * (`columns: []`, until the provider picks them when approving) says so.
 */
export function columnsLabel(columns: string[]): string {
  return columns.length === 0
    ? 'All columns of the port (the provider chooses)'
    : columns.join(', ');
}

/** `jane` of `user:default/jane`; other text unchanged. */
export function shortUserName(ref: string | undefined): string {
  if (!ref) {
    return '';
  }
  const match = /^user:(?:[^/]+\/)?(.+)$/i.exec(ref);
  return match ? match[1] : ref;
}
