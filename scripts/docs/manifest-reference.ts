/*
 * Writes the manifest reference of the docs (docs/reference/manifest.md) from the JSON schema of
 * the DataProduct manifest, `dataProductManifestSchema` of plugins/akili-common: one row per field
 * with its path, type, whether it is required, its constraints (pattern, enum, length, format) and
 * its description. The description is the schema's own `description` where it has one, else the
 * entry of DESCRIPTIONS below; a field with neither fails the run, naming its path, so a field
 * added to the schema cannot reach the docs undescribed.
 *
 * Usage (from the repository root):
 *   node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *     scripts/docs/manifest-reference.ts [output file]
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  dataProductManifestSchema,
  JsonSchema,
} from '../../plugins/akili-common/src/manifest/schema';

const DESCRIPTIONS: Record<string, string> = {
  apiVersion: 'The manifest format and its version.',
  kind: 'The kind of entity the manifest declares.',
  metadata: 'Name, tenant and the descriptive fields of a Backstage entity.',
  'metadata.title': 'Human-friendly name shown in the portal.',
  'metadata.description':
    'What the product holds and what it is for; searched in the portal.',
  'metadata.tags': 'Free tags, used by the portal’s filters and search.',
  'metadata.labels': 'Key/value labels, as on any Backstage entity.',
  'metadata.annotations':
    'Key/value annotations, as on any Backstage entity (for example `gitlab.com/project-slug`).',
  'metadata.links': 'Links shown on the product’s page.',
  'metadata.links[].url': 'Where the link points.',
  'metadata.links[].title': 'Text of the link.',
  'metadata.links[].icon':
    'Icon name (a Backstage system icon such as `code`, `docs`).',
  'metadata.links[].type': 'Free link type.',
  'metadata.uid':
    'Set by the catalog on stored entities; never written by hand.',
  'metadata.etag':
    'Set by the catalog on stored entities; never written by hand.',
  'metadata.generation':
    'Set by the catalog on stored entities; never written by hand.',
  relations: 'Set by the catalog on stored entities; never written by hand.',
  status: 'Set by the catalog on stored entities; never written by hand.',
  spec: 'The data product itself.',
  'spec.type':
    'Source-aligned (close to a source system), aggregate (combines products) or consumer-aligned (shaped for one use).',
  'spec.lifecycle':
    'Where the product is in its life; `deprecated` is a breaking change.',
  'spec.owner': 'The owning team (a catalog group, e.g. `sales-analytics`).',
  'spec.domain': 'The business domain (a catalog Domain).',
  'spec.version':
    'Semantic version of the product; a breaking change is stored only with a new major version.',
  'spec.inputPorts':
    'What the product reads: other data products or external systems.',
  'spec.inputPorts[].name': 'Name of the input port, unique in the product.',
  'spec.inputPorts[].description': 'What is read and how.',
  'spec.inputPorts[].product':
    'The data product read: `<name>` in the same tenant, `<tenant>/<name>` or `dataproduct:<tenant>/<name>`; another tenant’s needs an access agreement in force. Set with `port`, or set `external`.',
  'spec.inputPorts[].port': 'The output port of `product` that is read.',
  'spec.inputPorts[].external':
    'A source outside the platform (set instead of `product`/`port`).',
  'spec.inputPorts[].external.system':
    'The kind of system (e.g. `postgres`, `kafka`, `sftp`).',
  'spec.inputPorts[].external.location':
    'Where in that system (host, database, table, path).',
  'spec.inputPorts[].external.description': 'What the source is.',
  'spec.outputPorts': 'What the product serves; at least one.',
  'spec.outputPorts[].name': 'Name of the output port, unique in the product.',
  'spec.outputPorts[].title': 'Human-friendly name of the port.',
  'spec.outputPorts[].description':
    'What one record of the port is and what it includes.',
  'spec.outputPorts[].kind':
    'How the port is served: a table or view (StarRocks), a topic, files (S3) or an API.',
  'spec.outputPorts[].location':
    'Where the port’s data is: exactly one of `table`, `s3`, `kafka`.',
  'spec.outputPorts[].location.table':
    'A table in StarRocks (optionally through an external catalog such as Iceberg).',
  'spec.outputPorts[].location.table.catalog':
    'StarRocks catalog (e.g. `iceberg_acme`); the default catalog when absent.',
  'spec.outputPorts[].location.table.database': 'Database of the table.',
  'spec.outputPorts[].location.table.table': 'Name of the table.',
  'spec.outputPorts[].location.s3':
    'Files in the lake; accepted only inside the tenant’s own bucket or prefix.',
  'spec.outputPorts[].location.s3.bucket': 'Bucket of the files.',
  'spec.outputPorts[].location.s3.prefix': 'Key prefix (folder) of the files.',
  'spec.outputPorts[].location.s3.format':
    'File format (e.g. `parquet`, `csv`, `jsonl`).',
  'spec.outputPorts[].location.kafka':
    'A topic of the event streaming platform.',
  'spec.outputPorts[].location.kafka.topic': 'Name of the topic.',
  'spec.outputPorts[].location.kafka.format':
    'Message format (e.g. `json`, `avro`).',
  'spec.outputPorts[].schema': 'The port’s columns.',
  'spec.outputPorts[].schema[].name': 'Column name, unique in the port.',
  'spec.outputPorts[].schema[].type':
    'Logical type; retyping a column is a breaking change.',
  'spec.outputPorts[].schema[].physicalType':
    'Type in the store (e.g. `BIGINT`, `VARCHAR(36)`).',
  'spec.outputPorts[].schema[].description': 'What the column means.',
  'spec.outputPorts[].schema[].required': 'The column is never null.',
  'spec.outputPorts[].schema[].primaryKey':
    'The column is (part of) the primary key.',
  'spec.outputPorts[].schema[].unique': 'No two rows share a value.',
  'spec.outputPorts[].schema[].classification':
    '`pii` and `confidential` read as NULL unless the caller may unmask; `sensitive-pii` is NULL for everyone.',
  'spec.outputPorts[].schema[].tags': 'Free tags of the column.',
  'spec.outputPorts[].schema[].examples':
    'Example values, shown in the portal.',
  'spec.outputPorts[].contract':
    'The port’s data contract (maps onto an ODCS v3 contract).',
  'spec.outputPorts[].contract.id': 'Identifier of the contract.',
  'spec.outputPorts[].contract.version': 'Version of the contract.',
  'spec.outputPorts[].contract.status':
    'State of the contract; deprecating or retiring it is a breaking change.',
  'spec.outputPorts[].contract.usage':
    'How consumers are meant to use the port.',
  'spec.outputPorts[].contract.limitations': 'What consumers must not rely on.',
  'spec.transformation': 'The product’s logic and where it runs.',
  'spec.transformation.language': 'Language of the logic.',
  'spec.transformation.entrypoint':
    'The file (or module) that holds the logic, e.g. `models/orders.sql`, `defs.py`.',
  'spec.transformation.dagster': 'The Dagster job that builds the product.',
  'spec.transformation.dagster.codeLocation':
    'Dagster code location; must be the tenant’s own (`<tenant>` or `<tenant>_…`), else launches are refused.',
  'spec.transformation.dagster.repository':
    'Dagster repository in the code location.',
  'spec.transformation.dagster.job': 'Dagster job that builds the product.',
  'spec.transformation.dagster.assetKeys':
    'Dagster asset keys of the product, each a path of parts.',
  'spec.schedule': 'When the product is rebuilt.',
  'spec.schedule.cron': 'Cron expression, checked after the schema.',
  'spec.schedule.timezone':
    'IANA time zone of the cron expression (e.g. `Europe/Berlin`).',
  'spec.quality':
    'Quality rules; the product’s score is the weighted pass rate of these rules.',
  'spec.quality[].name':
    'Name of the rule, unique in the product; a Dagster asset check of this name reports it.',
  'spec.quality[].description': 'What the rule checks.',
  'spec.quality[].type': 'What kind of check it is.',
  'spec.quality[].port': 'The output port checked (must exist).',
  'spec.quality[].column': 'The column checked (must exist in the port).',
  'spec.quality[].metric':
    'The measured metric (e.g. `null_ratio`, `row_count`).',
  'spec.quality[].query': 'SQL that computes the metric, for custom rules.',
  'spec.quality[].operator':
    'How the metric is compared with the threshold; required unless `engine` is set.',
  'spec.quality[].threshold':
    'A number, or `[low, high]` for `between`; required unless `engine` is set.',
  'spec.quality[].dimension': 'Quality dimension the rule counts in.',
  'spec.quality[].severity': 'How much a failure matters.',
  'spec.quality[].engine':
    'External engine that runs the rule (e.g. `great-expectations`, `soda`).',
  'spec.quality[].implementation': 'The rule in the engine’s own language.',
  'spec.slos': 'Service level objectives; loosening one is a breaking change.',
  'spec.slos.freshness': 'How fresh the data must be.',
  'spec.slos.freshness.maxDelay':
    'Longest allowed age of the newest data, a positive ISO 8601 duration such as `PT2H` or `P1D`.',
  'spec.slos.freshness.port': 'The output port measured (must exist).',
  'spec.slos.availability': 'How often the product must be available.',
  'spec.slos.availability.target': 'Availability target in percent.',
  'spec.support': 'Where consumers get help.',
  'spec.support.channel': 'Chat channel (e.g. `#acme-sales-data`).',
  'spec.support.email': 'Support email address.',
  'spec.support.url': 'Support page or issue tracker.',
  'spec.team': 'People and their roles for the product.',
  'spec.team[].user': 'A catalog user (name or entity ref).',
  'spec.team[].role': 'The person’s role for the product.',
};

type Row = {
  path: string;
  type: string;
  required: boolean;
  constraints: string[];
  description: string;
};

const definitions = (dataProductManifestSchema.definitions ?? {}) as Record<
  string,
  JsonSchema
>;

function resolve(schema: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/definitions/', '');
  const target = definitions[name];
  if (!target) throw new Error(`schema: unresolved $ref ${ref}`);
  return resolve(target);
}

function code(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `\`${text.replace(/\|/g, '\\|')}\``;
}

function typeOf(schema: JsonSchema): string {
  const s = resolve(schema);
  if (s.const !== undefined) return typeof s.const;
  if (Array.isArray(s.enum)) return 'enum';
  if (Array.isArray(s.type)) {
    return s.type
      .map(t =>
        t === 'array' && s.items
          ? `array of ${typeOf(s.items as JsonSchema)}`
          : t,
      )
      .join(' or ');
  }
  if (s.type === 'array') {
    return s.items ? `array of ${typeOf(s.items as JsonSchema)}` : 'array';
  }
  if (s.type === 'object' && s.additionalProperties && !s.properties) {
    return `map of ${typeOf(s.additionalProperties as JsonSchema)}`;
  }
  return typeof s.type === 'string' ? s.type : 'any';
}

function constraintsOf(schema: JsonSchema): string[] {
  const s = resolve(schema);
  const out: string[] = [];
  if (s.const !== undefined) out.push(`always ${code(s.const)}`);
  if (Array.isArray(s.enum)) out.push(`one of ${s.enum.map(code).join(', ')}`);
  if (typeof s.pattern === 'string') out.push(`pattern ${code(s.pattern)}`);
  if (typeof s.minLength === 'number' && s.minLength > 0) out.push('not empty');
  if (typeof s.maxLength === 'number')
    out.push(`at most ${s.maxLength} characters`);
  if (typeof s.minItems === 'number')
    out.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  if (typeof s.exclusiveMinimum === 'number')
    out.push(`> ${s.exclusiveMinimum}`);
  if (typeof s.minimum === 'number') out.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === 'number') out.push(`≤ ${s.maximum}`);
  if (typeof s.format === 'string') out.push(`format ${s.format}`);
  if (Array.isArray(s.oneOf)) {
    const groups = (s.oneOf as JsonSchema[]).map(o =>
      ((o.required as string[]) ?? []).map(code).join(' + '),
    );
    out.push(`exactly one of: ${groups.join(' or ')}`);
  }
  if (s.type === 'object' && s.properties && s.additionalProperties === false) {
    out.push('no other fields');
  }
  // Items of arrays carry their own constraints (e.g. items must be non-empty strings).
  if (s.type === 'array' && s.items) {
    const item = resolve(s.items as JsonSchema);
    if (!item.properties) {
      const inner = constraintsOf(item);
      if (inner.length) out.push(`each item: ${inner.join(', ')}`);
    }
  }
  if (s.type === 'object' && s.additionalProperties && !s.properties) {
    const inner = constraintsOf(s.additionalProperties as JsonSchema);
    if (inner.length) out.push(`each value: ${inner.join(', ')}`);
  }
  return out;
}

function walk(
  schema: JsonSchema,
  prefix: string,
  rows: Row[],
  missing: string[],
) {
  const s = resolve(schema);
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[]) ?? []);
  for (const [name, child] of Object.entries(props)) {
    const fieldPath = prefix ? `${prefix}.${name}` : name;
    const resolved = resolve(child);
    const description =
      (typeof child.description === 'string' && child.description) ||
      (typeof resolved.description === 'string' && resolved.description) ||
      DESCRIPTIONS[fieldPath];
    if (!description) missing.push(fieldPath);
    rows.push({
      path: fieldPath,
      type: typeOf(child),
      required: required.has(name),
      constraints: constraintsOf(child),
      description: description || '',
    });
    if (resolved.properties) {
      walk(resolved, fieldPath, rows, missing);
    } else if (resolved.type === 'array' && resolved.items) {
      const item = resolve(resolved.items as JsonSchema);
      if (item.properties) walk(item, `${fieldPath}[]`, rows, missing);
    }
  }
}

export function manifestReference(): string {
  const rows: Row[] = [];
  const missing: string[] = [];
  walk(dataProductManifestSchema, '', rows, missing);
  if (missing.length) {
    throw new Error(
      `manifest reference: no description for ${missing.join(
        ', ',
      )}: add one to the schema ` +
        `(plugins/akili-common/src/manifest/schema.ts) or to DESCRIPTIONS in scripts/docs/manifest-reference.ts`,
    );
  }
  const unused = Object.keys(DESCRIPTIONS).filter(
    p => !rows.some(r => r.path === p),
  );
  if (unused.length) {
    throw new Error(
      `manifest reference: DESCRIPTIONS names fields the schema does not have: ${unused.join(
        ', ',
      )} ` + `(scripts/docs/manifest-reference.ts)`,
    );
  }
  const escape = (text: string) =>
    text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '<!-- Generated by scripts/docs/manifest-reference.ts from dataProductManifestSchema',
    '     (plugins/akili-common/src/manifest/schema.ts). Do not edit: edit those instead, then run',
    '     node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs scripts/docs/manifest-reference.ts -->',
    '',
    '# Manifest reference',
    '',
    `A \`DataProduct\` manifest (\`${String(
      (dataProductManifestSchema.properties as any).apiVersion.const,
    )}\`) as the JSON schema \`${String(
      dataProductManifestSchema.$id,
    )}\` defines it. ` +
      'Paths use `[]` for the items of a list. **Required** means required when its parent is present.',
    '',
    'Some rules span several fields and are checked after the schema, by the same parser the portal, ' +
      'the API and `akili validate` use: port, column and rule names are unique where they live; ' +
      'a quality rule’s `port` and `column` exist; `operator` and `threshold` are required unless the rule ' +
      'has an `engine`; `schedule.cron` and `slos.freshness.maxDelay` are valid; the Dagster code location ' +
      'is the tenant’s own. See [Validate a manifest](../how-to/developers.md#validate) for how to run them.',
    '',
    '| Path | Type | Required | Constraints | Description |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| \`${r.path}\` | ${escape(r.type)} | ${r.required ? 'yes' : 'no'} | ${
          r.constraints.map(escape).join('; ') || ''
        } | ${escape(r.description)} |`,
    ),
    '',
    'The schema as JSON: `dataProductManifestSchema` in `plugins/akili-common/src/manifest/schema.ts`.',
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? 'docs/reference/manifest.md');
  try {
    const text = manifestReference();
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, text);
    process.stderr.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
