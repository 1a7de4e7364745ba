import { GuardRefusal, quote } from './errors';

/**
 * The kinds of token of the MySQL/StarRocks lexical grammar the guard accepts.
 *
 * - `word`: a bare identifier or keyword (`upper` holds it in upper case)
 * - `qident`: a backquoted identifier (`value` holds it without quotes, escapes resolved)
 * - `number`, `string` (`value` holds the unescaped content), `op` (operators and punctuation)
 * - `eof`: the end of the text
 *
 * @internal
 */
export type TokenKind = 'word' | 'qident' | 'number' | 'string' | 'op' | 'eof';

/** @internal */
export interface Token {
  kind: TokenKind;
  /** The token as written in the source. */
  text: string;
  /** The identifier or string content; for `word` the text as written. */
  value: string;
  /** For `word`: the text in upper case, for keyword comparisons; otherwise empty. */
  upper: string;
  /** 0-based index of the first character. */
  offset: number;
  /** 0-based index after the last character. */
  end: number;
}

// Longest first: the tokenizer takes the first operator that matches.
const OPERATORS = [
  '<=>',
  '<=',
  '>=',
  '<>',
  '!=',
  '<<',
  '>>',
  '||',
  '&&',
  '->',
  '(',
  ')',
  ',',
  '.',
  ';',
  '[',
  ']',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<',
  '>',
  '!',
  '~',
  '^',
  '&',
  '|',
];

function matchOperator(sql: string, at: number): string | undefined {
  for (const op of OPERATORS) {
    if (sql.startsWith(op, at)) return op;
  }
  return undefined;
}

const isWordStart = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordPart = (c: number) => isWordStart(c) || isDigit(c) || c === 36; // $
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Characters that render as nothing or reorder text (zero-width spaces and joiners, bidi
 * controls, the BOM, the soft hyphen): refused everywhere, strings included, because they make
 * the statement a reader sees differ from the one that runs.
 */
function isInvisible(c: number): boolean {
  return (
    c === 0x00ad ||
    c === 0x034f ||
    c === 0x061c ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb)
  );
}

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** Refuses control and invisible characters inside strings, identifiers and comments. */
function checkQuotedChar(c: number, offset: number): void {
  if ((c < 0x20 && !isSpace(c)) || c === 0x7f || (c >= 0x80 && c <= 0x9f)) {
    throw new GuardRefusal(
      `control character ${hex(c)} is not allowed`,
      offset,
    );
  }
  if (isInvisible(c)) {
    throw new GuardRefusal(
      `invisible or bidirectional character ${hex(c)} is not allowed`,
      offset,
    );
  }
}

