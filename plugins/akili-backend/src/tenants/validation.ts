import { InputError } from '@backstage/errors';
import { isValidTenantName } from '@akili/plugin-akili-common';
import { z, ZodError, ZodIssue } from 'zod';

/** Names that can never be tenants: the shared catalog namespace and the platform's own. */
export const RESERVED_TENANT_NAMES: readonly string[] = ['default', 'akili'];

const quotaSchema = z
  .number({ invalid_type_error: 'must be a number' })
  .int('must be an integer')
  .positive('must be a positive integer')
  .max(2_147_483_647, 'is too large');

/** Bytes: up to 2^53 - 1 (8 PiB), what a JSON number carries exactly. */
const byteQuotaSchema = z
  .number({ invalid_type_error: 'must be a number' })
  .int('must be an integer')
  .positive('must be a positive integer')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

const quotasSchema = z
  .object({
    queryRowLimit: quotaSchema.optional(),
    maxConcurrentQueries: quotaSchema.optional(),
    storageQuotaBytes: byteQuotaSchema.optional(),
  })
  .strict();

const titleSchema = z
  .string({ invalid_type_error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

const descriptionSchema = z
  .string({ invalid_type_error: 'must be a string' })
  .trim()
  .max(2000, 'must be at most 2000 characters');

/** Body of `POST /v1/tenants`, and one entry of `akili.tenants.seed`. */
export const createTenantSchema = z
  .object({
    name: z
      .string({ required_error: 'is required' })
      .refine(isValidTenantName, {
        message:
          'must be lowercase letters, digits and inner dashes, at most 63 characters',
      })
      .refine(name => !RESERVED_TENANT_NAMES.includes(name), {
        message: `is reserved (${RESERVED_TENANT_NAMES.join(', ')})`,
      }),
    title: titleSchema,
    description: descriptionSchema.optional(),
    quotas: quotasSchema.optional(),
  })
  .strict();

/** Body of `PATCH /v1/tenants/:tenant`. */
export const updateTenantSchema = z
  .object({
    title: titleSchema.optional(),
    description: descriptionSchema.optional(),
    quotas: quotasSchema.optional(),
  })
  .strict();

/** Body of `POST /v1/tenants/:tenant/suspend`. */
export const suspendTenantSchema = z
  .object({
    reason: z
      .string({ required_error: 'is required' })
      .trim()
      .min(1, 'must not be empty')
      .max(1000, 'must be at most 1000 characters'),
  })
  .strict();

/** Body of `POST /v1/internal/tenant-status`. */
export const tenantStatusSchema = z
  .object({
    tenants: z
      .array(z.string({ invalid_type_error: 'must be strings' }), {
        required_error: 'is required',
      })
      .max(500, 'must list at most 500 tenants'),
  })
  .strict();

/** Query of `GET /v1/tenants/:tenant/audit`. */
/** `limit` and `cursor` of a paged list, newest first. */
const pageQuery = {
  limit: z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'is not a cursor of this list')
    .optional(),
};

export const auditQuerySchema = z.object(pageQuery).strict();

export const deadLettersQuerySchema = z
  .object({
    ...pageQuery,
    status: z
      .enum(['open', 'retried', 'all'], {
        errorMap: () => ({ message: 'must be one of open, retried, all' }),
      })
      .default('open'),
  })
  .strict();

function describeIssue(issue: ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? ` in ${issue.path.join('.')}` : '';
    return `unknown field${
      issue.keys.length > 1 ? 's' : ''
    }${where}: ${issue.keys.join(', ')}`;
  }
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  const message =
    issue.code === 'invalid_type' && issue.received === 'undefined'
      ? 'is required'
      : issue.message;
  return `${field} ${message}`;
}

/**
 * Parses `value` with `schema`, or throws an `InputError` that names every offending field,
 * e.g. `Invalid request body: name is reserved (default, akili)`.
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what = 'request body',
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    return result.data;
  }
  throw new InputError(
    `Invalid ${what}: ${(result.error as ZodError).issues
      .map(describeIssue)
      .join('; ')}`,
  );
}
