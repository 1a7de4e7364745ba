import { parseIsoDuration } from './semantics';
import {
  Classification,
  DataContract,
  DataProductColumn,
  DataProductManifest,
  OutputPort,
  QualityRule,
  ServiceLevelObjectives,
} from './types';

/**
 * What changed between two versions of a data product manifest, judged from its consumers' side:
 * a change is breaking when a product or query that reads the output ports as they were may
 * fail, or may silently get less than it was promised. Pure (no Node or backend APIs), so the
 * CLI diffs offline with the same rules as the control plane.
 */

/**
 * The kinds of change {@link diffManifests} reports.
 *
 * @public
 */
export type ManifestChangeKind =
  // Breaking
  | 'output-port-removed'
  | 'output-port-kind-changed'
  | 'output-port-location-changed'
  | 'column-removed'
  | 'column-type-changed'
  | 'column-physical-type-changed'
  | 'column-made-optional'
  | 'column-key-dropped'
  | 'column-classification-raised'
  | 'contract-removed'
  | 'contract-status-tightened'
  | 'contract-major-version-missing'
  | 'quality-rule-removed'
  | 'slo-availability-lowered'
  | 'slo-freshness-relaxed'
  | 'slo-removed'
  | 'lifecycle-deprecated'
  // Not breaking
  | 'output-port-added'
  | 'column-added'
  | 'column-made-required'
  | 'column-key-added'
  | 'column-classification-lowered'
  | 'contract-added'
  | 'contract-changed'
  | 'quality-rule-added'
  | 'quality-rule-changed'
  | 'slo-tightened'
  | 'slo-added'
  | 'input-ports-changed'
  | 'version-changed'
  | 'description-changed'
  | 'metadata-changed';

/**
 * One change between two manifests.
 *
 * @public
 */
export interface ManifestChange {
  kind: ManifestChangeKind;
  /**
   * Where, with ports, columns and rules named rather than numbered:
   * `spec.outputPorts[orders].schema[amount].type`.
   */
  path: string;
  /** A sentence for people: what changed, from what to what. */
  message: string;
  /** Whether a consumer of the product as it was may break (see the module remarks). */
  breaking: boolean;
}

/**
 * The answer of {@link diffManifests}.
 *
 * @public
 */