/**
 * Splits SQL into tokens. Comments are dropped (the server does not execute them), but every
 * comment form that some server executes or interprets is refused: `/*!...*\/` (MySQL executable
 * comments), `/*+...*\/` (optimizer hints, StarRocks `SET_VAR` among them), comments that open
 * another comment inside them, and `#` and `--x` whose meaning differs between MySQL and
 * StarRocks. Non-ASCII characters are allowed only inside string literals and backquoted
 * identifiers.
 *
 * @internal
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value: string) => {
    const text = sql.slice(start, end);
    tokens.push({
      kind,
      text,
      value,
      upper: kind === 'word' ? text.toUpperCase() : '',
      offset: start,
      end,
    });
  };

  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c >= 0x80) {
      const cp = sql.codePointAt(i)!;
      checkQuotedChar(cp, i);
      throw new GuardRefusal(
        `non-ASCII character ${hex(
          cp,
        )} outside a string or backquoted identifier is not allowed`,
        i,
      );
    }
    if (c < 0x20 || c === 0x7f) {
      throw new GuardRefusal(`control character ${hex(c)} is not allowed`, i);
    }
    const next = i + 1 < n ? sql.charCodeAt(i + 1) : -1;

    // -- comment: MySQL needs whitespace after the dashes, StarRocks does not; `--x` means
    // different things to the two, so it is refused rather than guessed.
    if (c === 45 && next === 45) {
      const after = i + 2 < n ? sql.charCodeAt(i + 2) : -1;
      if (after !== -1 && !isSpace(after)) {
        throw new GuardRefusal(
          `'--' must be followed by a space to start a comment (ambiguous between MySQL and StarRocks)`,
          i,
        );
      }
      let j = i + 2;
      while (j < n && sql.charCodeAt(j) !== 10) {
        // StarRocks ends a line comment at CR, MySQL only at LF: a lone CR would let the
        // two see different statements.
        if (sql.charCodeAt(j) === 13 && sql.charCodeAt(j + 1) !== 10) {
          throw new GuardRefusal(
            `carriage return without line feed in a comment is not allowed`,
            j,
          );
        }
        checkQuotedChar(sql.charCodeAt(j), j);
        j++;
      }
      i = j;
      continue;
    }
    if (c === 35) {
      throw new GuardRefusal(
        `'#' comments are not allowed (MySQL and StarRocks disagree on them); use '-- ' or '/* */'`,
        i,
      );
    }
    if (c === 47 && next === 42) {
      const kind = i + 2 < n ? sql[i + 2] : '';
      // MySQL runs /*!...*/ and MariaDB /*M!...*/ as SQL.
      if (kind === '!' || sql.startsWith('M!', i + 2)) {
        throw new GuardRefusal(
          `executable comments '/*!' and '/*M!' are not allowed`,
          i,
        );
      }
      if (kind === '+') {
        throw new GuardRefusal(
          `optimizer hints '/*+' are not allowed (they can set session variables)`,
          i,
        );
      }
      let j = i + 2;
      for (;;) {
        if (j + 1 >= n) {
          throw new GuardRefusal(`unterminated comment`, i);
        }
        const d = sql.charCodeAt(j);
        if (d === 42 && sql.charCodeAt(j + 1) === 47) break;
        if (d === 47 && sql.charCodeAt(j + 1) === 42) {
          throw new GuardRefusal(
            `nested comment '/*' inside a comment is not allowed`,
            j,
          );
        }
        checkQuotedChar(d, j);
        j++;
      }
      i = j + 2;
      continue;
    }

    if (c === 39 || c === 34) {
      // '...' or "...": backslash escapes and doubled quotes
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= n) {
          throw new GuardRefusal(`unterminated string literal`, i);
        }
        const d = sql.charCodeAt(j);
        checkQuotedChar(d, j);
        if (d === 92) {
          if (j + 1 >= n)
            throw new GuardRefusal(`unterminated string literal`, i);
          // With NO_BACKSLASH_ESCAPES a backslash is an ordinary character, and \' would end
          // the string there; refused so the string has the same extent in both modes.
          if (sql.charCodeAt(j + 1) === c) {
            throw new GuardRefusal(
              `backslash before a quote in a string is ambiguous; double the quote instead`,
              j,
            );
          }
          checkQuotedChar(sql.charCodeAt(j + 1), j + 1);
          value += sql[j + 1];
          j += 2;
          continue;
        }
        if (d === c) {
          if (j + 1 < n && sql.charCodeAt(j + 1) === c) {
            value += sql[j];
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j++;
      }
      push('string', i, j + 1, value);
      i = j + 1;
      continue;
    }

    if (c === 96) {
      // `...` with `` as the escape for a backquote
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= n) {
          throw new GuardRefusal(`unterminated backquoted identifier`, i);
        }
        const d = sql.charCodeAt(j);
        checkQuotedChar(d, j);
        if (d === 96) {
          if (j + 1 < n && sql.charCodeAt(j + 1) === 96) {
            value += '`';
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j++;
      }
      if (value.length === 0) {
        throw new GuardRefusal(`empty backquoted identifier`, i);
      }
      push('qident', i, j + 1, value);
      i = j + 1;
      continue;
    }

    const prev = tokens.length > 0 ? tokens[tokens.length - 1] : undefined;
    const afterName =
      prev !== undefined &&
      (prev.kind === 'word' ||
        prev.kind === 'qident' ||
        prev.text === ')' ||
        prev.text === ']');
    if (isDigit(c) || (c === 46 && isDigit(next) && !afterName)) {
      let j = i;
      if (c === 48 && (next === 120 || next === 88)) {
        j += 2;
        while (j < n && /[0-9a-fA-F]/.test(sql[j])) j++;
        if (j === i + 2) throw new GuardRefusal(`malformed number`, i);
      } else {
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        if (j < n && sql.charCodeAt(j) === 46) {
          j++;
          while (j < n && isDigit(sql.charCodeAt(j))) j++;
        }
        if (j < n && (sql[j] === 'e' || sql[j] === 'E')) {
          let k = j + 1;
          if (k < n && (sql[k] === '+' || sql[k] === '-')) k++;
          if (k < n && isDigit(sql.charCodeAt(k))) {
            while (k < n && isDigit(sql.charCodeAt(k))) k++;
            j = k;
          }
        }
      }
      if (j < n && isWordPart(sql.charCodeAt(j))) {
        throw new GuardRefusal(
          `malformed number or identifier ${quote(sql.slice(i, j + 1))}`,
          i,
        );
      }
      push('number', i, j, sql.slice(i, j));
      i = j;
      continue;
    }

    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j))) j++;
      push('word', i, j, sql.slice(i, j));
      i = j;
      continue;
    }

    if (c === 64) {
      throw new GuardRefusal(
        `variables ('@name', '@@name') are not allowed`,
        i,
      );
    }
    if (c === 63) {
      throw new GuardRefusal(`placeholders '?' are not allowed`, i);
    }
    const op = matchOperator(sql, i);
    if (!op) {
      throw new GuardRefusal(`unexpected character ${quote(sql[i])}`, i);
    }
    push('op', i, i + op.length, op);
    i += op.length;
  }
  tokens.push({
    kind: 'eof',
    text: '',
    value: '',
    upper: '',
    offset: n,
    end: n,
  });
  return tokens;
}

/**
 * The names a statement mentions (bare words that are not string literals or numbers, and
 * backquoted identifiers, quotes removed), with their offsets: keywords included, so a caller
 * compares them with names it knows (an access agreement's columns not agreed). Comments and
 * string literals are skipped as the guard skips them. Throws on text the guard would refuse.
 *
 * @public
 */
export function namesIn(sql: string): Array<{ name: string; offset: number }> {
  return tokenize(sql)
    .filter(t => t.kind === 'word' || t.kind === 'qident')
    .map(t => ({ name: t.value, offset: t.offset }));
}
