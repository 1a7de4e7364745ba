import type { Entity } from '@backstage/catalog-model';
import { dataProductNameProblem } from './names';
import {
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductManifest,
} from './types';

/** Tenants follow the name rule of products. */
function isName(value: string): boolean {
  return dataProductNameProblem(value) === undefined;
}

/** A reference to a data product entity. */
export interface DataProductEntityRef {
  kind: 'dataproduct';
  namespace: string;
  name: string;
}

/**
 * Reads the `product` of an input port: `dataproduct:<tenant>/<name>`, `<tenant>/<name>`, or
 * `<name>` for a product of `tenant`. The kind prefix is compared case-insensitively.
 *
 * @returns the entity ref, or `undefined` when the text is not a valid product reference.
 */
export function parseInputProductRef(
  ref: string,
  tenant: string,
): DataProductEntityRef | undefined {
  if (typeof ref !== 'string') {
    return undefined;
  }
  let rest = ref.trim();
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    if (rest.slice(0, colon).toLocaleLowerCase('en-US') !== 'dataproduct') {
      return undefined;
    }
    rest = rest.slice(colon + 1);
  }
  const parts = rest.split('/');
  if (parts.length > 2) {
    return undefined;
  }
  const [namespace, name] = parts.length === 2 ? parts : [tenant, parts[0]];
  if (!isName(namespace) || !isName(name)) {
    return undefined;
  }
  return { kind: 'dataproduct', namespace, name };
}

/** The catalog ref of a product: `dataproduct:<tenant>/<name>`. */
export function dataProductRef(
  manifest: Pick<DataProductManifest, 'metadata'>,
): string {
  return `dataproduct:${manifest.metadata.namespace}/${manifest.metadata.name}`;
}

/** Whether an entity is an Akili data product (kind compared case-insensitively). */
export function isDataProductEntity(entity: Entity): boolean {
  return (
    entity.apiVersion === DATA_PRODUCT_API_VERSION &&
    typeof entity.kind === 'string' &&
    entity.kind.toLocaleLowerCase('en-US') ===
      DATA_PRODUCT_KIND.toLocaleLowerCase('en-US')
  );
}