export interface ManifestDiff {
  /** Every change, breaking ones first, each group in manifest order. */
  changes: ManifestChange[];
  /** Whether any change is breaking. */
  breaking: boolean;
  /** `spec.version` before and after, when set. */
  previousVersion?: string;
  nextVersion?: string;
  /**
   * Whether the changes need a new major version that `next` does not have: some change is
   * breaking and `spec.version`'s major (semver `MAJOR.MINOR.PATCH`) did not increase, or one of
   * the versions is missing or not semver.
   */
  requiresMajorBump: boolean;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

/**
 * The major number of a semver version (`2.1.0`, `v2.1.0`, `2.1.0-rc.1`), or undefined.
 *
 * @public
 */
export function semverMajor(version: string | undefined): number | undefined {
  const match = version === undefined ? null : SEMVER.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/** How sensitive a classification is, for "raised" and "lowered". */
const CLASSIFICATION_RANK: Record<Classification, number> = {
  public: 0,
  internal: 1,
  confidential: 2,
  pii: 3,
  'sensitive-pii': 4,
};

/** Contract statuses from open to closed; moving right is tightening. */
const CONTRACT_STATUS_RANK: Record<
  NonNullable<DataContract['status']>,
  number
> = { draft: 0, active: 0, deprecated: 1, retired: 2 };

class Changes {
  readonly list: ManifestChange[] = [];

  add(
    kind: ManifestChangeKind,
    path: string,
    message: string,
    breaking: boolean,
  ) {
    this.list.push({ kind, path, message, breaking });
  }
}

function byName<T extends { name: string }>(items: readonly T[] | undefined) {
  const map = new Map<string, T>();
  for (const item of items ?? []) {
    map.set(item.name, item);
  }
  return map;
}

const show = (value: unknown) =>
  value === undefined ? '(none)' : JSON.stringify(value);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function diffColumn(
  changes: Changes,
  path: string,
  before: DataProductColumn,
  after: DataProductColumn,
) {
  if (before.type !== after.type) {
    changes.add(
      'column-type-changed',
      `${path}.type`,
      `Column type changed from ${before.type} to ${after.type}`,
      true,
    );
  }
  if ((before.physicalType ?? '') !== (after.physicalType ?? '')) {
    changes.add(
      'column-physical-type-changed',
      `${path}.physicalType`,
      `Physical type changed from ${show(before.physicalType)} to ${show(
        after.physicalType,
      )}`,
      true,
    );
  }
  const wasRequired = before.required === true;
  const isRequired = after.required === true;
  if (wasRequired && !isRequired) {
    // Readers relied on a value always being there; nulls may now arrive.
    changes.add(
      'column-made-optional',
      `${path}.required`,
      'Column is no longer required: readers may now get nulls',
      true,
    );
  } else if (!wasRequired && isRequired) {
    changes.add(
      'column-made-required',
      `${path}.required`,
      'Column is now required',
      false,
    );
  }
  for (const key of ['primaryKey', 'unique'] as const) {
    if (before[key] === true && after[key] !== true) {
      changes.add(
        'column-key-dropped',
        `${path}.${key}`,
        `Column is no longer ${
          key === 'unique' ? 'unique' : 'part of the primary key'
        }: readers may now get duplicates`,
        true,
      );
    } else if (before[key] !== true && after[key] === true) {
      changes.add(
        'column-key-added',
        `${path}.${key}`,
        `Column is now ${key === 'unique' ? 'unique' : 'in the primary key'}`,
        false,
      );
    }
  }
  const beforeClass = before.classification ?? 'internal';
  const afterClass = after.classification ?? 'internal';
  const rise =
    CLASSIFICATION_RANK[afterClass] - CLASSIFICATION_RANK[beforeClass];
  if (rise > 0) {
    // Masking follows the classification: readers without unmask now get NULL.
    changes.add(
      'column-classification-raised',
      `${path}.classification`,
      `Classification raised from ${beforeClass} to ${afterClass}: the column may now read as NULL for consumers`,
      true,
    );
  } else if (rise < 0) {
    changes.add(
      'column-classification-lowered',
      `${path}.classification`,
      `Classification lowered from ${beforeClass} to ${afterClass}`,
      false,
    );
  }
  if ((before.description ?? '') !== (after.description ?? '')) {
    changes.add(
      'description-changed',
      `${path}.description`,
      'Description changed',
      false,
    );
  }
}

function diffContract(
  changes: Changes,
  path: string,
  before: DataContract | undefined,
  after: DataContract | undefined,
) {
  if (!before && !after) {
    return;
  }
  if (before && !after) {
    changes.add(
      'contract-removed',
      path,
      `Data contract ${before.version} removed`,
      true,
    );
    return;
  }
  if (!before && after) {
    changes.add(
      'contract-added',
      path,
      `Data contract ${after.version} added`,
      false,
    );
    return;
  }
  const b = before!;
  const a = after!;
  const beforeStatus = b.status ?? 'active';
  const afterStatus = a.status ?? 'active';
  if (CONTRACT_STATUS_RANK[afterStatus] > CONTRACT_STATUS_RANK[beforeStatus]) {
    changes.add(
      'contract-status-tightened',
      `${path}.status`,
      `Contract status changed from ${beforeStatus} to ${afterStatus}`,
      true,
    );
  } else if (beforeStatus !== afterStatus) {
    changes.add(
      'contract-changed',
      `${path}.status`,
      `Contract status changed from ${beforeStatus} to ${afterStatus}`,
      false,
    );
  }
  for (const key of ['version', 'id', 'usage', 'limitations'] as const) {
    if ((b[key] ?? '') !== (a[key] ?? '')) {
      changes.add(
        'contract-changed',
        `${path}.${key}`,
        `Contract ${key} changed from ${show(b[key])} to ${show(a[key])}`,
        false,
      );
    }
  }
}

function diffOutputPort(
  changes: Changes,
  before: OutputPort,
  after: OutputPort,
): boolean {
  const path = `spec.outputPorts[${before.name}]`;
  const start = changes.list.length;
  if (before.kind !== after.kind) {
    changes.add(
      'output-port-kind-changed',
      `${path}.kind`,
      `Port kind changed from ${before.kind} to ${after.kind}`,
      true,
    );
  }
  if (!same(before.location, after.location)) {
    changes.add(
      'output-port-location-changed',
      `${path}.location`,
      `Port location changed from ${show(before.location)} to ${show(
        after.location,
      )}: readers of the old location find nothing new`,
      true,
    );
  }
  const beforeColumns = byName(before.schema);
  const afterColumns = byName(after.schema);
  for (const [name, column] of beforeColumns) {
    const next = afterColumns.get(name);
    const columnPath = `${path}.schema[${name}]`;
    if (!next) {
      changes.add(
        'column-removed',
        columnPath,
        `Column ${name} (${column.type}) removed`,
        true,
      );
    } else {
      diffColumn(changes, columnPath, column, next);
    }
  }
  for (const [name, column] of afterColumns) {
    if (!beforeColumns.has(name)) {
      changes.add(
        'column-added',
        `${path}.schema[${name}]`,
        `Column ${name} (${column.type}) added`,
        // Readers name the columns they read; a new one, required or not, breaks none of them.
        false,
      );
    }
  }
  diffContract(changes, `${path}.contract`, before.contract, after.contract);
  if (
    (before.title ?? '') !== (after.title ?? '') ||
    (before.description ?? '') !== (after.description ?? '')
  ) {
    changes.add(
      'description-changed',
      path,
      'Port title or description changed',
      false,
    );
  }
  return changes.list.slice(start).some(change => change.breaking);
}

/** A rule's identity: its name, and the port it checks when the product names one. */
function ruleKey(rule: QualityRule) {
  return rule.port ? `${rule.port}.${rule.name}` : rule.name;
}

function diffQuality(
  changes: Changes,
  before: readonly QualityRule[] | undefined,
  after: readonly QualityRule[] | undefined,
) {
  const beforeRules = new Map((before ?? []).map(r => [ruleKey(r), r]));
  const afterRules = new Map((after ?? []).map(r => [ruleKey(r), r]));
  for (const [key, rule] of beforeRules) {
    const next = afterRules.get(key);
    const path = `spec.quality[${rule.name}]`;
    if (!next) {
      // A check consumers could rely on is no longer made.
      changes.add(
        'quality-rule-removed',
        path,
        `Quality rule ${rule.name} removed`,
        true,
      );
    } else if (!same(rule, next)) {
      changes.add(
        'quality-rule-changed',
        path,
        `Quality rule ${rule.name} changed`,
        false,
      );
    }
  }
  for (const [key, rule] of afterRules) {
    if (!beforeRules.has(key)) {
      changes.add(
        'quality-rule-added',
        `spec.quality[${rule.name}]`,
        `Quality rule ${rule.name} added`,
        false,
      );
    }
  }
}

function diffSlos(
  changes: Changes,
  before: ServiceLevelObjectives | undefined,
  after: ServiceLevelObjectives | undefined,
) {
  const availabilityBefore = before?.availability?.target;
  const availabilityAfter = after?.availability?.target;
  const availabilityPath = 'spec.slos.availability.target';
  if (availabilityBefore !== undefined && availabilityAfter === undefined) {
    changes.add(
      'slo-removed',
      availabilityPath,
      `Availability objective ${availabilityBefore}% removed`,
      true,
    );
  } else if (
    availabilityBefore !== undefined &&
    availabilityAfter !== undefined &&
    availabilityAfter !== availabilityBefore
  ) {
    const lowered = availabilityAfter < availabilityBefore;
    changes.add(
      lowered ? 'slo-availability-lowered' : 'slo-tightened',
      availabilityPath,
      `Availability objective ${
        lowered ? 'lowered' : 'raised'
      } from ${availabilityBefore}% to ${availabilityAfter}%`,
      lowered,
    );
  } else if (
    availabilityBefore === undefined &&
    availabilityAfter !== undefined
  ) {
    changes.add(
      'slo-added',
      availabilityPath,
      `Availability objective ${availabilityAfter}% added`,
      false,
    );
  }

  const delayBefore = before?.freshness?.maxDelay;
  const delayAfter = after?.freshness?.maxDelay;
  const delayPath = 'spec.slos.freshness.maxDelay';
  if (delayBefore !== undefined && delayAfter === undefined) {
    changes.add(
      'slo-removed',
      delayPath,
      `Freshness objective ${delayBefore} removed`,
      true,
    );
  } else if (
    delayBefore !== undefined &&
    delayAfter !== undefined &&
    delayBefore !== delayAfter
  ) {
    const secondsBefore = parseIsoDuration(delayBefore);
    const secondsAfter = parseIsoDuration(delayAfter);
    // A duration that cannot be read counts as relaxed: nothing says it is not.
    const relaxed =
      secondsBefore === undefined ||
      secondsAfter === undefined ||
      secondsAfter > secondsBefore;
    if (relaxed || secondsAfter !== secondsBefore) {
      changes.add(
        relaxed ? 'slo-freshness-relaxed' : 'slo-tightened',
        delayPath,
        `Freshness objective ${
          relaxed ? 'relaxed' : 'tightened'
        } from ${delayBefore} to ${delayAfter}`,
        relaxed,
      );
    }
  } else if (delayBefore === undefined && delayAfter !== undefined) {
    changes.add(
      'slo-added',
      delayPath,
      `Freshness objective ${delayAfter} added`,
      false,
    );
  }
}

/**
 * Compares two versions of a data product manifest, from its consumers' side.
 *
 * @remarks
 *
 * Breaking (a reader of the product as it was may fail or get less than promised): an output
 * port removed, or its kind or location changed; a column removed, its logical or physical type
 * changed, made optional (required to not required: nulls may arrive), no longer unique or in
 * the primary key, or classified more sensitively (masked for more readers); a port's contract
 * removed or its status tightened (to deprecated or retired); a quality rule removed; an SLO
 * removed, the availability target lowered or the freshness `maxDelay` raised; the product's
 * lifecycle turned `deprecated`. A port whose contract carries a version and has a breaking
 * change must raise that contract's major version too.
 *
 * Not breaking: ports, columns, rules and objectives added; a column made required, keyed or
 * classified less sensitively; stricter objectives; descriptions, titles, contract usage and
 * limitations, input ports, owner, schedule and other metadata.
 *
 * Ports, columns and quality rules are matched by name; a rename reads as a removal and an
 * addition.
 *
 * @public
 */
export function diffManifests(
  previous: DataProductManifest,
  next: DataProductManifest,
): ManifestDiff {
  const changes = new Changes();
  const before = previous.spec;
  const after = next.spec;

  const beforePorts = byName(before.outputPorts);
  const afterPorts = byName(after.outputPorts);
  for (const [name, port] of beforePorts) {
    const nextPort = afterPorts.get(name);
    if (!nextPort) {
      changes.add(
        'output-port-removed',
        `spec.outputPorts[${name}]`,
        `Output port ${name} removed`,
        true,
      );
      continue;
    }
    const portBreaks = diffOutputPort(changes, port, nextPort);
    const contractBefore = semverMajor(port.contract?.version);
    const contractAfter = semverMajor(nextPort.contract?.version);
    if (
      portBreaks &&
      port.contract &&
      nextPort.contract &&
      (contractBefore === undefined ||
        contractAfter === undefined ||
        contractAfter <= contractBefore)
    ) {
      changes.add(
        'contract-major-version-missing',
        `spec.outputPorts[${name}].contract.version`,
        `The contract of port ${name} changes in a breaking way but its version ${nextPort.contract.version} does not raise the major version of ${port.contract.version}`,
        true,
      );
    }
  }
  for (const [name, port] of afterPorts) {
    if (!beforePorts.has(name)) {
      changes.add(
        'output-port-added',
        `spec.outputPorts[${name}]`,
        `Output port ${name} (${port.kind}) added`,
        false,
      );
    }
  }

  diffQuality(changes, before.quality, after.quality);
  diffSlos(changes, before.slos, after.slos);

  if (before.lifecycle !== after.lifecycle) {
    const deprecated = after.lifecycle === 'deprecated';
    changes.add(
      deprecated ? 'lifecycle-deprecated' : 'metadata-changed',
      'spec.lifecycle',
      `Lifecycle changed from ${before.lifecycle} to ${after.lifecycle}`,
      deprecated,
    );
  }
  if (!same(before.inputPorts, after.inputPorts)) {
    changes.add(
      'input-ports-changed',
      'spec.inputPorts',
      'Input ports changed',
      false,
    );
  }
  if ((before.version ?? '') !== (after.version ?? '')) {
    changes.add(
      'version-changed',
      'spec.version',
      `Version changed from ${show(before.version)} to ${show(after.version)}`,
      false,
    );
  }
  if (
    (previous.metadata.title ?? '') !== (next.metadata.title ?? '') ||
    (previous.metadata.description ?? '') !== (next.metadata.description ?? '')
  ) {
    changes.add(
      'description-changed',
      'metadata',
      'Product title or description changed',
      false,
    );
  }
  for (const key of [
    'owner',
    'domain',
    'type',
    'schedule',
    'transformation',
    'support',
    'team',
  ] as const) {
    if (!same(before[key], after[key])) {
      changes.add('metadata-changed', `spec.${key}`, `${key} changed`, false);
    }
  }

  const ordered = [
    ...changes.list.filter(change => change.breaking),
    ...changes.list.filter(change => !change.breaking),
  ];
  const breaking = ordered.some(change => change.breaking);
  const majorBefore = semverMajor(before.version);
  const majorAfter = semverMajor(after.version);
  const requiresMajorBump =
    breaking &&
    (majorBefore === undefined ||
      majorAfter === undefined ||
      majorAfter <= majorBefore);
  return {
    changes: ordered,
    breaking,
    ...(before.version !== undefined
      ? { previousVersion: before.version }
      : {}),
    ...(after.version !== undefined ? { nextVersion: after.version } : {}),
    requiresMajorBump,
  };
}
