import {
  Classification,
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  LogicalType,
  OutputPortKind,
} from '@akili/plugin-akili-common';
import { InputError } from '@backstage/errors';
import { isMap, isSeq, parseDocument } from 'yaml';

/** A column of an output port added by {@link editManifest}. */
export interface AddedColumn {
  name: string;
  type: LogicalType;
  classification?: Classification;
  description?: string;
}

/** An output port added by {@link editManifest}. */
export interface AddedOutputPort {
  name: string;
  description?: string;
  /** Defaults to `table`. */
  kind?: OutputPortKind;
  columns: AddedColumn[];
}

/** How a version is raised: semver's major, minor or patch number. */
export type VersionBump = 'major' | 'minor' | 'patch';

/** The changes {@link editManifest} applies to a manifest. */
export interface ManifestEdit {
  addOutputPorts?: AddedOutputPort[];
  /** Output ports to remove by name: a breaking change for their consumers. */
  removeOutputPorts?: string[];
  bump?: VersionBump;
}

/** What {@link editManifest} produced. */
export interface ManifestEditResult {
  /** The edited manifest, with the original's comments, order and layout kept. */
  text: string;
  previousVersion?: string;
  version?: string;
  /** One line per change applied, for the task log and the merge request. */
  summary: string[];
}

const SEMVER = /^(v?)(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

/**
 * `version` raised by `bump` (`1.4.2` → major `2.0.0`, minor `1.5.0`, patch `1.4.3`); a
 * pre-release or build suffix is dropped and a leading `v` kept. `InputError` for a version that
 * is not semver `MAJOR.MINOR.PATCH`.
 */
export function bumpVersion(version: string, bump: VersionBump): string {
  const match = SEMVER.exec(version.trim());
  if (!match) {
    throw new InputError(
      `spec.version '${version}' is not a semver version (MAJOR.MINOR.PATCH): set it by hand before bumping it`,
    );
  }
  const [, prefix] = match;
  const [major, minor, patch] = match.slice(2, 5).map(Number);
  switch (bump) {
    case 'major':
      return `${prefix}${major + 1}.0.0`;
    case 'minor':
      return `${prefix}${major}.${minor + 1}.0`;
    default:
      return `${prefix}${major}.${minor}.${patch + 1}`;
  }
}

/** The warehouse table of a new port, next to the product's first table port. */
function tableLocationOf(
  ports: unknown[],
  tenant: string,
  product: string,
  port: string,
) {
  const sibling = ports
    .map(
      p => (p as { location?: { table?: Record<string, unknown> } })?.location,
    )
    .find(location => location?.table)?.table;
  const catalog =
    typeof sibling?.catalog === 'string'
      ? sibling.catalog
      : `iceberg_${tenant.replace(/-/g, '_')}`;
  const database =
    typeof sibling?.database === 'string'
      ? sibling.database
      : product.replace(/-/g, '_');
  return { table: { catalog, database, table: port.replace(/-/g, '_') } };
}

/**
 * Applies `edit` to the text of an Akili DataProduct manifest: adds output ports (a table next
 * to the product's other tables, one column per entry), removes output ports by name, and
 * raises `spec.version`. The YAML document is edited in place, so comments, key order and the
 * rest of the layout survive and the merge request shows only what changed. Nothing here
 * validates the result against the manifest schema: `akili:manifest:validate` does that next.
 *
 * `InputError` naming what and where for text that is not one Akili DataProduct manifest, a
 * port that already exists or does not, an empty edit, and a version that is not semver.
 */
export function editManifest(
  text: string,
  edit: ManifestEdit,
  source = 'the manifest',
): ManifestEditResult {
  const added = edit.addOutputPorts ?? [];
  const removed = edit.removeOutputPorts ?? [];
  if (added.length === 0 && removed.length === 0 && !edit.bump) {
    throw new InputError(
      `Nothing to change in ${source}: add or remove an output port, or bump the version`,
    );
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const [error] = doc.errors;
    const line = error.linePos?.[0]?.line;
    throw new InputError(
      `${source} is not valid YAML${line ? ` (line ${line})` : ''}: ${
        error.message.split('\n')[0]
      }`,
    );
  }
  if (
    !isMap(doc.contents) ||
    doc.get('apiVersion') !== DATA_PRODUCT_API_VERSION ||
    doc.get('kind') !== DATA_PRODUCT_KIND ||
    !isMap(doc.get('spec'))
  ) {
    throw new InputError(
      `${source} is not an Akili DataProduct manifest (apiVersion ${DATA_PRODUCT_API_VERSION}, kind ${DATA_PRODUCT_KIND}, with a spec): only those can be edited here`,
    );
  }
  const tenant = String(doc.getIn(['metadata', 'namespace']) ?? '');
  const product = String(doc.getIn(['metadata', 'name']) ?? '');
  const summary: string[] = [];

  let ports = doc.getIn(['spec', 'outputPorts']);
  if (ports === undefined) {
    doc.setIn(['spec', 'outputPorts'], doc.createNode([]));
    ports = doc.getIn(['spec', 'outputPorts']);
  }
  if (!isSeq(ports)) {
    throw new InputError(`${source}: spec.outputPorts is not a list`);
  }
  const list = ports;
  const names = () =>
    list.items.map(item => (isMap(item) ? String(item.get('name')) : ''));

  for (const name of removed) {
    const index = names().indexOf(name);
    if (index < 0) {
      throw new InputError(
        `${source} has no output port '${name}' to remove (it has ${
          names().join(', ') || 'none'
        })`,
      );
    }
    ports.delete(index);
    summary.push(`Removed output port ${name} (breaking for its consumers)`);
  }

  for (const port of added) {
    if (names().includes(port.name)) {
      throw new InputError(
        `${source} already has an output port '${port.name}' (spec.outputPorts): choose another name`,
      );
    }
    if (port.columns.length === 0) {
      throw new InputError(
        `Output port '${port.name}' needs at least one column`,
      );
    }
    const kind = port.kind ?? 'table';
    ports.add(
      doc.createNode({
        name: port.name,
        ...(port.description ? { description: port.description } : {}),
        kind,
        location: tableLocationOf(
          (doc.toJS().spec.outputPorts ?? []) as unknown[],
          tenant,
          product,
          port.name,
        ),
        schema: port.columns.map(column => ({
          name: column.name,
          type: column.type,
          ...(column.classification
            ? { classification: column.classification }
            : {}),
          ...(column.description ? { description: column.description } : {}),
        })),
      }),
    );
    summary.push(
      `Added output port ${port.name} (${port.columns.length} column${
        port.columns.length === 1 ? '' : 's'
      })`,
    );
  }

  const previous = doc.getIn(['spec', 'version']);
  const previousVersion =
    previous === undefined || previous === null ? undefined : String(previous);
  let version = previousVersion;
  if (edit.bump) {
    if (previousVersion === undefined) {
      throw new InputError(
        `${source} has no spec.version to bump: set one (like 0.1.0) first`,
      );
    }
    version = bumpVersion(previousVersion, edit.bump);
    doc.setIn(['spec', 'version'], version);
    summary.push(`Version ${previousVersion} → ${version} (${edit.bump})`);
  }

  return {
    text: doc.toString(),
    ...(previousVersion !== undefined ? { previousVersion } : {}),
    ...(version !== undefined ? { version } : {}),
    summary,
  };
}
