import { GuardRefusal } from './errors';
import { namesIn, tokenize } from './tokenize';

const kinds = (sql: string) =>
  tokenize(sql).map(t => `${t.kind}:${t.kind === 'word' ? t.upper : t.value}`);

const refusal = (sql: string) => {
  try {
    tokenize(sql);
  } catch (e) {
    if (e instanceof GuardRefusal)
      return { reason: e.reason, offset: e.offset };
    throw e;
  }
  throw new Error('not refused');
};

describe('tokenize', () => {
  it('splits words, identifiers, numbers, strings and operators with their offsets', () => {
    const tokens = tokenize("select `a``b`, 1.5e3, 'it''s' <=> x->y");
    expect(tokens.map(t => [t.kind, t.value, t.offset])).toEqual([
      ['word', 'select', 0],
      ['qident', 'a`b', 7],
      ['op', ',', 13],
      ['number', '1.5e3', 15],
      ['op', ',', 20],
      ['string', "it's", 22],
      ['op', '<=>', 30],
      ['word', 'x', 34],
      ['op', '->', 35],
      ['word', 'y', 37],
      ['eof', '', 38],
    ]);
    expect(tokens[0].upper).toBe('SELECT');
  });

  it('resolves backslash escapes and doubled quotes in strings', () => {
    expect(kinds(`'a\\\\b' "say ""hi""" 'tab\\t'`)).toEqual([
      'string:a\\b',
      'string:say "hi"',
      'string:tabt',
      'eof:',
    ]);
  });

  it('reads a dot after a name as an operator and before digits as a number', () => {
    expect(kinds('t.c1, .5 a.`b`')).toEqual([
      'word:T',
      'op:.',
      'word:C1',
      'op:,',
      'number:.5',
      'word:A',
      'op:.',
      'qident:b',
      'eof:',
    ]);
  });

  it('drops plain comments', () => {
    expect(kinds('a -- x\nb /* y */ c --\n d /**/ e --')).toEqual([
      'word:A',
      'word:B',
      'word:C',
      'word:D',
      'word:E',
      'eof:',
    ]);
  });

  it('keeps comment markers inside strings and identifiers as text', () => {
    expect(kinds("'-- /*+ # ;' `/*!x*/`")).toEqual([
      'string:-- /*+ # ;',
      'qident:/*!x*/',
      'eof:',
    ]);
  });

  it('allows non-ASCII inside strings and backquoted identifiers only', () => {
    expect(kinds("'ñandú' `größe`")).toEqual([
      'string:ñandú',
      'qident:größe',
      'eof:',
    ]);
    expect(refusal('größe')).toEqual({
      reason:
        'non-ASCII character U+00F6 outside a string or backquoted identifier is not allowed',
      offset: 2,
    });
  });

  it.each([
    ['/*+ SET_VAR(a=1) */', "optimizer hints '/*+'", 0],
    ['x /*! y */', 'executable comments', 2],
    ['x /*M! y */', 'executable comments', 2],
    ['x /* a /* b */', 'nested comment', 7],
    ['x /* a', 'unterminated comment', 2],
    ['x --y', "'--' must be followed by a space", 2],
    ['x # y', "'#' comments are not allowed", 2],
    ["x 'abc", 'unterminated string literal', 2],
    ["x 'a\\'b'", 'backslash before a quote', 4],
    ['x "a\\"b"', 'backslash before a quote', 4],
    ['x `abc', 'unterminated backquoted identifier', 2],
    ['x ``', 'empty backquoted identifier', 2],
    ['x @y', 'variables', 2],
    ['x ?', 'placeholders', 2],
    ['x { y', "unexpected character '{'", 2],
    ['x 12ab', "malformed number or identifier '12a'", 2],
    ['x\u0000', 'control character U+0000', 1],
    ['x -- a\rb', 'carriage return without line feed', 6],
    ['x\u200d', 'invisible or bidirectional character U+200D', 1],
    ["'\u2066x\u2069'", 'invisible or bidirectional character U+2066', 1],
    ['x\uff1by', 'non-ASCII character U+FF1B', 1],
  ])('refuses %j', (sql, reason, offset) => {
    const result = refusal(sql);
    expect(result.reason).toContain(reason);
    expect(result.offset).toBe(offset);
  });

  it('accepts CRLF line ends after comments', () => {
    expect(kinds('a -- x\r\nb')).toEqual(['word:A', 'word:B', 'eof:']);
  });
});

describe('namesIn', () => {
  it('lists words and backquoted names, not strings, numbers or comments', () => {
    expect(
      namesIn("SELECT `e mail`, x.y FROM t WHERE a = 'email' -- email\n AND 1"),
    ).toEqual([
      { name: 'SELECT', offset: 0 },
      { name: 'e mail', offset: 7 },
      { name: 'x', offset: 17 },
      { name: 'y', offset: 19 },
      { name: 'FROM', offset: 21 },
      { name: 't', offset: 26 },
      { name: 'WHERE', offset: 28 },
      { name: 'a', offset: 34 },
      { name: 'AND', offset: 56 },
    ]);
  });
});
