import { NAME_PATTERN } from './patterns';

/** Longest product (and tenant) name: the catalog's limit for a name and a namespace. @public */
export const MAX_NAME_LENGTH = 63;

const NAME = new RegExp(NAME_PATTERN);

/**
 * Why a value cannot be the name of a data product or a tenant, in words for a form or a CLI;
 * `undefined` when it can. `what` names the thing in the message (`data product`, `tenant`).
 * The rule is the manifest schema's: {@link NAME_PATTERN}, at most {@link MAX_NAME_LENGTH}
 * characters.
 *
 * @public
 */
export function nameProblem(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string' || value === '') {
    return `A ${what} needs a name`;
  }
  if (value.length > MAX_NAME_LENGTH) {
    return `A ${what} name has at most ${MAX_NAME_LENGTH} characters ("${value.slice(
      0,
      20,
    )}…" has ${value.length})`;
  }
  if (!NAME.test(value)) {
    return `"${value}" is not a ${what} name: lowercase letters, digits and dashes, starting and ending with a letter or digit (like daily-orders)`;
  }
  return undefined;
}

/**
 * Why a value cannot be a data product's name (`metadata.name` of a manifest), in words for a
 * form or a CLI; `undefined` when it can (see {@link nameProblem}).
 *
 * @public
 */
export function dataProductNameProblem(value: unknown): string | undefined {
  return nameProblem(value, 'data product');
}
