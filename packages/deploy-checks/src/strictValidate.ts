/**
 * Strict validation on top of kubernetes-models' compiled validators.
 *
 * kubernetes-models ships its JSON schemas compiled to ajv standalone code, without
 * `additionalProperties: false`, so an unknown field passes. The compiled code reads every property
 * its schema declares (`data.spec === undefined`, ...) and enumerates the keys of map-like objects
 * (`for (key in data)`). Running it on proxies that record those reads tells, for each object,
 * which keys the schema knows: a key of the document that was never read, in an object where the
 * schema read at least one property and enumerated none, is unknown — kubeconform's `-strict`.
 * An object whose schema reads nothing (free-form, `x-kubernetes-preserve-unknown-fields`) is
 * left alone.
 */

/** A problem at a JSON path (`/spec/template/...`) of a document. */
export interface SchemaProblem {
  path: string;
  message: string;
}

interface Access {
  value: object;
  read: Set<string>;
  enumerated: boolean;
}

function track(value: any, path: string, seen: Map<string, Access>): any {
  if (value === null || typeof value !== 'object') return value;
  const access: Access = { value, read: new Set(), enumerated: false };
  seen.set(path, access);
  const children = new Map<string, any>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      access.read.add(key);
      if (v === null || typeof v !== 'object') return v;
      if (!children.has(key)) {
        children.set(key, track(v, `${path}/${escape(key)}`, seen));
      }
      return children.get(key);
    },
    ownKeys(target) {
      access.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** JSON pointer escaping of one path segment. */
export function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The compiled validator, as kubernetes-models' generated code calls it. */
export type CompiledValidator = (data: unknown) => boolean;

/** Wraps the model class' `validate` (which throws) as a function returning problems. */
export function validatorOfModel(model: {
  prototype: { validate(): void };
}): (data: unknown) => SchemaProblem[] {
  return data => {
    try {
      model.prototype.validate.call(data);
      return [];
    } catch (e: any) {
      const errors: any[] = e?.errors ?? [];
      if (errors.length === 0) throw e;
      return errors.map(err => ({
        path: err.instancePath || '/',
        message: `${err.keyword}: ${
          err.message ?? JSON.stringify(err.params ?? {}).replace(/"/g, '')
        }`,
      }));
    }
  };
}

/**
 * Runs `validate` on `doc` and adds one problem for each field the schema does not declare.
 */
export function validateStrict(
  validate: (data: unknown) => SchemaProblem[],
  doc: unknown,
): SchemaProblem[] {
  const seen = new Map<string, Access>();
  const problems = validate(track(doc, '', seen));
  for (const [path, access] of seen) {
    if (
      Array.isArray(access.value) ||
      access.enumerated ||
      access.read.size === 0
    ) {
      continue;
    }
    for (const key of Object.keys(access.value)) {
      if (!access.read.has(key)) {
        problems.push({
          path: `${path}/${escape(key)}`,
          message: 'unknown field',
        });
      }
    }
  }
  return problems;
}
