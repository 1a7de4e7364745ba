import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1';
import {
  escape,
  SchemaProblem,
  validateStrict,
  validatorOfModel,
} from './strictValidate';

/** ArgoCD's CRDs (copied from argo-cd, see the README), one per kind. */
export const ARGOCD_CRD_FILES = [
  'application-crd.yaml',
  'appproject-crd.yaml',
  'applicationset-crd.yaml',
];

/**
 * Makes an OpenAPI v3 schema strict the way kubeconform's `-strict` does: every object schema
 * with `properties` and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields`
 * gets `additionalProperties: false`. Returns a copy.
 */
export function strictSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] =
      k === 'properties' && v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v).map(([p, s]) => [p, strictSchema(s)]),
          )
        : strictSchema(v);
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

const validateObjectMeta = validatorOfModel(ObjectMeta as any);

/** Validators for the kinds the CRDs of `dir` define, by `apiVersion kind`. */
export function crdValidators(
  dir: string,
  files: string[],
): Map<string, (doc: unknown) => SchemaProblem[]> {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  const out = new Map<string, (doc: unknown) => SchemaProblem[]>();
  for (const file of files) {
    const crd = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const { group, names, versions } = crd.spec;
    for (const version of versions) {
      const schema = strictSchema(version.schema.openAPIV3Schema);
      // The CRD says only `metadata: {type: object}`; the API server checks it as ObjectMeta.
      delete schema.properties.metadata;
      schema.properties.apiVersion = { enum: [`${group}/${version.name}`] };
      schema.properties.kind = { enum: [names.kind] };
      schema.properties.metadata = { type: 'object' };
      schema.required = [
        ...new Set([
          ...(schema.required ?? []),
          'apiVersion',
          'kind',
          'metadata',
        ]),
      ];
      // Compiled on first use: ApplicationSet's schema alone takes seconds to compile.
      let compiled: ValidateFunction | undefined;
      out.set(`${group}/${version.name} ${names.kind}`, doc => {
        compiled ??= ajv.compile(schema);
        const validate = compiled;
        const problems: SchemaProblem[] = validate(doc)
          ? []
          : (validate.errors ?? []).map(e => ({
              path:
                e.keyword === 'additionalProperties'
                  ? `${e.instancePath}/${escape(
                      (e.params as any).additionalProperty,
                    )}`
                  : e.instancePath || '/',
              message:
                e.keyword === 'additionalProperties'
                  ? 'unknown field'
                  : `${e.keyword}: ${e.message}`,
            }));
        const metadata = (doc as any)?.metadata;
        if (metadata && typeof metadata === 'object') {
          problems.push(
            ...validateStrict(validateObjectMeta, metadata).map(p => ({
              path: `/metadata${p.path === '/' ? '' : p.path}`,
              message: p.message,
            })),
          );
        }
        return problems;
      });
    }
  }
  return out;
}

/** Validators for ArgoCD's Application, AppProject and ApplicationSet. */
export function argoCdValidators() {
  return crdValidators(
    // eslint-disable-next-line no-restricted-syntax -- a test-only package, run from its sources
    path.join(__dirname, 'fixtures', 'argocd'),
    ARGOCD_CRD_FILES,
  );
}
