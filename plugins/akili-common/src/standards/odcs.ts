/*
 * ODCS v3 data contracts <-> Akili output ports.
 */

import { parseIsoDuration } from '../manifest/semantics';
import {
  Classification,
  DataContract,
  DataProductColumn,
  DataProductManifest,
  LOGICAL_TYPES,
  QUALITY_DIMENSIONS,
  LogicalType,
  OutputPort,
  OutputPortKind,
  OutputPortLocation,
  QualityDimension,
  QualityOperator,
  QualityRule,
  QualityRuleType,
  ServiceLevelObjectives,
  Support,
} from '../manifest/types';
import { ODCS_API_VERSION, OdcsContract, OdcsImport } from './types';
import {
  AKILI_PROPERTIES as P,
  IssueList,
  Json,
  asArray,
  asString,
  compact,
  customProperties,
  isRecord,
  mapTeamMembers,
  slugify,
  toCustomProperties,
} from './util';

/** ODCS has no `decimal` or `binary` logical type. */
const TO_ODCS_LOGICAL: Partial<Record<LogicalType, string>> = {
  decimal: 'number',
  binary: 'string',
};

const CLASSIFICATIONS: Record<string, Classification> = {
  public: 'public',
  open: 'public',
  internal: 'internal',
  confidential: 'confidential',
  restricted: 'confidential',
  pii: 'pii',
  personal: 'pii',
  'personal-data': 'pii',
  'sensitive-pii': 'sensitive-pii',
  spii: 'sensitive-pii',
  'special-category': 'sensitive-pii',
};

/**
 * An ODCS `classification` (free text) as an Akili classification; anything unknown is
 * `internal`.
 */
export function mapOdcsClassification(value: unknown): Classification {
  if (typeof value !== 'string') {
    return 'internal';
  }
  const key = value
    .trim()
    .toLocaleLowerCase('en-US')
    .replace(/[\s_]+/g, '-');
  return CLASSIFICATIONS[key] ?? 'internal';
}

const KINDS: OutputPortKind[] = ['table', 'view', 'topic', 'files', 'api'];

/** A standard's free-text type (`tables`, `topic`, `file`...) as an output port kind. */
export function mapPortKind(value: unknown): OutputPortKind | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const text = value.toLocaleLowerCase('en-US');
  if (/^tables?$/.test(text)) return 'table';
  if (/^views?$/.test(text)) return 'view';
  if (/^(topics?|streams?)$/.test(text)) return 'topic';
  if (/^files?$/.test(text)) return 'files';
  if (/^apis?$/.test(text)) return 'api';
  return undefined;
}

const KIND_TO_PHYSICAL: Record<OutputPortKind, string> = {
  table: 'table',
  view: 'view',
  topic: 'topic',
  files: 'file',
  api: 'api',
};

function logicalFromPhysical(physical: unknown): LogicalType {
  const text = typeof physical === 'string' ? physical.toLowerCase() : '';
  if (/decimal|numeric/.test(text)) return 'decimal';
  if (/int/.test(text)) return 'integer';
  if (/float|double|real/.test(text)) return 'number';
  if (/bool/.test(text)) return 'boolean';
  if (/timestamp|datetime/.test(text)) return 'timestamp';
  if (/date/.test(text)) return 'date';
  if (/time/.test(text)) return 'time';
  if (/binary|blob|bytes/.test(text)) return 'binary';
  if (/array|list/.test(text)) return 'array';
  if (/struct|map|json/.test(text)) return 'object';
  return 'string';
}

// ODCS library metrics, by Akili metric stem, and the rule type they imply.
const LIBRARY_METRICS: Array<{
  odcs: string;
  stem: string;
  type: QualityRuleType;
}> = [
  { odcs: 'nullValues', stem: 'null', type: 'completeness' },
  { odcs: 'missingValues', stem: 'missing', type: 'completeness' },
  { odcs: 'invalidValues', stem: 'invalid', type: 'validity' },
  { odcs: 'duplicateValues', stem: 'duplicate', type: 'uniqueness' },
  { odcs: 'rowCount', stem: 'row', type: 'volume' },
];

