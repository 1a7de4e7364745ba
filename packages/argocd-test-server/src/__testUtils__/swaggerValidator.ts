import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import definitions from '../__fixtures__/argocd-definitions.json';

/**
 * Validators of ArgoCD's swagger definitions, for tests (not exported from the package's entry
 * point). The fixture holds the definitions of ArgoCD's swagger.json the server answers with
 * (see its `_source`). Validation is stricter than the spec: an object definition that names
 * its properties accepts no others (merging `allOf`), so a misspelt field fails, not only a
 * wrong type.
 */
type Schema = Record<string, unknown>;

function tighten(schema: Schema): Schema {
  const copy: Schema = { ...schema };
  if (Array.isArray(copy.allOf)) {
    const parts = (copy.allOf as Schema[]).map(part =>
      part.$ref
        ? (definitions.definitions as Record<string, Schema>)[
            String(part.$ref).split('/').pop()!
          ]
        : part,
    );
    copy.properties = Object.assign(
      {},
      ...parts.map(part => part.properties ?? {}),
      copy.properties ?? {},
    );
    delete copy.allOf;
  }
  if (copy.properties && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

let ajv: Ajv | undefined;

/** A validator of one definition, e.g. `v1alpha1Application`. */
export function swaggerValidator(definition: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const format of ['int32', 'int64', 'uint32', 'uint64', 'byte']) {
      ajv.addFormat(format, true);
    }
    const defs = Object.fromEntries(
      Object.entries(definitions.definitions as Record<string, Schema>).map(
        ([name, schema]) => [name, tighten(schema)],
      ),
    );
    ajv.addSchema({ $id: 'argocd', definitions: defs });
  }
  return ajv.getSchema(`argocd#/definitions/${definition}`)!;
}

/** Throws naming every violation when `value` is not a valid `definition`. */
export function expectSwaggerShape(definition: string, value: unknown) {
  const validate = swaggerValidator(definition);
  if (!validate) throw new Error(`No definition ${definition} in the fixture`);
  if (!validate(value)) {
    throw new Error(
      `Not a valid ${definition}: ${JSON.stringify(validate.errors, null, 1)}`,
    );
  }
}
