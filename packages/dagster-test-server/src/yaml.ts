const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  const text = String(value);
  if (PLAIN.test(text) && !RESERVED.test(text)) return text;
  return `'${text.replace(/'/g, "''")}'`;
}

function isEmpty(value: unknown) {
  return (
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length === 0)
  );
}

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(item => {
      if (typeof item === 'object' && item !== null && !isEmpty(item)) {
        const [first, ...rest] = lines(item, `${indent}  `);
        return [`${indent}- ${first.trimStart()}`, ...rest];
      }
      return [
        `${indent}- ${isEmpty(item) ? JSON.stringify(item) : scalar(item)}`,
      ];
    });
  }
  return Object.entries(value as Record<string, unknown>).flatMap(
    ([key, item]) => {
      if (typeof item === 'object' && item !== null && !isEmpty(item)) {
        // Like PyYAML, a list under a key is not indented further.
        const nested = Array.isArray(item) ? indent : `${indent}  `;
        return [`${indent}${scalar(key)}:`, ...lines(item, nested)];
      }
      return [
        `${indent}${scalar(key)}: ${
          isEmpty(item) ? JSON.stringify(item) : scalar(item)
        }`,
      ];
    },
  );
}

/** Renders run config in block style, as Dagster's `runConfigYaml` does (`{}` when empty). */
export function dumpYaml(value: Record<string, unknown>): string {
  if (isEmpty(value)) return '{}\n';
  return `${lines(value, '').join('\n')}\n`;
}
