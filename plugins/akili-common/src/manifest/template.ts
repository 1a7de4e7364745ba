/**
 * The manifest a new-product template creates, from the template's form values: one function
 * for the form's preview (`AkiliManifestPreview`) and the template's `akili:manifest:create`
 * step, so what the user reviews is what the run writes.
 */

import { parseEntityRef } from '@backstage/catalog-model';
import { dump } from 'js-yaml';
import { CODE_LOCATION_TENANT_SEPARATOR } from '../codeLocations';
import {
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductColumn,
  DataProductManifest,
  DataProductSpec,
  InputPort,
  OutputPort,
} from './types';

/**
 * The new-product templates: `sql` (a SQL product on StarRocks), `python` (Dagster assets),
 * `ingestion` (a source-aligned product loading one source system).
 *
 * @public
 */
export type ProductTemplateKind = 'sql' | 'python' | 'ingestion';

/** Every {@link ProductTemplateKind}, for schemas and checks. @public */
export const PRODUCT_TEMPLATE_KINDS: readonly ProductTemplateKind[] = [
  'sql',
  'python',
  'ingestion',
];

/**
 * A column as the template form declares it.
 *
 * @public
 */
export interface ProductTemplateColumn {
  name?: string;
  type?: string;
  classification?: string;
  description?: string;
}

/**
 * An output port as the template form declares it: a table with its columns.
 *
 * @public
 */
export interface ProductTemplateOutputPort {
  name?: string;
  description?: string;
  columns?: ProductTemplateColumn[];
}

/**
 * The values of a new-product template form (its `parameters`). Every field is optional: the
 * form's preview renders the manifest while the user is still filling it in.
 *
 * @public
 */
export interface ProductTemplateValues {
  tenant?: string;
  name?: string;
  title?: string;
  /** A Domain entity ref (`domain:default/sales`) or a domain name (`sales`). */
  domain?: string;
  /** The owning team: a group name of the tenant. */
  owner?: string;
  description?: string;
  /** `aggregate` or `consumer-aligned` (SQL and Python templates; default `aggregate`). */
  productType?: string;
  outputPorts?: ProductTemplateOutputPort[];
  /** The ingestion template's source system (`postgres`) and where it reads (`shop.public.orders`). */
  sourceSystem?: string;
  sourceLocation?: string;
}

/** Where TechDocs builds an entity's docs from (`@backstage/plugin-techdocs-common`). */
const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';

/** Names of SQL databases, tables and Python modules: dashes become underscores. */
function identifier(name: string): string {
  return name.replace(/-/g, '_');
}

/** A text value, or undefined when it is missing or blank. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

/** Drops the members that are undefined, so the YAML has no `key: null` for a blank field. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** `sales` from `domain:default/sales`; a value that is no ref stays as it is. */
function domainName(value: string | undefined): string | undefined {
  if (!value) {
    return undefined;
  }
  try {
    return parseEntityRef(value, {
      defaultKind: 'domain',
      defaultNamespace: 'default',
    }).name;
  } catch {
    return value;
  }
}

function column(input: ProductTemplateColumn): DataProductColumn {
  return defined({
    name: text(input.name),
    type: text(input.type),
    classification: text(input.classification),
    description: text(input.description),
  }) as DataProductColumn;
}

function outputPort(
  input: ProductTemplateOutputPort,
  tenant: string,
  product: string,
): OutputPort {
  const name = text(input.name) ?? '';
  return defined({
    name: text(input.name),
    description: text(input.description),
    kind: 'table',
    location: {
      table: {
        // The tenant's Iceberg catalog in StarRocks; one database per product.
        catalog: `iceberg_${identifier(tenant)}`,
        database: identifier(product),
        table: identifier(name),
      },
    },
    schema: (input.columns ?? []).map(c => column(c ?? {})),
  }) as OutputPort;
}