const OPERATORS: Array<{ odcs: string; operator: QualityOperator }> = [
  { odcs: 'mustBe', operator: '=' },
  { odcs: 'mustNotBe', operator: '!=' },
  { odcs: 'mustBeGreaterThan', operator: '>' },
  { odcs: 'mustBeGreaterOrEqualTo', operator: '>=' },
  { odcs: 'mustBeLessThan', operator: '<' },
  { odcs: 'mustBeLessOrEqualTo', operator: '<=' },
  { odcs: 'mustBeBetween', operator: 'between' },
];

const RULE_TYPES: QualityRuleType[] = [
  'completeness',
  'uniqueness',
  'freshness',
  'volume',
  'validity',
  'custom',
];

/** The engine name of ODCS `custom` rules that carry an Akili rule verbatim. */
export const AKILI_QUALITY_ENGINE = 'akili';

const round = (value: number) => Number(value.toPrecision(12));

function mapSeverity(value: unknown): QualityRule['severity'] {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (text.startsWith('warn')) return 'warning';
  if (text === 'info') return 'info';
  return 'error';
}

/** An ODCS SLA value + unit as an ISO 8601 duration. */
function toIsoDuration(value: unknown, unit: unknown): string | undefined {
  if (typeof value === 'string' && parseIsoDuration(value) !== undefined) {
    return value;
  }
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount) || amount <= 0 || typeof unit !== 'string') {
    return undefined;
  }
  const u = unit.toLowerCase();
  if (/^(d|day|days)$/.test(u)) return `P${amount}D`;
  if (/^(w|week|weeks)$/.test(u)) return `P${amount}W`;
  if (/^(y|yr|year|years)$/.test(u)) return `P${amount}Y`;
  if (/^(mo|month|months)$/.test(u)) return `P${amount}M`;
  if (/^(h|hr|hour|hours)$/.test(u)) return `PT${amount}H`;
  if (/^(m|min|mins|minute|minutes)$/.test(u)) return `PT${amount}M`;
  if (/^(s|sec|secs|second|seconds)$/.test(u)) return `PT${amount}S`;
  return undefined;
}

/** An ISO 8601 duration as the largest whole ODCS unit. */
function fromIsoDuration(
  duration: string,
): { value: number; unit: string } | undefined {
  const seconds = parseIsoDuration(duration);
  if (seconds === undefined) {
    return undefined;
  }
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) {
      return { value: seconds / size, unit };
    }
  }
  return { value: seconds, unit: 's' };
}

function locationFromContract(
  contract: Json,
  object: Json | undefined,
  kind: OutputPortKind,
  portName: string,
): OutputPortLocation | undefined {
  const objectName =
    asString(object?.physicalName) ?? asString(object?.name) ?? portName;
  const server = asArray(contract.servers).find(isRecord);
  if (server) {
    if (server.type === 's3' && typeof server.location === 'string') {
      const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(server.location);
      if (match) {
        return {
          s3: compact({
            bucket: match[1],
            prefix: match[2],
            format: asString(server.format),
          }),
        };
      }
    }
    if (server.type === 'kafka' || asString(server.stream)) {
      return {
        kafka: compact({
          topic: asString(server.stream) ?? objectName,
          format: asString(server.format),
        }),
      };
    }
    const database = asString(server.database) ?? asString(server.schema);
    if (database) {
      return {
        table: compact({
          catalog: asString(server.catalog),
          database,
          table: objectName,
        }),
      };
    }
  }
  if (kind === 'topic') {
    return { kafka: { topic: objectName } };
  }
  if (kind === 'files') {
    return undefined;
  }
  return tableLocation(contract, object, portName);
}

/** Without a server, the contract's object is taken as a table of the product's database. */
function tableLocation(
  contract: Json,
  object: Json | undefined,
  portName: string,
): { table: { database: string; table: string } } {
  const objectName =
    asString(object?.physicalName) ?? asString(object?.name) ?? portName;
  const database =
    slugify(asString(contract.dataProduct) ?? '', true).replace(/-/g, '_') ||
    'default';
  return { table: { database, table: objectName } };
}

