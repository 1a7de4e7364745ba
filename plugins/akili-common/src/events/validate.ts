import { InputError } from '@backstage/errors';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../manifest/schema';
import { ajvErrorsToIssues, formatPath, PathSegment } from '../manifest/paths';
import { isValidTenantName } from '../roles';
import {
  AKILI_EVENT_TYPES,
  AkiliEventDataMap,
  AkiliEventType,
  isAkiliEventType,
} from './registry';
import { AkiliEvent, AkiliEventProblem } from './types';

/** Longest subject: it is the Kafka message key. */
const MAX_SUBJECT_LENGTH = 512;

/**
 * The JSON schema of the envelope (the payload is checked against the schema of its type and
 * version separately).
 *
 * @public
 */
export const akiliEventEnvelopeSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'type',
    'version',
    'tenant',
    'time',
    'source',
    'subject',
    'data',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', pattern: '^[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+$' },
    version: { type: 'integer', minimum: 1 },
    tenant: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    source: { type: 'string', minLength: 1, maxLength: 256 },
    subject: { type: 'string', minLength: 1, maxLength: MAX_SUBJECT_LENGTH },
    data: { type: 'object' },
  },
};

let ajv: Ajv | undefined;
let envelopeValidator: ValidateFunction | undefined;
const dataValidators = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      allowUnionTypes: true,
    });
    addFormats(ajv, ['uuid', 'date-time']);
  }
  return ajv;
}

function problemsOf(
  validate: ValidateFunction,
  prefix: PathSegment[],
): AkiliEventProblem[] {
  return ajvErrorsToIssues(validate.errors).map(issue => ({
    path: formatPath([...prefix, ...issue.segments]),
    message: issue.message,
  }));
}

function dataValidator(type: AkiliEventType, version: number) {
  const key = `${type}@${version}`;
  let validate = dataValidators.get(key);
  if (!validate) {
    const schema = AKILI_EVENT_TYPES[type].versions[version];
    if (!schema) {
      return undefined;
    }
    validate = getAjv().compile(schema);
    dataValidators.set(key, validate);
  }
  return validate;
}

/** The tenant of a `dataproduct:<tenant>/<name>` ref. */
function tenantOfProductRef(ref: string): string {
  return ref.slice('dataproduct:'.length).split('/')[0];
}

/**
 * An access event goes only to a party's topic (the provider's or the consumer's), its products
 * are their tenants', and the two tenants differ.
 */
function accessProblems(
  tenant: string,
  data: Record<string, unknown>,
): AkiliEventProblem[] {
  const problems: AkiliEventProblem[] = [];
  const provider = data.provider as { tenant?: unknown; product?: unknown };
  const consumer = data.consumer as { tenant?: unknown; product?: unknown };
  if (
    typeof provider?.tenant !== 'string' ||
    typeof consumer?.tenant !== 'string'
  ) {
    return problems; // the schema named what is missing
  }
  if (tenant !== provider.tenant && tenant !== consumer.tenant) {
    problems.push({
      path: '$.tenant',
      message: `'${tenant}' is neither the provider '${provider.tenant}' nor the consumer '${consumer.tenant}'`,
    });
  }
  if (provider.tenant === consumer.tenant) {
    problems.push({
      path: '$.data.consumer.tenant',
      message: `must differ from the provider's tenant '${provider.tenant}'`,
    });
  }
  for (const [side, party] of [
    ['provider', provider],
    ['consumer', consumer],
  ] as const) {
    if (
      typeof party.product === 'string' &&
      tenantOfProductRef(party.product) !== party.tenant
    ) {
      problems.push({
        path: `$.data.${side}.product`,
        message: `'${party.product}' is not a product of tenant '${party.tenant}'`,
      });
    }
  }
  return problems;
}

/** Checks that span fields, which a JSON schema cannot express. */
function semanticProblems(
  event: AkiliEvent,
  family: string,
): AkiliEventProblem[] {
  const problems: AkiliEventProblem[] = [];
  const data = event.data as Record<string, unknown>;
  if (event.type === 'execution.completed') {
    const started = Date.parse(String(data.startedAt));
    const ended = Date.parse(String(data.endedAt));
    if (ended < started) {
      problems.push({
        path: '$.data.endedAt',
        message: `must not be before startedAt (${data.startedAt})`,
      });
    }
  }
  if (typeof data.product === 'string') {
    const productTenant = data.product
      .slice('dataproduct:'.length)
      .split('/')[0];
    if (productTenant !== event.tenant) {
      problems.push({
        path: '$.data.product',
        message: `'${data.product}' is not a product of tenant '${event.tenant}'`,
      });
    }
  }
  if (family === 'access') {
    problems.push(...accessProblems(event.tenant, data));
  }
  if (family === 'tenant' && data.tenant !== event.tenant) {
    problems.push({
      path: '$.data.tenant',
      message: `must be the event's tenant '${event.tenant}', not '${data.tenant}'`,
    });
  }
  return problems;
}

