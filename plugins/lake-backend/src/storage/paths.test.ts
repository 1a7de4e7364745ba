import { InputError } from '@backstage/errors';
import {
  cursorKey,
  decodeCursor,
  encodeCursor,
  fileKey,
  folderPrefix,
  partitionOf,
  pathProblem,
  previewFormatOf,
} from './paths';

const port = { bucket: 'akili-acme', prefix: 'data-products/churn/training/' };

describe('fileKey and folderPrefix', () => {
  it('joins safe paths under the port prefix', () => {
    expect(fileKey(port, 'month=2026-01/part-0.parquet')).toBe(
      'data-products/churn/training/month=2026-01/part-0.parquet',
    );
    expect(folderPrefix(port, '')).toEqual({ path: '', prefix: port.prefix });
    expect(folderPrefix(port, 'month=2026-01')).toEqual({
      path: 'month=2026-01/',
      prefix: 'data-products/churn/training/month=2026-01/',
    });
    expect(folderPrefix(port, 'a b/ü/')).toEqual({
      path: 'a b/ü/',
      prefix: 'data-products/churn/training/a b/ü/',
    });
    // Hive writes a "/" inside a partition value as %2F: a legitimate key.
    expect(fileKey(port, 'city=New%2FYork/x.csv')).toBe(
      'data-products/churn/training/city=New%2FYork/x.csv',
    );
  });

  it.each([
    ['../globex/x.parquet', '".." segment'],
    ['a/../../x', '".." segment'],
    ['..', '".." segment'],
    ['./x', '"." segment'],
    ['a/./x', '"." segment'],
    ['/etc/passwd', 'starts with /'],
    ['a//b', 'empty segment'],
    ['a\\..\\b', 'backslash'],
    ['a\u0000b', 'control character'],
    ['a\nb', 'control character'],
    ['a\u007fb', 'control character'],
    ['%2e%2e%2fglobex/x', 'once percent-decoded'],
    ['%2E%2E/x', 'once percent-decoded'],
    ['..%2fx', 'once percent-decoded'],
    ['a/..%2F..%2Fx', 'once percent-decoded'],
    ['%252e%252e%252fx', 'once percent-decoded'],
    ['%25252e%25252e%25252fx', 'once percent-decoded'],
    ['%2fetc', 'once percent-decoded'],
    ['a%5c..%5cb', 'once percent-decoded'],
    ['a%00b', 'once percent-decoded'],
    ['\ud800x', 'not valid Unicode'],
    ['x'.repeat(1025), 'longer than 1024 bytes'],
    ['é'.repeat(513), 'longer than 1024 bytes'],
    ['x'.repeat(1000), "with the port's prefix it is longer"],
  ])('refuses %j before any request (%s)', (path, reason) => {
    for (const call of [
      () => fileKey(port, path),
      () => folderPrefix(port, path),
    ]) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(reason);
      expect((error as Error).message).toMatch(/^The path ".*" is not allowed/);
    }
  });

  it('names a folder or an empty path for a file', () => {
    expect(() => fileKey(port, 'a/')).toThrow('it names a folder, not a file');
    expect(() => fileKey(port, '')).toThrow('a file path is needed');
  });

  it('shows control characters escaped in the message', () => {
    expect(() => fileKey(port, 'a\u0000b')).toThrow(
      'The path "a\\u0000b" is not allowed',
    );
  });

  it('checks folders and files with the same rules', () => {
    expect(pathProblem('a/b/', { allowTrailingSlash: true })).toBeUndefined();
    expect(pathProblem('a/b/', { allowTrailingSlash: false })).toContain(
      'empty segment',
    );
    expect(pathProblem('100%', { allowTrailingSlash: false })).toBeUndefined();
  });
});

describe('cursors', () => {
  const key = cursorKey('secret');

  it('round-trips and is bound to the bucket and prefix listed', () => {
    const cursor = encodeCursor(key, 'akili-acme', 'p/a/', 'token+/=1');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(key, cursor, 'akili-acme', 'p/a/')).toBe('token+/=1');
    for (const [bucket, prefix] of [
      ['akili-acme', 'p/b/'],
      ['akili-acme', 'p/'],
      ['akili-globex', 'p/a/'],
    ]) {
      expect(() => decodeCursor(key, cursor, bucket, prefix)).toThrow(
        "The cursor is not one this folder's listing gave",
      );
    }
    // Another deployment's key.
    expect(() =>
      decodeCursor(cursorKey('other'), cursor, 'akili-acme', 'p/a/'),
    ).toThrow(InputError);
  });

  it('refuses an altered cursor', () => {
    const cursor = encodeCursor(key, 'b', 'p/', 'p/last-key.csv');
    const raw = Buffer.from(cursor, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() =>
      decodeCursor(key, raw.toString('base64url'), 'b', 'p/'),
    ).toThrow(InputError);
  });

  it.each([
    '',
    'not a cursor!',
    Buffer.from('{"t":"x"}').toString('base64url'),
    'x'.repeat(50),
    'x'.repeat(9000),
  ])('refuses %j', cursor => {
    expect(() => decodeCursor(key, cursor, 'b', 'p/')).toThrow(InputError);
  });

  it('reveals neither the key nor the prefix listed', () => {
    const cursor = encodeCursor(
      key,
      'akili-acme',
      'secret-prefix/',
      'secret-prefix/last.csv',
    );
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(
      'secret',
    );
  });
});

describe('partitionOf and previewFormatOf', () => {
  it('reads key=value segments, decoded', () => {
    expect(partitionOf('')).toBeUndefined();
    expect(partitionOf('plain/folder/')).toBeUndefined();
    expect(partitionOf('year=2026/month=01/x/')).toEqual({
      year: '2026',
      month: '01',
    });
    expect(partitionOf('city=New%2FYork/')).toEqual({ city: 'New/York' });
    expect(partitionOf('bad=%zz/')).toEqual({ bad: '%zz' });
    expect(partitionOf('=x/')).toBeUndefined();
  });

  it('knows Parquet, CSV and JSON lines by extension', () => {
    expect(previewFormatOf('a.parquet')).toBe('parquet');
    expect(previewFormatOf('A.PARQUET')).toBe('parquet');
    expect(previewFormatOf('a.csv')).toBe('csv');
    expect(previewFormatOf('a.jsonl')).toBe('jsonl');
    expect(previewFormatOf('a.ndjson')).toBe('jsonl');
    expect(previewFormatOf('a.json')).toBe('jsonl');
    expect(previewFormatOf('a.csv.gz')).toBeUndefined();
    expect(previewFormatOf('_SUCCESS')).toBeUndefined();
  });
});
