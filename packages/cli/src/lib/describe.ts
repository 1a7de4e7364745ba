/*
 * Text for the parts of the control plane's answers that are printed as they come: changes of a
 * diff, warnings, downstream impact. Tolerant of shape: an unknown entry is shown as JSON rather
 * than dropped.
 */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

/** The first array among `value` itself and its properties `keys`. */
function listIn(value: unknown, keys: string[]): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  if (isRecord(value)) {
    for (const key of keys) {
      const list = value[key];
      if (Array.isArray(list)) {
        return list;
      }
    }
  }
  return [];
}

/** The change entries of a diff: `{ changes: [...] }` or an array. */
export function diffChanges(diff: unknown): Json[] {
  return listIn(diff, ['changes']).filter(isRecord);
}

/** One line per change, breaking ones marked `BREAKING`. */
export function describeChanges(diff: unknown): string[] {
  return diffChanges(diff).map(change => {
    const mark = change.breaking === true ? 'BREAKING ' : '';
    const what =
      text(change.message) ??
      text(change.description) ??
      JSON.stringify(change);
    const path = text(change.path);
    return `  ${mark}${path ? `${path}: ` : ''}${what}`;
  });
}

/** One line per warning (a string, or `{ path?, message }`). */
export function describeWarnings(warnings: unknown): string[] {
  if (!Array.isArray(warnings)) {
    return [];
  }
  return warnings.map(warning => {
    if (typeof warning === 'string') {
      return `  ${warning}`;
    }
    if (isRecord(warning) && text(warning.message)) {
      const path = text(warning.path);
      return `  ${path ? `${path}: ` : ''}${warning.message}`;
    }
    return `  ${JSON.stringify(warning)}`;
  });
}

/** One line per downstream product affected (`{ entityRef, owner?, ... }`). */
export function describeImpact(impact: unknown): string[] {
  return listIn(impact, ['products', 'consumers']).map(entry => {
    if (typeof entry === 'string') {
      return `  ${entry}`;
    }
    if (isRecord(entry)) {
      const ref =
        text(entry.entityRef) ?? text(entry.product) ?? text(entry.ref);
      const owner = text(entry.owner);
      if (ref) {
        return `  ${ref}${owner ? ` (owner ${owner})` : ''}`;
      }
    }
    return `  ${JSON.stringify(entry)}`;
  });
}
