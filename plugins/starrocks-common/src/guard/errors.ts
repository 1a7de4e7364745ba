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
 * Returns a function converting offsets in `sql` to 1-based line and column (lines end at LF),
 * in logarithmic time per offset.
 *
 * @internal
 */
export function positionsIn(sql: string): (offset: number) => SqlPosition {
  const lineStarts = [0];
  for (let i = 0; i < sql.length; i++) {
    if (sql.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  return offset => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
}
