import * as kubernetes from 'kubernetes-models';
import * as cnpg from '@kubernetes-models/cloudnative-pg';
import * as prometheus from '@kubernetes-models/prometheus-operator';
import { argoCdValidators } from './argocdSchemas';
import { describe, Manifest } from './manifests';
import {
  SchemaProblem,
  validateStrict,
  validatorOfModel,
} from './strictValidate';

type Validator = (doc: unknown) => SchemaProblem[];

function collectModels(
  mod: unknown,
  into: Map<string, Validator>,
  seen = new Set<unknown>(),
) {
  if (mod === null || typeof mod !== 'object' || seen.has(mod)) return;
  seen.add(mod);
  for (const value of Object.values(mod as Record<string, unknown>)) {
    if (typeof value === 'function') {
      const m = value as any;
      if (
        typeof m.apiVersion === 'string' &&
        typeof m.kind === 'string' &&
        !m.kind.endsWith('List') &&
        typeof m.prototype?.validate === 'function'
      ) {
        into.set(`${m.apiVersion} ${m.kind}`, validatorOfModel(m));
      }
    } else {
      collectModels(value, into, seen);
    }
  }
}

let registry: Map<string, Validator> | undefined;

/**
 * Validators by `apiVersion kind`: Kubernetes' own kinds (kubernetes-models), CloudNativePG and
 * Prometheus Operator (their kubernetes-models packages), ArgoCD (its CRDs' schemas).
 */
export function validators(): Map<string, Validator> {
  if (!registry) {
    registry = new Map();
    collectModels(kubernetes, registry);
    collectModels(cnpg, registry);
    collectModels(prometheus, registry);
    for (const [key, v] of argoCdValidators()) registry.set(key, v);
  }
  return registry;
}

/** Whether a schema is known for this apiVersion and kind. */
export function isKnownKind(apiVersion: string, kind: string): boolean {
  return validators().has(`${apiVersion} ${kind}`);
}

/**
 * Validates one document strictly: an unknown apiVersion/kind, a value of the wrong type or an
 * unknown field is a problem. Returns messages naming the source, document, kind/name and path.
 */
export function validateManifest(m: Manifest): string[] {
  if (typeof m.doc !== 'object' || Array.isArray(m.doc)) {
    return [`${m.source} document ${m.index}: not a mapping`];
  }
  const { apiVersion, kind } = m.doc ?? {};
  const validate = validators().get(`${apiVersion} ${kind}`);
  if (!validate) {
    return [
      `${describe(
        m,
      )}: no schema for apiVersion ${apiVersion} kind ${kind} (unknown kinds are errors)`,
    ];
  }
  return validateStrict(validate, m.doc).map(
    p => `${describe(m)} at ${p.path}: ${p.message}`,
  );
}
