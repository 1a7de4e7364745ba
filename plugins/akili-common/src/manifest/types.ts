/**
 * The DataProduct manifest (`apiVersion: akili.io/v1alpha1`, `kind: DataProduct`).
 *
 * A manifest is also a Backstage catalog entity: `metadata.namespace` is the tenant, so a
 * `dataproduct.yaml` can be registered like any catalog file. It maps onto Bitol ODPS v1
 * (the product) and ODCS v3 (one data contract per output port): see `../standards`.
 */

/** The manifest API version this package reads and writes. */
export const DATA_PRODUCT_API_VERSION = 'akili.io/v1alpha1';
/** The catalog kind of data products. */
export const DATA_PRODUCT_KIND = 'DataProduct';

/** Where a product sits in the data mesh. */
export type DataProductType =
  | 'source-aligned'
  | 'aggregate'
  | 'consumer-aligned';

/** Lifecycle, as in Backstage components. */
export type DataProductLifecycle = 'experimental' | 'production' | 'deprecated';

/** Sensitivity of a column; drives badges, masking and access reviews. */
export type Classification =
  | 'public'
  | 'internal'
  | 'confidential'
  | 'pii'
  | 'sensitive-pii';

/** Every classification, least sensitive first, for schemas and forms. */
export const COLUMN_CLASSIFICATIONS: readonly Classification[] = [
  'public',
  'internal',
  'confidential',
  'pii',
  'sensitive-pii',
];

/** Logical column types (ODCS `logicalType` plus the common temporal ones). */
export type LogicalType =
  | 'string'
  | 'integer'
  | 'number'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'array'
  | 'object'
  | 'binary';

/** Every logical type, for schemas and mappings. */
export const LOGICAL_TYPES: readonly LogicalType[] = [
  'string',
  'integer',
  'number',
  'decimal',
  'boolean',
  'date',
  'timestamp',
  'time',
  'array',
  'object',
  'binary',
];

export interface DataProductColumn {
  name: string;
  /** Logical type. */
  type: LogicalType;
  /** Physical type in the store, e.g. `VARCHAR(64)`, `DECIMAL(12,2)`. */
  physicalType?: string;
  description?: string;
  /** Defaults to false. */
  required?: boolean;
  primaryKey?: boolean;
  unique?: boolean;
  /** Defaults to `internal`. */
  classification?: Classification;
  tags?: string[];
  /** Example values, as strings. */
  examples?: string[];
}

/** Where an output port's data lives; exactly one member is set. */
export interface OutputPortLocation {
  /** A StarRocks table (internal catalog) or an Iceberg table through a StarRocks external catalog. */
  table?: {
    /** StarRocks external catalog, e.g. `iceberg_acme`; absent for the internal catalog. */
    catalog?: string;
    database: string;
    table: string;
  };
  /** Files under an S3 prefix of the tenant's bucket. */
  s3?: {
    bucket: string;
    prefix: string;
    /** File format, e.g. `parquet`, `json`, `csv`, `avro`. */
    format?: string;
  };
  /** A Kafka (Redpanda) topic. */
  kafka?: {
    topic: string;
    /** Message format, e.g. `json`, `avro`, `protobuf`. */
    format?: string;
  };
}

export type OutputPortKind = 'table' | 'view' | 'topic' | 'files' | 'api';

/** The terms of an output port's data contract (ODCS). Rules and SLAs come from the product. */
export interface DataContract {
  /** Contract id; defaults to `<tenant>.<product>.<port>`. */
  id?: string;
  /** Contract version (semver). */
  version: string;
  status?: 'draft' | 'active' | 'deprecated' | 'retired';
  usage?: string;
  limitations?: string;
}

export interface OutputPort {
  name: string;
  title?: string;
  description?: string;
  kind: OutputPortKind;
  location: OutputPortLocation;
  schema: DataProductColumn[];
  contract?: DataContract;
}

/**
 * An input: another product's output port, or an external source. Exactly one of
 * `product` or `external` is set.
 */
export interface InputPort {
  name: string;
  description?: string;
  /**
   * The upstream product: `dataproduct:<tenant>/<name>`, `<tenant>/<name>`, or `<name>` for a
   * product of the same tenant.
   */
  product?: string;
  /** The upstream output port name; required with `product`. */
  port?: string;
  external?: {
    /** What the source is, e.g. `postgres`, `salesforce`, `s3`, `kafka`, `api`. */
    system: string;
    /** Where, e.g. a table, topic, URL or prefix. */
    location: string;
    description?: string;
  };
}

export interface Transformation {
  language: 'sql' | 'python';
  /** Path of the entry file in the product's repository, e.g. `models/orders.sql`. */
  entrypoint: string;
  dagster?: {
    /** Dagster code location name. */
    codeLocation: string;
    /** Repository within the location; `__repository__` for a `Definitions` object. */
    repository?: string;
    /** Job that materializes the product. */
    job?: string;
    /** Asset keys, each a path such as `['sales', 'orders']`. */
    assetKeys?: string[][];
  };
}