/**
 * The DataProduct manifest a new-product template creates from its form values.
 *
 * @remarks
 *
 * Pure and total: incomplete values (a form being filled in) give a manifest with the missing
 * parts left out, which `parseManifest` or `validateManifestObject` then name with their paths.
 * The form's preview and the template's `akili:manifest:create` step both call it, so the
 * preview is what the run writes. Blank texts are left out; the title defaults to the name.
 *
 * @public
 */
export function manifestFromTemplateInput(
  template: ProductTemplateKind,
  values: ProductTemplateValues,
): DataProductManifest {
  const tenant = text(values.tenant) ?? '';
  const name = text(values.name) ?? '';
  const module = identifier(name);
  const ports = (values.outputPorts ?? []).map(p =>
    outputPort(p ?? {}, tenant, name),
  );

  let type = text(values.productType) ?? 'aggregate';
  let inputPorts: InputPort[] | undefined;
  if (template === 'ingestion') {
    type = 'source-aligned';
    const system = text(values.sourceSystem);
    const location = text(values.sourceLocation);
    inputPorts = [
      defined({
        name: system,
        description:
          system && location ? `Read from ${system} at ${location}` : undefined,
        external: defined({ system, location }) as InputPort['external'],
      }) as InputPort,
    ];
  }

  const dagster = {
    // The tenant's prefix makes the code location the tenant's (see isCodeLocationOfTenant).
    codeLocation: `${tenant}${CODE_LOCATION_TENANT_SEPARATOR}${module}`,
    job: `${module}_job`,
    assetKeys: ports.map(port => [module, identifier(port.name ?? '')]),
  };
  const transformation: DataProductSpec['transformation'] =
    template === 'sql'
      ? { language: 'sql', entrypoint: 'models' }
      : {
          language: 'python',
          entrypoint: template === 'python' ? 'defs.py' : 'ingest.py',
          dagster,
        };

  const spec = defined({
    type,
    lifecycle: 'experimental',
    owner: text(values.owner),
    domain: domainName(text(values.domain)),
    version: '0.1.0',
    inputPorts,
    outputPorts: ports,
    transformation,
    schedule: {
      // Ingestion keeps the source close; derived products refresh nightly.
      cron: template === 'ingestion' ? '0 * * * *' : '0 3 * * *',
      timezone: 'UTC',
    },
  }) as DataProductSpec;

  return {
    apiVersion: DATA_PRODUCT_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: defined({
      name: text(values.name),
      namespace: text(values.tenant),
      title: text(values.title) ?? text(values.name),
      description: text(values.description),
      // The product's docs (mkdocs.yml, docs/ of the skeleton), built by TechDocs from the
      // manifest's own folder; the catalog guard refuses any other place for a tenant's entity.
      annotations: { [TECHDOCS_REF_ANNOTATION]: 'dir:.' },
    }) as DataProductManifest['metadata'],
    spec,
  };
}

/** A two-part asset key as js-yaml writes it: `- - orders` over `  - daily`. */
const ASSET_KEY_BLOCK = /^( *)- - ([A-Za-z0-9_]+)\n\1 {2}- ([A-Za-z0-9_]+)$/gm;

/** The first line of every manifest file a template writes. */
const MANIFEST_FILE_HEADER =
  '# The data product manifest: what the portal validates, registers and deploys.\n';

/**
 * The text of the `dataproduct.yaml` a new-product template writes: {@link manifestFromTemplateInput}
 * as YAML, under a one-line comment. The form's preview shows exactly this text.
 *
 * @public
 */
export function templateManifestYaml(
  template: ProductTemplateKind,
  values: ProductTemplateValues,
): string {
  const manifest = manifestFromTemplateInput(template, values);
  const yaml = dump(manifest, { lineWidth: -1, noRefs: true });
  // An asset key reads as the path it is, `- [orders, daily]`, not as a nested block list.
  return `${MANIFEST_FILE_HEADER}${yaml.replace(
    ASSET_KEY_BLOCK,
    '$1- [$2, $3]',
  )}`;
}
