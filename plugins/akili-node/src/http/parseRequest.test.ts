import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { cursorParam, limitParam, parseRequest } from './parseRequest';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseRequest', () => {
  const schema = z
    .object({
      results: z.array(
        z.object({ outcome: z.enum(['pass', 'fail']) }).strict(),
      ),
      limit: limitParam(200, 50),
      cursor: cursorParam(),
    })
    .strict();

  it('returns the parsed input with defaults, and parses a missing input as {}', () => {
    expect(parseRequest(schema, { results: [] }, 'body')).toEqual({
      results: [],
      limit: 50,
    });
    expect(parseRequest(z.object({}).strict(), undefined, 'query')).toEqual({});
  });

  it('names each field and what is wrong, nested unknown fields with their path', () => {
    const message = messageOf(() =>
      parseRequest(
        schema,
        {
          results: [{ outcome: 'pass' }, { outcome: 'maybe', y: 1 }],
          limit: '500',
          cursor: '0',
          x: 1,
        },
        'body',
      ),
    );
    expect(message).toContain('Invalid body: ');
    expect(message).toContain(
      "results.1.outcome Invalid enum value. Expected 'pass' | 'fail', received 'maybe'",
    );
    expect(message).toContain('unknown field results.1.y');
    expect(message).toContain('limit must be at most 200');
    expect(message).toContain('cursor is not a cursor of this list');
    expect(message).toContain('unknown field x');
  });

  it('names the input itself when it is the wrong shape, and lists at most 20 problems', () => {
    expect(messageOf(() => parseRequest(schema, 'text', 'body'))).toBe(
      'Invalid body: body Expected object, received string',
    );
    const many = z.object({}).catchall(z.number());
    const input = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${i}`, 'x']),
    );
    const message = messageOf(() => parseRequest(many, input, 'query'));
    expect(message.split('; ')).toHaveLength(20);
  });

  it('rethrows anything that is not a validation failure', () => {
    const boom = z.string().transform(() => {
      throw new Error('boom');
    });
    expect(() => parseRequest(boom, 'a', 'body')).toThrow('boom');
  });

  it('coerces and bounds the limit', () => {
    const limit = z.object({ limit: limitParam(10, 5) });
    expect(parseRequest(limit, { limit: '7' }, 'query')).toEqual({ limit: 7 });
    expect(
      messageOf(() => parseRequest(limit, { limit: '1.5' }, 'query')),
    ).toBe('Invalid query: limit must be a whole number');
    expect(messageOf(() => parseRequest(limit, { limit: 'a' }, 'query'))).toBe(
      'Invalid query: limit must be a number',
    );
  });
});