/** Options of {@link importOdcs}. */
export interface ImportOdcsOptions {
  /**
   * The port name of a contract with one schema object (default: custom property `akiliPort`,
   * else the contract's `name`). Contracts with several objects name a port after each object.
   */
  portName?: string;
}

/** The engine of rules checked elsewhere whose contract names no engine. */
export const UNSPECIFIED_QUALITY_ENGINE = 'unspecified';

/**
 * Maps an ODCS v3 contract onto Akili output ports, their quality rules and service level
 * objectives. The contract should have passed the official schema first (`validateOdcs`).
 * What Akili cannot use is a warning; only what it cannot ingest at all is an error; both with
 * their path in the contract.
 *
 * - one output port per schema object: a single object's port is named by the custom property
 *   `akiliPort` or the contract `name`; with several objects each port is named after its object;
 *   a contract without schema objects gives one port without columns;
 * - kind from `akiliKind` or the object's `physicalType`; location from `akiliLocation`, the first
 *   server, or a table named after the object;
 * - columns from the object's `properties` (unknown classifications become `internal`);
 * - `quality` of the object and of its properties (then with `column`) become rules: library
 *   metrics `nullValues`/`missingValues`/`invalidValues`/`duplicateValues` become
 *   `<stem>_count` (or `<stem>_ratio` with unit `percent`), `rowCount` becomes `row_count`,
 *   `sql` rules become `custom` rules, `custom` rules of engine `akili` are read back
 *   verbatim, `text` rules are skipped; every other rule (another engine such as Soda, Great
 *   Expectations, Monte Carlo or dbt, a metric or operator Akili does not run) is
 *   kept with its `engine` as a rule checked elsewhere, with a warning;
 * - `slaProperties` `latency` (or `freshness`) becomes the freshness objective, `availability`
 *   the availability objective.
 */
