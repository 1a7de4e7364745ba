/*
 * Validation code that costs as much as the document it checks. Internal to this package.
 */

// What ajv generates after calling the validator of a referenced schema, `$ref` or keyword:
//   vErrors = vErrors === null ? validate31.errors : vErrors.concat(validate31.errors);
const CONCAT_ERRORS =
  /vErrors = vErrors === null \? ([\w$.]+) : vErrors\.concat\(\1\);/g;

/**
 * ajv's `code.process` hook: appends the errors of a referenced schema to the errors gathered
 * so far instead of copying them all (`concat`) after every call. With `allErrors`, a document
 * whose array of N items each fails a referenced schema (ODCS properties, for example) would
 * otherwise cost N²/2 copies: minutes for a 1 MiB contract.
 */
export function appendErrorsInPlace(code: string): string {
  return code.replace(
    CONCAT_ERRORS,
    'if (vErrors === null) { vErrors = $1; } else { for (const e of $1) { vErrors.push(e); } }',
  );
}
