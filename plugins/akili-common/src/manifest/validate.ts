/*
 * Schema and semantic validation of a parsed manifest value (no source positions).
 */

import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { appendErrorsInPlace } from './ajvCode';
import { Issue, ajvErrorsToIssues } from './paths';
import { dataProductManifestSchema } from './schema';
import { checkManifestSemantics } from './semantics';
import { DataProductManifest } from './types';

let compiled: ValidateFunction | undefined;

function manifestValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      // `required` inside `oneOf` names properties declared by the parent.
      strictRequired: false,
      allowUnionTypes: true,
      code: { process: appendErrorsInPlace },
    });
    addFormats(ajv, ['email', 'uri']);
    compiled = ajv.compile(dataProductManifestSchema);
  }
  return compiled;
}

/** Schema problems of a value, then (only if there are none) the semantic ones. */
export function manifestIssues(value: unknown): Issue[] {
  const validate = manifestValidator();
  if (!validate(value)) {
    return ajvErrorsToIssues(validate.errors);
  }
  return checkManifestSemantics(value as DataProductManifest);
}
