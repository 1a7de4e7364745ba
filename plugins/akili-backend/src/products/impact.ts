import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DataProductManifest,
  isDataProductEntity,
  ManifestDiff,
  parseInputProductRef,
  ProductConsumer,
  ProductImpact,
} from '@akili/plugin-akili-common';

/** `spec.outputPorts[<name>]...` of a change's path: the port it touches. */
const PORT_PATH = /^spec\.outputPorts\[([^\]]+)\]/;

/**
 * The output ports a diff's breaking changes touch, or `'all'` when one is about the whole
 * product (a quality rule, an SLO, the lifecycle).
 */
export function portsBrokenBy(diff: ManifestDiff): Set<string> | 'all' {
  const ports = new Set<string>();
  for (const change of diff.changes) {
    if (!change.breaking) continue;
    const match = PORT_PATH.exec(change.path);
    if (!match) {
      return 'all';
    }
    ports.add(match[1]);
  }
  return ports;
}

/**
 * The downstream products of `dataproduct:<tenant>/<name>`: the catalog's data products whose
 * input ports read one of its output ports, read with `credentials` and only in `namespaces`
 * (the tenants the caller is in; every one for a platform admin), so only those the caller may
 * see. Consumers elsewhere are neither named nor counted.
 */
export async function findConsumers(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  tenant: string;
  name: string;
  /** The tenants whose products the caller may see; `undefined` for every tenant. */
  namespaces: readonly string[] | undefined;
  diff: ManifestDiff;
}): Promise<ProductImpact> {
  const { catalog, credentials, tenant, name } = options;
  const { items } = await catalog.getEntities(
    {
      filter: {
        // The input ports are matched below: a port may name the product in three forms, and
        // the short one means a product of the consumer's own tenant.
        kind: 'DataProduct',
        ...(options.namespaces
          ? { 'metadata.namespace': [...options.namespaces] }
          : {}),
      },
      fields: [
        'apiVersion',
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.owner',
        'spec.inputPorts',
        'relations',
      ],
    },
    { credentials },
  );
  const broken = portsBrokenBy(options.diff);
  const consumers: ProductConsumer[] = [];
  for (const entity of items as Entity[]) {
    if (!isDataProductEntity(entity)) continue;
    const consumer = entity as unknown as DataProductManifest & Entity;
    const namespace = consumer.metadata.namespace ?? 'default';
    if (options.namespaces && !options.namespaces.includes(namespace)) continue;
    if (namespace === tenant && consumer.metadata.name === name) continue;
    const ports = new Set<string>();
    for (const input of consumer.spec?.inputPorts ?? []) {
      const ref = input.product
        ? parseInputProductRef(input.product, namespace)
        : undefined;
      if (ref?.namespace === tenant && ref.name === name && input.port) {
        ports.add(input.port);
      }
    }
    if (ports.size === 0) continue;
    const ownedBy = (entity.relations ?? []).find(
      relation => relation.type === RELATION_OWNED_BY,
    );
    const read = [...ports].sort();
    consumers.push({
      entityRef: `dataproduct:${namespace}/${consumer.metadata.name}`,
      ...(consumer.metadata.title ? { title: consumer.metadata.title } : {}),
      owner: ownedBy?.targetRef ?? String(consumer.spec?.owner ?? ''),
      ports: read,
      affected: broken === 'all' || read.some(port => broken.has(port)),
    });
  }
  consumers.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  return { consumers };
}
