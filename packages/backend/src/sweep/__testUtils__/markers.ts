import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  AKILI_ROLES,
  AKILI_SHARED_NAMESPACE,
  DEFAULT_AKILI_GROUP_PATTERN,
  formatAkiliGroupName,
} from '@akili/plugin-akili-common';
import { repoRoot } from './paths';

/**
 * What would show that data of `tenant` reached a member of `viewer`.
 *
 * The markers, and why:
 *
 * - `"namespace":"<tenant>"` (JSON) or `namespace: <tenant>` (YAML): an entity of the tenant's
 *   namespace itself.
 * - `<tenant>/<name>`: a ref into the tenant's namespace (entity refs, search locations like
 *   `/catalog/<tenant>/dataproduct/...`), except the refs the viewer's own manifests name (ACME's
 *   customer-360 declares `globex/shipments` as an input: that ref is ACME's own data).
 * - The titles, port names and titles, and column names of the tenant's data products, taken
 *   from `examples/data-products/<tenant>/**`, keeping identifiers and multi-word titles of 6+
 *   characters (no single plain words such as `positions`) that appear
 *   nowhere in what the viewer may legitimately read (the shared namespace `default` of
 *   `examples/*.yaml` and `catalog-info.yaml`, and the viewer's own products): e.g.
 *   `driver_card_id`, `Vehicle telemetry`.
 * - The tenant record's identity provider groups (`akili-<tenant>-<role>`), which only the
 *   tenant management API returns (the role groups of namespace `akili` are admin-only).
 * - What the tenant holds in the outside systems and what the sweep created for it (`extra`):
 *   its Dagster run ids, the content of a private file in its GitLab project, the uids of its
 *   Kubernetes objects, its scaffolder task, notification, location and entity ids, and the
 *   marker string of its fixture template.
 *
 * Not markers: the bare tenant name and the tenant's title. Shared entities of namespace
 * `default` name tenants on purpose (group `default/globex` of type tenant, its teams, users
 * such as `grace.globex`, the `akili/globex.developer` memberships), and everyone may read them.
 */
export interface TenantMarkers {
  tenant: string;
  /** The viewer's tenant; undefined for a caller without credentials. */
  viewer: string | undefined;
  /** Literal strings that only the tenant's data contains. */
  strings: string[];
  /** Refs `<tenant>/<name>` the viewer's own data names, so not leaks. */
  allowedRefs: Set<string>;
}

const examples = path.join(repoRoot, 'examples');
const productsDir = path.join(examples, 'data-products');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

function yamlDocuments(file: string): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(d => d && typeof d === 'object');
}

/** The text a member of `viewer` may legitimately read: shared entities and their own products. */
function viewerCorpus(viewer: string | undefined): string {
  const shared = [
    ...fs
      .readdirSync(examples)
      .filter(f => /\.ya?ml$/.test(f))
      .map(f => path.join(examples, f)),
    path.join(repoRoot, 'catalog-info.yaml'),
  ]
    .flatMap(yamlDocuments)
    .filter(
      d =>
        ((d as { metadata?: { namespace?: string } }).metadata?.namespace ??
          AKILI_SHARED_NAMESPACE) === AKILI_SHARED_NAMESPACE,
    )
    .map(d => JSON.stringify(d));
  const own = viewer
    ? filesUnder(path.join(productsDir, viewer)).map(f =>
        fs.readFileSync(f, 'utf8'),
      )
    : [];
  return [...shared, ...own].join('\n').toLocaleLowerCase('en-US');
}

interface ProductDoc {
  metadata?: { title?: string };
  spec?: {
    inputPorts?: Array<{ name?: string }>;
    outputPorts?: Array<{
      name?: string;
      title?: string;
      schema?: Array<{ name?: string }>;
    }>;
  };
}

/** Titles, port names and column names of the tenant's example data products. */
function productVocabulary(tenant: string): string[] {
  const words = new Set<string>();
  const add = (s: unknown) => typeof s === 'string' && words.add(s);
  for (const file of filesUnder(path.join(productsDir, tenant))) {
    if (!/\.ya?ml$/.test(file)) continue;
    for (const doc of yamlDocuments(file) as ProductDoc[]) {
      add(doc.metadata?.title);
      for (const port of doc.spec?.inputPorts ?? []) add(port.name);
      for (const port of doc.spec?.outputPorts ?? []) {
        add(port.name);
        add(port.title);
        for (const column of port.schema ?? []) add(column.name);
      }
    }
  }
  return [...words];
}

const REF = (tenant: string) =>
  new RegExp(`(?<![\\w.-])${tenant}/([a-z0-9][-a-z0-9]*)`, 'g');

/**
 * The markers of `tenant`'s data, as seen by a member of `viewer` (or, without a viewer, by a
 * caller without credentials), with the strings `extra` only the tenant's data contains.
 */
export function tenantMarkers(
  tenant: string,
  viewer: string | undefined,
  extra: string[] = [],
): TenantMarkers {
  const corpus = viewerCorpus(viewer);
  const strings = [
    ...productVocabulary(tenant).filter(
      w =>
        w.length >= 6 &&
        // Identifiers and titles, not single plain words that any text may contain.
        /[_\s-]/.test(w) &&
        JSON.stringify(w) === `"${w}"` &&
        !corpus.includes(w.toLocaleLowerCase('en-US')),
    ),
    ...AKILI_ROLES.map(role =>
      formatAkiliGroupName(DEFAULT_AKILI_GROUP_PATTERN, tenant, role),
    ),
    ...extra.filter(Boolean),
  ];
  const allowedRefs = new Set([...corpus.matchAll(REF(tenant))].map(m => m[0]));
  return { tenant, viewer, strings, allowedRefs };
}

/**
 * The markers of `markers.tenant` found in a response body, except those the request itself
 * contained (an answer may repeat what it was asked); empty when there is no leak.
 */
export function findLeaks(
  body: string,
  markers: TenantMarkers,
  request = '',
): string[] {
  const asked = new Set(request ? findLeaks(request, markers) : []);
  return findAll(body, markers).filter(m => !asked.has(m));
}

function findAll(body: string, markers: TenantMarkers): string[] {
  const { tenant } = markers;
  const found = new Set<string>();
  for (const pattern of [
    new RegExp(`"namespace"\\s*:\\s*"${tenant}"`),
    new RegExp(`\\bnamespace:\\s*${tenant}\\b`),
  ]) {
    const m = body.match(pattern);
    if (m) found.add(m[0]);
  }
  for (const m of body.matchAll(REF(tenant))) {
    if (!markers.allowedRefs.has(m[0])) found.add(m[0]);
  }
  for (const s of markers.strings) {
    if (body.includes(s)) found.add(s);
  }
  return [...found];
}