/**
 * Validates an event, envelope and payload: the envelope against
 * {@link akiliEventEnvelopeSchema} (`id` a UUID, `time` ISO 8601 with a time zone), the tenant
 * with `isValidTenantName`, the type and version against {@link AKILI_EVENT_TYPES} (an unknown
 * one is a problem naming it), the payload against the schema of that type and version, and a
 * few cross-field rules (a product ref of the event's tenant, `endedAt` not before `startedAt`).
 * Returns the problems, empty when the event is valid.
 *
 * @public
 */
export function validateAkiliEvent(value: unknown): AkiliEventProblem[] {
  if (!envelopeValidator) {
    envelopeValidator = getAjv().compile(akiliEventEnvelopeSchema);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: '$', message: 'an event must be a JSON object' }];
  }
  const problems: AkiliEventProblem[] = envelopeValidator(value)
    ? []
    : problemsOf(envelopeValidator, []);
  const event = value as Partial<AkiliEvent>;
  if (typeof event.tenant === 'string' && !isValidTenantName(event.tenant)) {
    problems.push({
      path: '$.tenant',
      message: `'${event.tenant}' is not a valid tenant name: use lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters`,
    });
  }
  if (typeof event.type !== 'string') {
    return problems;
  }
  if (!isAkiliEventType(event.type)) {
    problems.push({
      path: '$.type',
      message: `unknown event type '${event.type}'; known types: ${Object.keys(
        AKILI_EVENT_TYPES,
      ).join(', ')}`,
    });
    return problems;
  }
  if (typeof event.version !== 'number' || !Number.isInteger(event.version)) {
    return problems;
  }
  const validate = dataValidator(event.type, event.version);
  if (!validate) {
    problems.push({
      path: '$.version',
      message: `unknown version ${event.version} of event type '${
        event.type
      }'; known versions: ${Object.keys(
        AKILI_EVENT_TYPES[event.type].versions,
      ).join(', ')}`,
    });
    return problems;
  }
  if (typeof event.data !== 'object' || event.data === null) {
    return problems;
  }
  if (!validate(event.data)) {
    problems.push(...problemsOf(validate, ['data']));
    return problems;
  }
  if (problems.length === 0) {
    problems.push(
      ...semanticProblems(
        event as AkiliEvent,
        AKILI_EVENT_TYPES[event.type].family,
      ),
    );
  }
  return problems;
}

/**
 * The error thrown for an invalid event: an `InputError` (HTTP 400 through the framework) whose
 * message lists every problem, with the problems also in `problems`.
 *
 * @public
 */
export class InvalidAkiliEventError extends InputError {
  readonly problems: AkiliEventProblem[];

  constructor(problems: AkiliEventProblem[], what = 'Invalid Akili event') {
    super(
      `${what}: ${problems.map(p => `${p.path}: ${p.message}`).join('; ')}`,
    );
    this.problems = problems;
  }
}

/**
 * Throws an {@link InvalidAkiliEventError} unless `value` is a valid event.
 *
 * @public
 */
export function assertValidAkiliEvent(
  value: unknown,
  what?: string,
): asserts value is AkiliEvent {
  const problems = validateAkiliEvent(value);
  if (problems.length > 0) {
    throw new InvalidAkiliEventError(problems, what);
  }
}

/**
 * What {@link createAkiliEvent} takes: `id` and `time` are filled in when absent, `version`
 * defaults to 1.
 *
 * @public
 */
export interface CreateAkiliEventOptions<
  TType extends AkiliEventType = AkiliEventType,
  TVersion extends keyof AkiliEventDataMap[TType] = keyof AkiliEventDataMap[TType],
> {
  type: TType;
  version?: TVersion & number;
  tenant: string;
  subject: string;
  source: string;
  data: AkiliEventDataMap[TType][TVersion];
  id?: string;
  /** A `Date` or an ISO 8601 string; now when absent. */
  time?: string | Date;
}

/**
 * Builds an event envelope around a payload, fills in `id` (a random UUID) and `time` (now),
 * and validates it: throws an {@link InvalidAkiliEventError} listing every problem.
 *
 * @public
 */
export function createAkiliEvent<
  TType extends AkiliEventType,
  TVersion extends keyof AkiliEventDataMap[TType] = keyof AkiliEventDataMap[TType],
>(
  options: CreateAkiliEventOptions<TType, TVersion>,
): AkiliEvent<AkiliEventDataMap[TType][TVersion]> {
  const time =
    options.time instanceof Date
      ? options.time.toISOString()
      : options.time ?? new Date().toISOString();
  const event = {
    id: options.id ?? globalThis.crypto.randomUUID(),
    type: options.type,
    version: options.version ?? 1,
    tenant: options.tenant,
    time,
    source: options.source,
    subject: options.subject,
    data: options.data,
  };
  assertValidAkiliEvent(event);
  return event as AkiliEvent<AkiliEventDataMap[TType][TVersion]>;
}

/**
 * Parses and validates the JSON of an envelope (a message value), for consumers: throws an
 * {@link InvalidAkiliEventError} for bad JSON or an invalid event.
 *
 * @public
 */
export function parseAkiliEvent(json: string): AkiliEvent {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new InvalidAkiliEventError([
      { path: '$', message: `not valid JSON: ${(error as Error).message}` },
    ]);
  }
  assertValidAkiliEvent(value);
  return value;
}
