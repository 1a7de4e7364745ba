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
  // Without a server, the contract's object is taken as a table of the product's database.
  const database =
    slugify(asString(contract.dataProduct) ?? '', true).replace(/-/g, '_') ||
    'default';
  return { table: { database, table: objectName } };
}

/**
 * Maps an ODCS v3 contract onto an Akili output port, its quality rules and service level
 * objectives. The contract should have passed the official schema first (`validateOdcs`);
 * anything that cannot be mapped is reported in `errors` with its path in the contract.
 *
 * - the port is the contract's single schema object: name from the custom property `akiliPort`
 *   or the contract `name`; kind from `akiliKind` or the object's `physicalType`; location
 *   from `akiliLocation`, the first server, or a table named after the object;
 * - columns from the object's `properties` (unknown classifications become `internal`);
 * - `quality` of the object and of its properties (then with `column`) become rules: library
 *   metrics `nullValues`/`missingValues`/`invalidValues`/`duplicateValues` become
 *   `<stem>_count` (or `<stem>_ratio` with unit `percent`), `rowCount` becomes `row_count`,
 *   `sql` rules become `custom` rules, `custom` rules of engine `akili` are read back
 *   verbatim, `text` rules are skipped;
 * - `slaProperties` `latency` (or `freshness`) becomes the freshness objective, `availability`
 *   the availability objective.
 */
export function importOdcs(doc: OdcsContract): OdcsImport {
  const errors = new IssueList();
  const contract: Json = isRecord(doc) ? doc : {};
  if (!isRecord(doc)) {
    errors.add([], 'an ODCS contract must be an object');
  }
  const props = customProperties(contract.customProperties);
  const objects = asArray(contract.schema);
  if (objects.length > 1) {
    errors.add(
      ['schema', 1],
      `a contract maps to one output port, so it must have one schema object, not ${objects.length}`,
    );
  }
  const object = isRecord(objects[0]) ? objects[0] : undefined;

  const rawName =
    asString(props.get(P.port)?.value) ??
    asString(contract.name) ??
    asString(object?.name) ??
    asString(contract.id) ??
    '';
  const name = slugify(rawName, true);
  if (!name) {
    errors.add(['name'], 'the contract needs a name for its output port');
  }

  const kindProp = props.get(P.kind);
  let kind = mapPortKind(object?.physicalType) ?? 'table';
  if (kindProp) {
    const value = mapPortKind(kindProp.value);
    if (value && KINDS.includes(value)) {
      kind = value;
    } else {
      errors.add(
        ['customProperties', kindProp.index, 'value'],
        `'${String(kindProp.value)}' is not an output port kind (${KINDS.join(
          ', ',
        )})`,
      );
    }
  }

  const locationProp = props.get(P.location);
  const location: OutputPortLocation | undefined = isRecord(locationProp?.value)
    ? (locationProp!.value as OutputPortLocation)
    : locationFromContract(contract, object, kind, name);
  if (!location) {
    errors.add(
      ['servers'],
      `an output port of kind '${kind}' needs a location: add an s3 server or the custom property '${P.location}'`,
      'parent',
    );
  }

  const quality: QualityRule[] = [];
  const usedRuleNames = new Set<string>();
  const addRule = (
    item: unknown,
    segments: Array<string | number>,
    column: string | undefined,
  ) => {
    const rule = mapQualityRule(item, segments, column, name, errors);
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
      errors.add(
        ['schema', 0, 'properties', j, 'name'],
        'a column needs a name',
        'parent',
      );
      return;
    }
    const columnProps = customProperties(property.customProperties);
    const akiliType = columnProps.get(P.logicalType)?.value;
    let type = logicalFromPhysical(property.physicalType);
    if (LOGICAL_TYPES.includes(akiliType as LogicalType)) {
      type = akiliType as LogicalType;
    } else if (LOGICAL_TYPES.includes(property.logicalType)) {
      type = property.logicalType;
    }
    schema.push(
      compact({
        name: property.name,
        type,
        physicalType: asString(property.physicalType),
        description: asString(property.description),
        required:
          typeof property.required === 'boolean'
            ? property.required
            : undefined,
        primaryKey:
          typeof property.primaryKey === 'boolean'
            ? property.primaryKey
            : undefined,
        unique:
          typeof property.unique === 'boolean' ? property.unique : undefined,
        classification:
          property.classification !== undefined
            ? mapOdcsClassification(property.classification)
            : undefined,
        tags: Array.isArray(property.tags)
          ? property.tags.map(String)
          : undefined,
        examples: Array.isArray(property.examples)
          ? property.examples.map((e: unknown) =>
              typeof e === 'string' ? e : JSON.stringify(e),
            )
          : undefined,
      }),
    );
    asArray(property.quality).forEach((item, k) =>
      addRule(
        item,
        ['schema', 0, 'properties', j, 'quality', k],
        property.name,
      ),
    );
  });
  asArray(object?.quality).forEach((item, k) =>
    addRule(item, ['schema', 0, 'quality', k], undefined),
  );

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
        errors.add(
          ['slaProperties', i, 'value'],
          `${sla.property} ${JSON.stringify(sla.value)} ${
            sla.unit ?? ''
          } is not a duration: give a positive number and a unit (d, h, m, s)`.replace(
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
        errors.add(
          ['slaProperties', i, 'value'],
          `availability ${JSON.stringify(
            sla.value,
          )} must be a percentage in (0, 100]`,
        );
      }
    }
  });

  const description = isRecord(contract.description)
    ? contract.description
    : {};
  const status = ['draft', 'active', 'deprecated', 'retired'].includes(
    contract.status,
  )
    ? (contract.status as DataContract['status'])
    : undefined;

  const port: OutputPort = compact({
    name,
    title:
      asString(props.get(P.title)?.value) ?? asString(object?.businessName),
    description: asString(description.purpose) ?? asString(object?.description),
    kind,
    location: location ?? {},
    schema,
    contract: compact({
      id: asString(contract.id),
      version: asString(contract.version) ?? '1.0.0',
      status,
      usage: asString(description.usage),
      limitations: asString(description.limitations),
    }),
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
    port,
    quality,
    slos,
    support: Object.keys(support).length > 0 ? support : undefined,
    team: mapTeamMembers(contract.team),
    owner,
    errors: errors.problems(),
  });
}

