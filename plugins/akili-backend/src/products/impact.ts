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
 * input ports read one of its output ports, read with `credentials` (so only those the caller
 * may see), and restricted to `namespace` when given (an API token: its own tenant only).
 */
export async function findConsumers(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  tenant: string;
  name: string;
  namespace?: string;
  diff: ManifestDiff;
}): Promise<ProductImpact> {
  const { catalog, credentials, tenant, name } = options;
  const { items } = await catalog.getEntities(
    {
      filter: {
        kind: 'DataProduct',
        // Every form an input port may name the product by; the short one only counts in the
        // product's own tenant, which the check below makes sure of.
        'spec.inputPorts.product': [
          `dataproduct:${tenant}/${name}`,
          `${tenant}/${name}`,
          name,
        ],
        ...(options.namespace
          ? { 'metadata.namespace': options.namespace }
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
