/**
 * A place in the SQL text: `offset` is the 0-based index of the character, `line` and `column`
 * are 1-based.
 *
 * @public
 */
export interface SqlPosition {
  offset: number;
  line: number;
  column: number;
}

/**
 * Thrown by the tokenizer and the parser when a statement is refused; the guard turns it into a
 * `{ ok: false }` result.
 *
 * @internal
 */
export class GuardRefusal extends Error {
  readonly reason: string;
  readonly offset?: number;

  constructor(reason: string, offset?: number) {
    super(reason);
    this.name = 'GuardRefusal';
    this.reason = reason;
    this.offset = offset;
  }
}

const MAX_QUOTE = 60;

/**
 * Quotes a piece of the statement for an error message: at most 60 characters, with anything
 * that is not printable ASCII written as `\\uXXXX` so a message never carries the trick itself.
 *
 * @internal
 */
export function quote(text: string): string {
  const cut =
    text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 3)}...` : text;
  let out = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0)!;
    out +=
      code >= 0x20 && code < 0x7f
        ? ch
        : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${out}'`;
}

/**
 * Converts offsets to 1-based line and column.
 *
 * @internal
 */
export function positionOf(sql: string, offset: number): SqlPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < sql.length; i++) {
    if (sql.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