export function importOdcs(
  doc: OdcsContract,
  options: ImportOdcsOptions = {},
): OdcsImport {
  const errors = new IssueList();
  const warnings = new IssueList();
  const contract: Json = isRecord(doc) ? doc : {};
  if (!isRecord(doc)) {
    errors.add([], 'an ODCS contract must be an object');
  }
  const props = customProperties(contract.customProperties);
  const objects = asArray(contract.schema);

  const kindProp = props.get(P.kind);
  let kindOverride: OutputPortKind | undefined;
  if (kindProp) {
    kindOverride = mapPortKind(kindProp.value);
    if (!kindOverride) {
      warnings.add(
        ['customProperties', kindProp.index, 'value'],
        `'${String(kindProp.value)}' is not an output port kind (${KINDS.join(
          ', ',
        )}); the kind is read from the schema object`,
      );
    }
  }
  const locationProp = props.get(P.location);

  const ports: OutputPort[] = [];
  const quality: QualityRule[] = [];
  const usedRuleNames = new Set<string>();
  const usedPortNames = new Set<string>();
  const single = objects.length <= 1;

  (single ? [objects[0]] : objects).forEach((rawObject, index) => {
    const object = isRecord(rawObject) ? rawObject : undefined;
    const at = (...rest: Array<string | number>) => ['schema', index, ...rest];
    const rawName = single
      ? options.portName ??
        asString(props.get(P.port)?.value) ??
        asString(contract.name) ??
        asString(object?.name) ??
        asString(contract.id) ??
        ''
      : asString(object?.name) ?? `object-${index + 1}`;
    let name = slugify(rawName, true);
    if (!name) {
      errors.add(
        single ? ['name'] : at('name'),
        'the contract needs a name for its output port',
        'parent',
      );
      return;
    }
    for (let n = 2; usedPortNames.has(name); n++) {
      name = `${slugify(rawName, true).slice(0, 60)}_${n}`;
    }
    usedPortNames.add(name);

    const kind = kindOverride ?? mapPortKind(object?.physicalType) ?? 'table';
    let location: OutputPortLocation | undefined =
      single && isRecord(locationProp?.value)
        ? (locationProp!.value as OutputPortLocation)
        : locationFromContract(contract, object, kind, name);
    if (!location) {
      location = tableLocation(contract, object, name);
      warnings.add(
        object ? at() : ['servers'],
        `an output port of kind '${kind}' needs a location (an s3 server or the custom property '${
          P.location
        }'); Akili assumes the table ${location.table!.database}.${
          location.table!.table
        }`,
        'parent',
      );
    }

    const addRule = (
      item: unknown,
      segments: Array<string | number>,
      column: string | undefined,
    ) => {
      const rule = mapQualityRule(item, segments, column, name, warnings);
      if (!rule) {
        return;
      }
      let unique = rule.name;
      for (let n = 2; usedRuleNames.has(unique); n++) {
        unique = `${rule.name}-${n}`;
      }
      usedRuleNames.add(unique);
      quality.push({ ...rule, name: unique });
    };

    const schema: DataProductColumn[] = [];
    asArray(object?.properties).forEach((property, j) => {
      if (!isRecord(property) || !asString(property.name)) {
        warnings.add(
          at('properties', j),
          'a property without a name is not a column Akili can use; it is left out',
        );
        return;
      }
      schema.push(mapColumn(property));
      asArray(property.quality).forEach((item, k) =>
        addRule(item, at('properties', j, 'quality', k), property.name),
      );
    });
    asArray(object?.quality).forEach((item, k) =>
      addRule(item, at('quality', k), undefined),
    );

    const description = isRecord(contract.description)
      ? contract.description
      : {};
    const status = ['draft', 'active', 'deprecated', 'retired'].includes(
      contract.status,
    )
      ? (contract.status as DataContract['status'])
      : undefined;
    ports.push(
      compact({
        name,
        title:
          (single ? asString(props.get(P.title)?.value) : undefined) ??
          asString(object?.businessName),
        description: single
          ? asString(description.purpose) ?? asString(object?.description)
          : asString(object?.description) ?? asString(description.purpose),
        kind,
        location,
        schema,
        contract: compact({
          id: asString(contract.id),
          version: asString(contract.version) ?? '1.0.0',
          status,
          usage: asString(description.usage),
          limitations: asString(description.limitations),
        }),
      }),
    );
  });

  const slos: ServiceLevelObjectives = {};
  asArray(contract.slaProperties).forEach((sla, i) => {
    if (!isRecord(sla) || typeof sla.property !== 'string') {
      return;
    }
    const property = sla.property.toLowerCase();
    if (property === 'latency' || property === 'freshness') {
      const maxDelay = toIsoDuration(sla.value, sla.unit);
      if (maxDelay) {
        slos.freshness = { maxDelay };
      } else {
        warnings.add(
          ['slaProperties', i, 'value'],
          `${sla.property} ${JSON.stringify(sla.value)} ${
            sla.unit ?? ''
          } is not a duration Akili can read (a positive number and a unit: d, h, m, s), so the product has no freshness objective`.replace(
            '  ',
            ' ',
          ),
        );
      }
    } else if (property === 'availability') {
      const target =
        typeof sla.value === 'number'
          ? sla.value
          : parseFloat(String(sla.value).replace('%', ''));
      if (target > 0 && target <= 100) {
        slos.availability = { target };
      } else {
        warnings.add(
          ['slaProperties', i, 'value'],
          `availability ${JSON.stringify(
            sla.value,
          )} is not a percentage in (0, 100], so the product has no availability objective`,
        );
      }
    }
  });

  const support: Support = {};
  for (const item of asArray(contract.support).filter(isRecord)) {
    const url = asString(item.url);
    const tool = asString(item.tool)?.toLowerCase();
    if (url?.startsWith('mailto:')) {
      support.email ??= url.slice('mailto:'.length);
    } else if (tool === 'email' && asString(item.channel)?.includes('@')) {
      support.email ??= item.channel;
    } else if (url) {
      support.url ??= url;
    } else if (asString(item.channel)) {
      support.channel ??= item.channel;
    }
  }

  const owner =
    asString(props.get(P.owner)?.value) ??
    (isRecord(contract.team) ? asString(contract.team.name) : undefined);

  return compact({
    ports,
    quality,
    slos,
    support: Object.keys(support).length > 0 ? support : undefined,
    team: mapTeamMembers(contract.team),
    owner,
    errors: errors.problems(),
    warnings: warnings.problems(),
  });
}

