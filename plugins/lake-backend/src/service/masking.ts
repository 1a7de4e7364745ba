import {
  Classification,
  COLUMN_CLASSIFICATIONS,
} from '@akili/plugin-akili-common';
import { LakePreviewColumn } from '@akili/plugin-lake-common';
import {
  effectiveClassification,
  isMaskedClassification,
} from '@akili/plugin-starrocks-common';
import { RawPreview } from '../storage/types';

/** A column the port's contract declares. */
export interface DeclaredColumn {
  name: string;
  classification?: string;
}

/** Least sensitive first. */
const rank = (c: Classification) => COLUMN_CLASSIFICATIONS.indexOf(c);

/** The columns and rows of a preview as the caller may see them. */
export interface MaskedPreview {
  columns: LakePreviewColumn[];
  rows: unknown[][];
  masked: string[];
}

/**
 * Masks a file's first rows for a caller, exactly as the query API masks a table
 * (`maskStatement` of starrocks-common):
 *
 * - a declared column (names compared case-insensitively, the stricter classification winning
 *   when two declarations match) is masked when `isMaskedClassification` says so:
 *   `sensitive-pii` always, `pii` and `confidential` unless the caller holds `akili.query.unmask`;
 * - a column the contract does not declare is masked whenever any declared column is masked for
 *   the caller: the query API exposes only the declared columns of such a table, so an
 *   undeclared one (a column the writer added, a renamed PII column) never shows where the
 *   contract asks for masking; with nothing masked (or nothing declared) the file shows as is;
 * - with `onlyColumns` (an access agreement's columns) every other column is dropped.
 *
 * Masked values are `null`; `masked` names the masked columns in file order.
 */
export function maskPreview(
  raw: Pick<RawPreview, 'columns' | 'rows'>,
  declared: ReadonlyArray<DeclaredColumn>,
  options: { unmask: boolean; onlyColumns?: readonly string[] },
): MaskedPreview {
  const byName = new Map<string, Classification>();
  for (const column of declared) {
    const classification = effectiveClassification(column.classification);
    const lower = column.name.toLowerCase();
    const existing = byName.get(lower);
    if (!existing || rank(classification) > rank(existing)) {
      byName.set(lower, classification);
    }
  }
  const anyMasked = [...byName.values()].some(c =>
    isMaskedClassification(c, options.unmask),
  );
  const only = options.onlyColumns
    ? new Set(options.onlyColumns.map(c => c.toLowerCase()))
    : undefined;

  const kept: Array<{ index: number; column: LakePreviewColumn }> = [];
  raw.columns.forEach((column, index) => {
    const lower = column.name.toLowerCase();
    if (only && !only.has(lower)) return;
    const classification = byName.get(lower);
    const masked =
      classification === undefined
        ? anyMasked
        : isMaskedClassification(classification, options.unmask);
    kept.push({
      index,
      column: {
        name: column.name,
        type: column.type,
        ...(classification ? { classification } : {}),
        masked,
      },
    });
  });
  return {
    columns: kept.map(k => k.column),
    rows: raw.rows.map(row =>
      kept.map(({ index, column }) =>
        column.masked ? null : row[index] ?? null,
      ),
    ),
    masked: kept.filter(k => k.column.masked).map(k => k.column.name),
  };
}
