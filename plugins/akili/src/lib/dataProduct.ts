import {
  DEFAULT_NAMESPACE,
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type {
  Classification,
  DataProductColumn,
  DataProductSpec,
  InputPort,
  OutputPort,
  QualityRule,
  ServiceLevelObjectives,
} from '@akili/plugin-akili-common';

/** The DataProduct kind as the catalog compares it (lowercase). */
export const DATA_PRODUCT_KIND_ID = 'dataproduct';

/** The classification a column has when its manifest does not say. */
export const DEFAULT_CLASSIFICATION: Classification = 'internal';

/** Whether an entity is a data product, whatever the case of its kind. */
export function isDataProduct(entity: Entity): boolean {
  return entity.kind?.toLocaleLowerCase('en-US') === DATA_PRODUCT_KIND_ID;
}

/**
 * The spec of a DataProduct entity, with the arrays a page iterates over always present.
 *
 * Catalog entities passed validation upstream, but a page must not crash on a product
 * that a newer or older processor shaped a little differently.
 */
export function getDataProductSpec(entity: Entity): Partial<DataProductSpec> & {
  inputPorts: InputPort[];
  outputPorts: OutputPort[];
  quality: QualityRule[];
} {
  const spec = (entity.spec ?? {}) as Partial<DataProductSpec>;
  const outputPorts = Array.isArray(spec.outputPorts)
    ? spec.outputPorts.map(port => ({
        ...port,
        schema: Array.isArray(port.schema) ? port.schema : [],
      }))
    : [];
  return {
    ...spec,
    inputPorts: Array.isArray(spec.inputPorts) ? spec.inputPorts : [],
    outputPorts,
    quality: Array.isArray(spec.quality) ? spec.quality : [],
  };
}

/** All columns of all output ports. */
export function allColumns(spec: {
  outputPorts?: OutputPort[];
}): DataProductColumn[] {
  return (spec.outputPorts ?? []).flatMap(port =>
    Array.isArray(port.schema) ? port.schema : [],
  );
}

/** Whether a classification marks personal data. */
export function isPiiClassification(
  classification: Classification | undefined,
): boolean {
  return classification === 'pii' || classification === 'sensitive-pii';
}

/** Whether any column of any output port holds personal data. */
export function hasPiiColumns(spec: { outputPorts?: OutputPort[] }): boolean {
  return allColumns(spec).some(column =>
    isPiiClassification(column.classification),
  );
}

/**
 * The full entity ref of an upstream product named by an input port.
 *
 * `orders` and `acme/orders` default to kind `dataproduct` and the given tenant namespace.
 * Returns undefined when the text is not a valid entity ref.
 */
export function resolveUpstreamRef(
  product: string,
  defaultNamespace: string,
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(product, {
        defaultKind: DATA_PRODUCT_KIND_ID,
        defaultNamespace,
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * The namespace of organisation entities (groups, users, domains) named without one.
 * They are shared across tenants, so they live in the default namespace.
 */
export const SHARED_NAMESPACE = DEFAULT_NAMESPACE;

/** A ref to a shared entity (group, user, domain) as a full ref; undefined when invalid. */
export function resolveSharedRef(
  ref: unknown,
  defaultKind: string,
  defaultNamespace: string = SHARED_NAMESPACE,
): string | undefined {
  if (typeof ref !== 'string' || ref.length === 0) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

/**
 * The owner of a product as a full entity ref: the `ownedBy` relation the catalog emitted
 * when there is one, else `spec.owner` as a group of the product's own tenant (as the catalog
 * resolves it: a product is owned by a team of its tenant).
 */
export function getOwnerRef(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) {
    return relation.targetRef;
  }
  return resolveSharedRef(
    (entity.spec as Partial<DataProductSpec> | undefined)?.owner,
    'group',
    entity.metadata.namespace ?? SHARED_NAMESPACE,
  );
}

/**
 * The domain of a product as a full entity ref: the `partOf` relation to a domain when the
 * catalog emitted one, else `spec.domain` as a domain of the shared namespace.
 */
export function getDomainRef(entity: Entity): string | undefined {
  const relation = entity.relations?.find(
    r => r.type === RELATION_PART_OF && r.targetRef.startsWith('domain:'),
  );
  if (relation) {
    return relation.targetRef;
  }
  return resolveSharedRef(
    (entity.spec as Partial<DataProductSpec> | undefined)?.domain,
    'domain',
  );
}

/**
 * The quality rules that check one output port: those naming it, and those naming no port
 * when the product has a single output port.
 */
export function rulesForPort(
  spec: { outputPorts: OutputPort[]; quality: QualityRule[] },
  portName: string,
): QualityRule[] {
  const single = spec.outputPorts.length === 1;
  return spec.quality.filter(rule =>
    rule.port ? rule.port === portName : single,
  );
}

/**
 * Rules that belong to no listed output port: no port named while the product has several,
 * or a port name that does not exist.
 */
export function unassignedRules(spec: {
  outputPorts: OutputPort[];
  quality: QualityRule[];
}): QualityRule[] {
  const names = new Set(spec.outputPorts.map(p => p.name));
  const single = spec.outputPorts.length === 1;
  return spec.quality.filter(rule =>
    rule.port ? !names.has(rule.port) : !single,
  );
}

/** The SLOs that apply to one output port. */
export function slosForPort(
  slos: ServiceLevelObjectives | undefined,
  portName: string,
): ServiceLevelObjectives {
  if (!slos) {
    return {};
  }
  const result: ServiceLevelObjectives = {};
  if (
    slos.freshness &&
    (!slos.freshness.port || slos.freshness.port === portName)
  ) {
    result.freshness = slos.freshness;
  }
  if (slos.availability) {
    result.availability = slos.availability;
  }
  return result;
}
