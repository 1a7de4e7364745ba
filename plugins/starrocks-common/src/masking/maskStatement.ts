import { Classification } from '@akili/plugin-akili-common';
import { MaskedColumn } from '../api';
import {
  DEFAULT_CATALOG,
  GuardAccepted,
  ReadableTable,
  TableReference,
} from '../guard/guard';
import { backtickQuoter, IdentifierQuoter } from './identifiers';

/**
 * A column a table's output port declares, with its classification.
 *
 * @public
 */
export interface MaskableColumn {
  name: string;
  /**
   * As the manifest says; left out means `internal` (the manifest's default). ODCS `restricted`
   * is `confidential`; any other unknown value is treated as `sensitive-pii`.
   */
  classification?: string;
}

/**
 * A table the tenant may read with the columns its port(s) declare.
 *
 * @public
 */
export interface MaskableTable extends ReadableTable {
  /** The declared columns; none declared means nothing is masked. */
  columns?: ReadonlyArray<MaskableColumn>;
  /**
   * The caller may read only the declared columns (another tenant's table under an access
   * agreement: the agreed columns): every reference is rewritten to a derived table of them,
   * masked or not, so `SELECT *` expands to them and no other column can be named.
   */
  onlyDeclared?: boolean;
}

/**
 * How to mask one caller's statement.
 *
 * @public
 */
export interface MaskingPolicy {
  /** The tables the guard admitted the statement over, with their declared columns. */
  tables: ReadonlyArray<MaskableTable>;
  /** As in the guard's policy: the catalog of tables given without one. */
  defaultCatalog?: string;
  /** The caller holds `akili.query.unmask` in the tenant. */
  unmask: boolean;
  /** How names are quoted for the engine: {@link backtickQuoter} unless given. */
  quoteIdentifier?: IdentifierQuoter;
}

/**
 * A statement with the masked columns of its tables replaced by NULL.
 *
 * @public
 */
export interface MaskedStatement {
  statement: string;
  /** The masked columns of the tables the statement reads, by table in order of first use. */
  masked: MaskedColumn[];
}

/**
 * A statement mentions a table the masking policy does not know: it must not run.
 *
 * @public
 */
export class MaskingPolicyError extends Error {
  name = 'MaskingPolicyError';
}

const RANK: Record<Classification, number> = {
  public: 0,
  internal: 1,
  confidential: 2,
  pii: 3,
  'sensitive-pii': 4,
};

/**
 * A classification as the query API applies it: left out is `internal` (the manifest default),
 * ODCS `restricted` is `confidential`, anything else unknown is `sensitive-pii` (masked for
 * everyone: an unreadable label must not open a column).
 *
 * @public
 */
export function effectiveClassification(value: unknown): Classification {
  if (value === undefined || value === null) return 'internal';
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'restricted') return 'confidential';
    if (Object.prototype.hasOwnProperty.call(RANK, lower)) {
      return lower as Classification;
    }
  }
  return 'sensitive-pii';
}

/**
 * Whether the query API masks a column of this classification: `sensitive-pii` always, `pii` and
 * `confidential` unless the caller holds `akili.query.unmask`, `public` and `internal` never.
 *
 * @public
 */
export function isMaskedClassification(
  classification: Classification,
  unmask: boolean,
): boolean {
  switch (classification) {
    case 'public':
    case 'internal':
      return false;
    case 'pii':
    case 'confidential':
      return !unmask;
    default:
      return true;
  }
}

/**
 * The classifications a caller sees unmasked.
 *
 * @public
 */
export function unmaskedClassifications(unmask: boolean): Classification[] {
  return (Object.keys(RANK) as Classification[]).filter(
    c => !isMaskedClassification(c, unmask),
  );
}

interface TableColumns {
  qualifiedName: string;
  columns: Array<{ name: string; classification: Classification }>;
  masked: boolean;
  onlyDeclared: boolean;
}

// NUL cannot appear in a name the guard accepted, so it separates parts.
const key = (...parts: string[]) => parts.join('\u0000');

/**
 * The declared columns of each table, merged over the ports that name the same table: a column
 * named by two ports (names compared case-insensitively, as the engines do) takes the stricter
 * classification.
 */