/** The rule's own name made valid, or a generated one (dashes only). */
function ruleName(name: unknown, generated: string): string {
  const own = typeof name === 'string' ? slugify(name, true) : '';
  return own || slugify(generated).replace(/_/g, '-') || 'rule';
}

function mapQualityRule(
  item: unknown,
  segments: Array<string | number>,
  column: string | undefined,
  portName: string,
  errors: IssueList,
): QualityRule | undefined {
  if (!isRecord(item)) {
    errors.add(segments, 'a quality rule must be an object');
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

  if (odcsType === 'custom') {
    const implementation = item.implementation;
    if (item.engine !== AKILI_QUALITY_ENGINE || !isRecord(implementation)) {
      errors.add(
        [...segments, 'engine'],
        `quality rules of engine '${String(
          item.engine,
        )}' cannot be checked by Akili; use a library metric, sql, or engine '${AKILI_QUALITY_ENGINE}'`,
      );
      return undefined;
    }
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

  const found = OPERATORS.find(o => item[o.odcs] !== undefined);
  if (!found) {
    const unsupported = item.mustNotBeBetween !== undefined;
    errors.add(
      unsupported ? [...segments, 'mustNotBeBetween'] : segments,
      unsupported
        ? `operator mustNotBeBetween has no Akili equivalent; use two rules`
        : 'a quality rule needs an operator (mustBe, mustBeLessThan, ...)',
    );
    return undefined;
  }
  let threshold = item[found.odcs];
  const numeric =
    found.operator === 'between'
      ? Array.isArray(threshold) &&
        threshold.length === 2 &&
        threshold.every((t: unknown) => typeof t === 'number')
      : typeof threshold === 'number';
  if (!numeric) {
    errors.add(
      [...segments, found.odcs],
      `${found.odcs} must be ${
        found.operator === 'between' ? '[low, high]' : 'a number'
      } for Akili to check it`,
    );
    return undefined;
  }

  const typeProp = props.get(P.type)?.value;
  const typeOverride = RULE_TYPES.includes(typeProp as QualityRuleType)
    ? (typeProp as QualityRuleType)
    : undefined;

  if (odcsType === 'sql') {
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
    errors.add(
      [...segments, 'metric'],
      `metric '${String(
        item.metric,
      )}' is not an ODCS library metric Akili knows`,
    );
    return undefined;
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
    type: typeOverride ?? metric.type,
    metric: akiliMetric,
    operator: found.operator,
    threshold,
  }) as QualityRule;
}

function exportQualityRule(rule: QualityRule): Json {
  const common = compact({
    name: rule.name,
    description: rule.description,
    dimension: rule.dimension,
    severity: rule.severity,
  });
  const operator = OPERATORS.find(o => o.operator === rule.operator)!;
  const between = Array.isArray(rule.threshold);
  // ODCS wants two distinct numbers for mustBeBetween.
  const odcsOperatorOk =
    !between ||
    (rule.threshold as number[])[0] !== (rule.threshold as number[])[1];

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
    let threshold = rule.threshold;
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
