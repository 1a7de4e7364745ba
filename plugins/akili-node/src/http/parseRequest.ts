import { InputError } from '@backstage/errors';
import { z, ZodError, ZodTypeAny } from 'zod';

/** How many problems one 400 names at most, so a huge bad body gives a readable message. */
const MAX_ISSUES = 20;

/**
 * Parses a request's body, query or params with a zod schema. A failure is an `InputError`
 * (400) naming each field and what is wrong with it, e.g.
 * `Invalid body: results.2.outcome must be one of pass, fail; unknown field x`
 * (at most 20 problems). A missing input (`undefined`, `null`) is parsed as `{}`.
 *
 * @param schema - the schema the input must satisfy
 * @param input - the raw input, e.g. `req.body` or `req.query`
 * @param where - what the input is (`body`, `query`), named in the message and for problems
 *   of the input as a whole
 * @returns the parsed (and transformed) input
 * @public
 */
export function parseRequest<S extends ZodTypeAny>(
  schema: S,
  input: unknown,
  where: string,
): z.output<S> {
  try {
    return schema.parse(input ?? {});
  } catch (error) {
    if (error instanceof ZodError) {
      throw new InputError(
        `Invalid ${where}: ${error.issues
          .slice(0, MAX_ISSUES)
          .map(issue => {
            const path = issue.path.join('.');
            return issue.code === 'unrecognized_keys'
              ? `unknown field ${issue.keys
                  .map(key => (path ? `${path}.${key}` : key))
                  .join(', ')}`
              : `${path || where} ${issue.message}`;
          })
          .join('; ')}`,
      );
    }
    throw error;
  }
}

/**
 * A `limit` query parameter: a whole number from 1 to `max`, `fallback` when absent.
 *
 * @public
 */
export function limitParam(max: number, fallback: number) {
  return z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback);
}

/**
 * Serial (bigint) ids as they appear in paths and cursors: 1 to 18 digits, no leading zero.
 *
 * @public
 */
export const SERIAL_ID_PATTERN = /^[1-9][0-9]{0,17}$/;

/**
 * An optional `cursor` query parameter that must match `pattern`.
 *
 * @public
 */
export function cursorParam(pattern: RegExp = SERIAL_ID_PATTERN) {
  return z.string().regex(pattern, 'is not a cursor of this list').optional();
}