function columnsByTable(policy: MaskingPolicy): Map<string, TableColumns> {
  const defaultCatalog = policy.defaultCatalog ?? DEFAULT_CATALOG;
  const byTable = new Map<string, TableColumns>();
  for (const t of policy.tables) {
    const catalog = t.catalog ?? defaultCatalog;
    const k = key(catalog, t.database, t.table);
    let entry = byTable.get(k);
    if (!entry) {
      entry = {
        qualifiedName: `${catalog}.${t.database}.${t.table}`,
        columns: [],
        masked: false,
        onlyDeclared: false,
      };
      byTable.set(k, entry);
    }
    if (t.onlyDeclared) entry.onlyDeclared = true;
    for (const column of t.columns ?? []) {
      const classification = effectiveClassification(column.classification);
      const lower = column.name.toLowerCase();
      const existing = entry.columns.find(c => c.name.toLowerCase() === lower);
      if (!existing) {
        entry.columns.push({ name: column.name, classification });
      } else if (RANK[classification] > RANK[existing.classification]) {
        existing.classification = classification;
      }
    }
  }
  for (const entry of byTable.values()) {
    entry.masked = entry.columns.some(c =>
      isMaskedClassification(c.classification, policy.unmask),
    );
  }
  return byTable;
}

/**
 * Masks a statement the guard admitted, by rewriting it: each reference to a table with a column
 * masked for this caller becomes a derived table
 * `(SELECT id, NULL AS email, ... FROM db.t) AS t` (or the alias the statement gave it), so
 * `SELECT *`, aliases, expressions, predicates, joins, subqueries, CTEs, UNION and EXPLAIN all
 * see NULL, and no predicate on a masked column can tell its values apart. Such a table exposes
 * only its declared columns (undeclared ones are unknown to the rewritten statement); a table
 * with nothing masked is left as written, unless it is `onlyDeclared` (rewritten all the same). SHOW and DESCRIBE read metadata only and are not
 * rewritten.
 *
 * Column qualifiers naming the database (`db.t.email`) do not resolve against the derived table:
 * such statements fail on the server, they do not read the column.
 *
 * Throws {@link MaskingPolicyError} when the statement reads a table the policy does not list
 * (the guard and the masking must be given the same tables).
 *
 * @public
 */
export function maskStatement(
  guarded: Pick<GuardAccepted, 'kind' | 'statement' | 'references'>,
  policy: MaskingPolicy,
): MaskedStatement {
  if (guarded.kind === 'show' || guarded.kind === 'describe') {
    return { statement: guarded.statement, masked: [] };
  }
  const quoteName = policy.quoteIdentifier ?? backtickQuoter;
  const byTable = columnsByTable(policy);
  const masked: MaskedColumn[] = [];
  const reported = new Set<string>();
  const rewrites: Array<{ ref: TableReference; text: string }> = [];

  for (const ref of guarded.references) {
    const k = key(ref.catalog, ref.database, ref.table);
    const entry = byTable.get(k);
    if (!entry) {
      throw new MaskingPolicyError(
        `No masking policy for table ${ref.catalog}.${ref.database}.${ref.table}`,
      );
    }
    if (!entry.masked && !entry.onlyDeclared) continue;
    if (entry.onlyDeclared && entry.columns.length === 0) {
      throw new MaskingPolicyError(
        `No readable column in table ${entry.qualifiedName}`,
      );
    }
    if (!reported.has(k)) {
      reported.add(k);
      for (const column of entry.columns) {
        if (isMaskedClassification(column.classification, policy.unmask)) {
          masked.push({
            table: entry.qualifiedName,
            column: column.name,
            classification: column.classification,
          });
        }
      }
    }
    const select = entry.columns
      .map(c =>
        isMaskedClassification(c.classification, policy.unmask)
          ? `NULL AS ${quoteName(c.name)}`
          : quoteName(c.name),
      )
      .join(', ');
    const from = ref.parts.map(quoteName).join('.');
    const alias = ref.aliased ? '' : ` AS ${quoteName(ref.table)}`;
    rewrites.push({ ref, text: `(SELECT ${select} FROM ${from})${alias}` });
  }

  if (rewrites.length === 0) {
    return { statement: guarded.statement, masked };
  }
  rewrites.sort((a, b) => a.ref.start - b.ref.start);
  let statement = '';
  let at = 0;
  for (const { ref, text } of rewrites) {
    if (ref.start < at) {
      throw new MaskingPolicyError('Overlapping table references');
    }
    statement += guarded.statement.slice(at, ref.start) + text;
    at = ref.end;
  }
  statement += guarded.statement.slice(at);
  return { statement, masked };
}