function mapColumn(property: Json): DataProductColumn {
  const columnProps = customProperties(property.customProperties);
  const akiliType = columnProps.get(P.logicalType)?.value;
  let type = logicalFromPhysical(property.physicalType);
  if (LOGICAL_TYPES.includes(akiliType as LogicalType)) {
    type = akiliType as LogicalType;
  } else if (LOGICAL_TYPES.includes(property.logicalType)) {
    type = property.logicalType;
  }
  return compact({
    name: property.name,
    type,
    physicalType: asString(property.physicalType),
    description: asString(property.description),
    required:
      typeof property.required === 'boolean' ? property.required : undefined,
    primaryKey:
      typeof property.primaryKey === 'boolean'
        ? property.primaryKey
        : undefined,
    unique: typeof property.unique === 'boolean' ? property.unique : undefined,
    classification:
      property.classification !== undefined
        ? mapOdcsClassification(property.classification)
        : undefined,
    tags: Array.isArray(property.tags) ? property.tags.map(String) : undefined,
    examples: Array.isArray(property.examples)
      ? property.examples.map((e: unknown) =>
          typeof e === 'string' ? e : JSON.stringify(e),
        )
      : undefined,
  });
}

/** The rule's own name made valid, or a generated one (dashes only). */
function ruleName(name: unknown, generated: string): string {
  const own = typeof name === 'string' ? slugify(name, true) : '';
  return own || slugify(generated).replace(/_/g, '-') || 'rule';
}

