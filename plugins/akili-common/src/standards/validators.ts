import Ajv2019 from 'ajv/dist/2019';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { appendErrorsInPlace } from '../manifest/ajvCode';
import { Issue, ajvErrorsToIssues, issueToProblem } from '../manifest/paths';
import { ManifestProblem } from '../manifest/types';
import odcsSchema from './schemas/odcs-json-schema-v3.1.0.json';
import odpsSchema from './schemas/odps-json-schema-v1.0.0.json';

/** The official ODPS v1.0.0 JSON schema (Bitol, Apache-2.0). */
export const odpsJsonSchema: Record<string, unknown> = odpsSchema;
/** The official ODCS v3.1.0 JSON schema (Bitol, Apache-2.0). */
export const odcsJsonSchema: Record<string, unknown> = odcsSchema;

let ajv: Ajv2019 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(name: 'odps' | 'odcs'): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    if (!ajv) {
      // The official schemas use annotations ajv's strict mode does not know
      // (e.g. `$defs/ServerSource` groups schemas without being one).
      ajv = new Ajv2019({
        allErrors: true,
        verbose: true,
        strict: false,
        code: { process: appendErrorsInPlace },
      });
      addFormats(ajv);
    }
    validate = ajv.compile(name === 'odps' ? odpsJsonSchema : odcsJsonSchema);
    compiled.set(name, validate);
  }
  return validate;
}

/** Issues of a value against the official ODPS schema (internal form). */
export function odpsSchemaIssues(value: unknown): Issue[] {
  const validate = validator('odps');
  return validate(value) ? [] : ajvErrorsToIssues(validate.errors);
}

/** Issues of a value against the official ODCS schema (internal form). */
export function odcsSchemaIssues(value: unknown): Issue[] {
  const validate = validator('odcs');
  return validate(value) ? [] : ajvErrorsToIssues(validate.errors);
}

/** Validates a parsed document against the official ODPS v1.0.0 JSON schema. */
export function validateOdps(value: unknown): ManifestProblem[] {
  return odpsSchemaIssues(value).map(issueToProblem);
}

/** Validates a parsed document against the official ODCS v3.1.0 JSON schema. */
export function validateOdcs(value: unknown): ManifestProblem[] {
  return odcsSchemaIssues(value).map(issueToProblem);
}
