/**
 * GitLab CI's `rules:if` expressions: `$VAR`, "strings", /regex/, null, ==, !=, =~, !~, &&, ||
 * and parentheses (`&&` binds tighter than `||`). An unset variable equals null and is false.
 */

type Token =
  | { t: 'var'; v: string }
  | { t: 'str'; v: string }
  | { t: 're'; v: RegExp }
  | { t: 'null' }
  | { t: 'op'; v: string };

const TOKENS: [RegExp, (m: RegExpMatchArray) => Token | undefined][] = [
  [/^\s+/, () => undefined],
  [/^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/, m => ({ t: 'var', v: m[1] })],
  [/^"((?:[^"\\]|\\.)*)"|^'([^']*)'/, m => ({ t: 'str', v: m[1] ?? m[2] })],
  [
    /^\/((?:[^/\\]|\\.)*)\/([a-z]*)/,
    m => ({ t: 're', v: new RegExp(m[1], m[2]) }),
  ],
  [/^null\b/, () => ({ t: 'null' })],
  [/^(==|!=|=~|!~|&&|\|\||\(|\))/, m => ({ t: 'op', v: m[1] })],
];

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const rest = expr.slice(i);
    const found = TOKENS.map(
      ([re, make]) => [rest.match(re), make] as const,
    ).find(([m]) => m !== null);
    if (!found) {
      throw new Error(
        `cannot read the rules expression at "${rest}" in: ${expr}`,
      );
    }
    const [m, make] = found;
    const token = make(m!);
    if (token) out.push(token);
    i += m![0].length;
  }
  return out;
}

/** Evaluates a `rules:if` / `workflow:rules:if` expression against the variables. */
export function evaluateIf(
  expr: string,
  vars: Record<string, string | undefined>,
): boolean {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = () => tokens[pos];
  const value = (tok: Token): string | RegExp | null => {
    if (tok.t === 'var') return vars[tok.v] ?? null;
    if (tok.t === 'str') return tok.v;
    if (tok.t === 're') return tok.v;
    if (tok.t === 'null') return null;
    throw new Error(`unexpected ${tok.v} in: ${expr}`);
  };
  // Declared first: primary() recurses into it for parentheses.
  let or: () => boolean = () => false;
  const primary = (): boolean => {
    const tok = tokens[pos++];
    if (!tok) throw new Error(`incomplete rules expression: ${expr}`);
    if (tok.t === 'op' && tok.v === '(') {
      const r = or();
      const close = tokens[pos++];
      if (!close || close.t !== 'op' || close.v !== ')') {
        throw new Error(`missing ) in: ${expr}`);
      }
      return r;
    }
    const left = value(tok);
    const op = peek();
    if (op && op.t === 'op' && ['==', '!=', '=~', '!~'].includes(op.v)) {
      pos++;
      const rightTok = tokens[pos++];
      if (!rightTok) throw new Error(`incomplete rules expression: ${expr}`);
      const right = value(rightTok);
      if (op.v === '==' || op.v === '!=') {
        const eq = left === right;
        return op.v === '==' ? eq : !eq;
      }
      if (!(right instanceof RegExp)) {
        throw new Error(`${op.v} needs a /regex/ on its right in: ${expr}`);
      }
      const matched = typeof left === 'string' && right.test(left);
      return op.v === '=~' ? matched : !matched;
    }
    return typeof left === 'string' && left !== '';
  };
  const and = (): boolean => {
    let r = primary();
    while (peek()?.t === 'op' && (peek() as any).v === '&&') {
      pos++;
      const right = primary();
      r = r && right;
    }
    return r;
  };
  or = (): boolean => {
    let r = and();
    while (peek()?.t === 'op' && (peek() as any).v === '||') {
      pos++;
      const right = and();
      r = r || right;
    }
    return r;
  };
  const result = or();
  if (pos !== tokens.length)
    throw new Error(`unexpected tokens at the end of: ${expr}`);
  return result;
}