/** The text of a foreign rule's implementation, as its engine reads it. */
function implementationText(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function mapQualityRule(
  item: unknown,
  segments: Array<string | number>,
  column: string | undefined,
  portName: string,
  warnings: IssueList,
): QualityRule | undefined {
  if (!isRecord(item)) {
    warnings.add(segments, 'a quality rule must be an object; it is left out');
    return undefined;
  }
  const odcsType = asString(item.type) ?? 'library';
  if (odcsType === 'text') {
    // Prose for humans: nothing to check.
    return undefined;
  }
  const props = customProperties(item.customProperties);
  const dimension = QUALITY_DIMENSIONS.includes(item.dimension)
    ? (item.dimension as QualityDimension)
    : undefined;
  const base = {
    description: asString(item.description),
    port: portName || undefined,
    column,
    dimension,
    severity: mapSeverity(item.severity),
  };
  const found = OPERATORS.find(o => item[o.odcs] !== undefined);
  let threshold = found ? item[found.odcs] : undefined;
  const numeric =
    found?.operator === 'between'
      ? Array.isArray(threshold) &&
        threshold.length === 2 &&
        threshold.every((t: unknown) => typeof t === 'number')
      : typeof threshold === 'number';

  /** The rule kept as checked elsewhere: Akili shows it, results come through the quality API. */
  const elsewhere = (why: string, at: Array<string | number> = segments) => {
    const engine = asString(item.engine) ?? UNSPECIFIED_QUALITY_ENGINE;
    warnings.add(
      at,
      `${why}: the rule is kept as checked elsewhere (engine '${engine}'); its results arrive through the quality API`,
    );
    return compact({
      ...base,
      name: ruleName(item.name, `${column ?? portName}-${engine}`),
      type: typeOverrideOf(props) ?? 'custom',
      metric: asString(item.metric),
      query: asString(item.query),
      operator: numeric ? found!.operator : undefined,
      threshold: numeric ? threshold : undefined,
      engine,
      implementation:
        odcsType === 'custom'
          ? implementationText(item.implementation)
          : JSON.stringify(item),
    }) as QualityRule;
  };

  if (odcsType === 'custom') {
    const implementation = item.implementation;
    if (item.engine === AKILI_QUALITY_ENGINE && isRecord(implementation)) {
      return compact({
        ...base,
        name: ruleName(
          item.name,
          `${column ?? portName}-${implementation.metric ?? 'custom'}`,
        ),
        type: implementation.type,
        metric: implementation.metric,
        query: implementation.query,
        operator: implementation.operator,
        threshold: implementation.threshold,
      }) as QualityRule;
    }
    return elsewhere(
      `Akili does not run rules of engine '${String(item.engine)}'`,
      [...segments, 'engine'],
    );
  }
  if (odcsType !== 'library' && odcsType !== 'sql') {
    return elsewhere(`Akili does not run quality rules of type '${odcsType}'`, [
      ...segments,
      'type',
    ]);
  }
  if (!found) {
    return item.mustNotBeBetween !== undefined
      ? elsewhere('Akili has no operator mustNotBeBetween', [
          ...segments,
          'mustNotBeBetween',
        ])
      : elsewhere('the rule has no operator Akili knows (mustBe, ...)');
  }
  if (!numeric) {
    return elsewhere(
      `Akili checks ${found.odcs} against ${
        found.operator === 'between' ? '[low, high]' : 'a number'
      } only`,
      [...segments, found.odcs],
    );
  }

  if (odcsType === 'sql') {
    if (!asString(item.query)) {
      return elsewhere('the sql rule has no query');
    }
    return compact({
      ...base,
      name: ruleName(item.name, `${column ?? portName}-sql`),
      type: 'custom',
      query: asString(item.query),
      operator: found.operator,
      threshold,
    }) as QualityRule;
  }

  const metric = LIBRARY_METRICS.find(m => m.odcs === item.metric);
  if (!metric) {
    return elsewhere(
      `Akili does not run the library metric '${String(item.metric)}'`,
      [...segments, 'metric'],
    );
  }
  const percent = item.unit === 'percent';
  let akiliMetric = 'row_count';
  if (metric.stem !== 'row') {
    akiliMetric = `${metric.stem}_${percent ? 'ratio' : 'count'}`;
    if (percent) {
      threshold = Array.isArray(threshold)
        ? threshold.map((t: number) => round(t / 100))
        : round(threshold / 100);
    }
  }
  return compact({
    ...base,
    name: ruleName(item.name, `${column ?? portName}-${akiliMetric}`),
    type: typeOverrideOf(props) ?? metric.type,
    metric: akiliMetric,
    operator: found.operator,
    threshold,
  }) as QualityRule;
}

function typeOverrideOf(
  props: Map<string, { value: unknown }>,
): QualityRuleType | undefined {
  const value = props.get(P.type)?.value;
  return RULE_TYPES.includes(value as QualityRuleType)
    ? (value as QualityRuleType)
    : undefined;
}

function exportQualityRule(rule: QualityRule): Json {
  const common = compact({
    name: rule.name,
    description: rule.description,
    dimension: rule.dimension,
    severity: rule.severity,
  });
  const operator = OPERATORS.find(o => o.operator === rule.operator);
  if (rule.engine !== undefined || !operator || rule.threshold === undefined) {
    // Checked elsewhere: back to its engine as it came.
    return compact({
      ...common,
      type: 'custom',
      engine: rule.engine ?? UNSPECIFIED_QUALITY_ENGINE,
      implementation: rule.implementation ?? rule.query ?? rule.metric ?? '',
      ...(operator && rule.threshold !== undefined
        ? { [operator.odcs]: rule.threshold }
        : {}),
    });
  }
  const threshold0 = rule.threshold;
  const between = Array.isArray(threshold0);
  // ODCS wants two distinct numbers for mustBeBetween.
  const odcsOperatorOk =
    !between || (threshold0 as number[])[0] !== (threshold0 as number[])[1];

  if (rule.type === 'custom' && rule.query && odcsOperatorOk) {
    return {
      ...common,
      type: 'sql',
      query: rule.query,
      [operator.odcs]: rule.threshold,
    };
  }
  const match = /^(null|missing|invalid|duplicate)_(count|ratio)$/.exec(
    rule.metric ?? '',
  );
  const metric =
    rule.metric === 'row_count'
      ? LIBRARY_METRICS.find(m => m.stem === 'row')
      : match && LIBRARY_METRICS.find(m => m.stem === match[1]);
  if (metric && odcsOperatorOk) {
    const ratio = match?.[2] === 'ratio';
    const toPercent = (t: number) => round(t * 100);
    let threshold = threshold0;
    if (ratio) {
      threshold = Array.isArray(threshold)
        ? [toPercent(threshold[0]), toPercent(threshold[1])]
        : toPercent(threshold);
    }
    return compact({
      ...common,
      type: 'library',
      metric: metric.odcs,
      unit: ratio ? 'percent' : 'rows',
      [operator.odcs]: threshold,
      customProperties:
        rule.type !== metric.type
          ? toCustomProperties({ [P.type]: rule.type })
          : undefined,
    });
  }
  // Anything else travels verbatim as a rule of the Akili engine.
  return {
    ...common,
    type: 'custom',
    engine: AKILI_QUALITY_ENGINE,
    implementation: compact({
      type: rule.type,
      metric: rule.metric,
      query: rule.query,
      operator: rule.operator,
      threshold: rule.threshold,
    }),
  };
}

function exportServer(location: OutputPortLocation): Json | undefined {
  if (location.table) {
    return compact({
      server: 'starrocks',
      type: 'custom',
      catalog: location.table.catalog,
      database: location.table.database,
    });
  }
  if (location.s3) {
    return compact({
      server: 's3',
      type: 's3',
      location: `s3://${location.s3.bucket}/${location.s3.prefix}`,
      format: location.s3.format,
    });
  }
  if (location.kafka) {
    return compact({
      server: 'redpanda',
      type: 'custom',
      stream: location.kafka.topic,
      format: location.kafka.format,
    });
  }
  return undefined;
}

/** The contract id of an output port: its own, or `<tenant>.<product>.<port>`. */
export function outputPortContractId(
  manifest: DataProductManifest,
  port: OutputPort,
): string {
  return (
    port.contract?.id ??
    `${manifest.metadata.namespace}.${manifest.metadata.name}.${port.name}`
  );
}

const LIFECYCLE_STATUS = {
  experimental: 'draft',
  production: 'active',
  deprecated: 'deprecated',
} as const;

/**
 * Exports one output port of a product as an ODCS v3.1.0 data contract: the port's schema
 * (one schema object with a property per column), its quality rules (column rules on the
 * property, the others on the object), the freshness and availability objectives as
 * `slaProperties`, support channels and team. What ODCS cannot say is kept in custom
 * properties (`akiliKind`, `akiliLocation`, `akiliOwner`, `akiliProduct`, ...), so
 * {@link importOdcs} reads the contract back without loss.
 *
 * @throws Error when the product has no output port of that name.
 */
export function exportOdcs(
  manifest: DataProductManifest,
  portName: string,
): OdcsContract {
  const port = manifest.spec.outputPorts.find(p => p.name === portName);
  if (!port) {
    throw new Error(
      `product ${manifest.metadata.namespace}/${manifest.metadata.name} has no output port '${portName}'`,
    );
  }
  const single = manifest.spec.outputPorts.length === 1;
  const rules = (manifest.spec.quality ?? []).filter(
    r => r.port === port.name || (r.port === undefined && single),
  );
  const columnRules = (column: string) =>
    rules.filter(
      r =>
        r.column?.toLocaleLowerCase('en-US') ===
        column.toLocaleLowerCase('en-US'),
    );

  const properties = port.schema.map(column =>
    compact({
      name: column.name,
      logicalType: TO_ODCS_LOGICAL[column.type] ?? column.type,
      physicalType: column.physicalType,
      description: column.description,
      required: column.required,
      primaryKey: column.primaryKey,
      unique: column.unique,
      classification: column.classification,
      tags: column.tags,
      examples: column.examples,
      customProperties: TO_ODCS_LOGICAL[column.type]
        ? toCustomProperties({ [P.logicalType]: column.type })
        : undefined,
      quality: columnRules(column.name).length
        ? columnRules(column.name).map(exportQualityRule)
        : undefined,
    }),
  );
  const objectRules = rules.filter(r => r.column === undefined);

  const slaProperties: Json[] = [];
  const freshness = manifest.spec.slos?.freshness;
  if (freshness && (!freshness.port || freshness.port === port.name)) {
    const latency = fromIsoDuration(freshness.maxDelay);
    if (latency) {
      slaProperties.push({ property: 'latency', ...latency });
    }
  }
  const availability = manifest.spec.slos?.availability;
  if (availability) {
    slaProperties.push({
      property: 'availability',
      value: availability.target,
      unit: 'percent',
    });
  }

  const support: Json[] = [];
  const s = manifest.spec.support;
  if (s?.channel) {
    support.push({ channel: s.channel });
  }
  if (s?.email) {
    support.push({ channel: 'email', tool: 'email', url: `mailto:${s.email}` });
  }
  if (s?.url) {
    support.push({ channel: 'web', url: s.url });
  }

  const server = exportServer(port.location);
  const description = compact({
    purpose: port.description,
    usage: port.contract?.usage,
    limitations: port.contract?.limitations,
  });

  return compact({
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: outputPortContractId(manifest, port),
    version: port.contract?.version ?? manifest.spec.version ?? '1.0.0',
    status: port.contract?.status ?? LIFECYCLE_STATUS[manifest.spec.lifecycle],
    name: port.name,
    tenant: manifest.metadata.namespace,
    domain: manifest.spec.domain,
    tags: manifest.metadata.tags,
    description: Object.keys(description).length ? description : undefined,
    servers: server ? [server] : undefined,
    schema: [
      compact({
        name: port.location.table?.table ?? port.name,
        physicalName: port.location.table?.table,
        physicalType: KIND_TO_PHYSICAL[port.kind],
        businessName: port.title,
        description: port.description,
        properties,
        quality: objectRules.length
          ? objectRules.map(exportQualityRule)
          : undefined,
      }),
    ],
    slaProperties: slaProperties.length ? slaProperties : undefined,
    support: support.length ? support : undefined,
    team: compact({
      name: manifest.spec.owner,
      members: manifest.spec.team?.length
        ? manifest.spec.team.map(m => ({ username: m.user, role: m.role }))
        : undefined,
    }),
    customProperties: toCustomProperties({
      [P.product]: `dataproduct:${manifest.metadata.namespace}/${manifest.metadata.name}`,
      [P.port]: port.name,
      [P.kind]: port.kind,
      [P.location]: port.location,
      [P.owner]: manifest.spec.owner,
      [P.title]: port.title,
    }),
  });
}

/**
 * The ODCS contract a registered product holds under `contractId`: its output ports of that
 * contract, exported (see {@link exportOdcs}) as one contract with a schema object per port.
 * `undefined` when none of its ports has that contract.
 */
export function registeredContract(
  manifest: DataProductManifest,
  contractId: string,
): OdcsContract | undefined {
  const ports = manifest.spec.outputPorts.filter(
    p => p.contract?.id === contractId,
  );
  if (ports.length === 0) {
    return undefined;
  }
  const contracts = ports.map(p => exportOdcs(manifest, p.name));
  if (contracts.length === 1) {
    return contracts[0];
  }
  // Several ports: one object each; what the custom properties say of a single port is left out.
  const single = new Set<string>([P.port, P.kind, P.location, P.title]);
  return {
    ...contracts[0],
    // Each object named after its port, so the ports read back under their own names.
    schema: contracts.map((c, i) => ({
      ...(c.schema as Json[])[0],
      name: ports[i].name,
    })),
    customProperties: asArray(contracts[0].customProperties).filter(
      (c: any) => !single.has(c.property),
    ),
  };
}