export interface Schedule {
  /** Cron expression (5 fields). */
  cron: string;
  /** IANA time zone; defaults to UTC. */
  timezone?: string;
}

export type QualityRuleType =
  | 'completeness'
  | 'uniqueness'
  | 'freshness'
  | 'volume'
  | 'validity'
  | 'custom';

export type QualityDimension =
  | 'accuracy'
  | 'completeness'
  | 'conformity'
  | 'consistency'
  | 'coverage'
  | 'timeliness'
  | 'uniqueness';

/** Every quality dimension, for schemas and mappings. */
export const QUALITY_DIMENSIONS: readonly QualityDimension[] = [
  'accuracy',
  'completeness',
  'conformity',
  'consistency',
  'coverage',
  'timeliness',
  'uniqueness',
];

export type QualityOperator = '<' | '<=' | '=' | '!=' | '>=' | '>' | 'between';

export interface QualityRule {
  name: string;
  description?: string;
  type: QualityRuleType;
  /** Output port the rule checks; may be omitted when the product has one output port. */
  port?: string;
  /** Column the rule checks, when it is about one column. */
  column?: string;
  /**
   * A named metric (`null_ratio`, `duplicate_ratio`, `row_count`, `freshness_minutes`,
   * `invalid_ratio`) or, for `custom`, absent in favour of `query`.
   */
  metric?: string;
  /** SQL returning one number, for `custom` rules. */
  query?: string;
  /** Required unless the rule is checked elsewhere (`engine`). */
  operator?: QualityOperator;
  /** A number, or `[low, high]` with `between`. Required unless the rule has an `engine`. */
  threshold?: number | [number, number];
  /**
   * The engine that checks the rule outside Akili (`soda`, `greatExpectations`, `montecarlo`,
   * `dbt`, ...), as an imported ODCS contract says. Akili does not run such a rule: it shows it
   * as checked elsewhere, and its results arrive through the quality API.
   */
  engine?: string;
  /** The rule as its engine reads it (text), for rules checked elsewhere. */
  implementation?: string;
  dimension?: QualityDimension;
  severity: 'error' | 'warning' | 'info';
}

export interface ServiceLevelObjectives {
  freshness?: {
    /** Largest accepted age of the newest data, ISO 8601 duration, e.g. `PT2H`. */
    maxDelay: string;
    port?: string;
  };
  availability?: {
    /** Percentage of time the output ports answer, e.g. 99.5. */
    target: number;
  };
}

export interface Support {
  /** Chat channel, e.g. `#acme-orders`. */
  channel?: string;
  email?: string;
  url?: string;
}

export interface TeamMember {
  /** User entity name or ref. */
  user: string;
  role: 'owner' | 'developer' | 'steward' | 'consumer-contact';
}

export interface DataProductSpec {
  type: DataProductType;
  lifecycle: DataProductLifecycle;
  /** Owning group: `group:<ns>/<name>`, `<ns>/<name>` or `<name>`. */
  owner: string;
  /** Business domain (a Domain entity), e.g. `sales`. */
  domain: string;
  /** Product version (semver). */
  version?: string;
  inputPorts?: InputPort[];
  outputPorts: OutputPort[];
  transformation?: Transformation;
  schedule?: Schedule;
  quality?: QualityRule[];
  slos?: ServiceLevelObjectives;
  support?: Support;
  team?: TeamMember[];
}

export interface DataProductManifest {
  apiVersion: typeof DATA_PRODUCT_API_VERSION;
  kind: typeof DATA_PRODUCT_KIND;
  metadata: {
    /** Product name, unique in its tenant: lowercase letters, digits and dashes. */
    name: string;
    /** The tenant; also the catalog namespace. */
    namespace: string;
    title?: string;
    description?: string;
    tags?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    links?: Array<{ url: string; title?: string; icon?: string }>;
  };
  spec: DataProductSpec;
}

/** One problem found in a manifest, with where it is. */
export interface ManifestProblem {
  /** JSON path of the offending value, e.g. `$.spec.outputPorts[1].name`. */
  path: string;
  /** 1-based line in the source text, when known. */
  line?: number;
  /** 1-based column in the source text, when known. */
  column?: number;
  message: string;
}

/** Which format a document was recognised as. */
export type ManifestFormat = 'akili' | 'odps' | 'odcs' | 'unknown';

/** The answer of parsing and validating a document. */
export type ManifestValidationResult =
  | {
      valid: true;
      kind: ManifestFormat;
      /** The product(s) in Akili form; ODCS contracts yield none on their own. */
      manifests: DataProductManifest[];
      errors: [];
      /** What Akili cannot use of the document, or chose for it; never a reason to refuse it. */
      warnings?: ManifestProblem[];
    }
  | {
      valid: false;
      kind: ManifestFormat;
      manifests: [];
      errors: ManifestProblem[];
      warnings?: ManifestProblem[];
    };
