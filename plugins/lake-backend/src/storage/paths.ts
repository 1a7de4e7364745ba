import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';
import { InputError } from '@backstage/errors';
import { LakePartition, LakePreviewFormat } from '@akili/plugin-lake-common';
import { LakeArea } from './types';

/** S3's longest key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** How many rounds of percent-decoding a path is checked through (`%252e` is `%2e` is `.`). */
const DECODE_ROUNDS = 4;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why one form of a path is unsafe, or undefined. `/`-separated, no leading `/`. */
function checkForm(
  form: string,
  allowTrailingSlash: boolean,
): string | undefined {
  if (CONTROL.test(form)) {
    return 'it contains a control character';
  }
  if (form.includes('\\')) {
    return 'it contains a backslash';
  }
  if (form.startsWith('/')) {
    return 'it starts with /';
  }
  const segments = form.split('/');
  if (allowTrailingSlash && segments.length > 1 && segments.at(-1) === '') {
    segments.pop();
  }
  for (const segment of segments) {
    if (segment === '') {
      return 'it has an empty segment (//)';
    }
    if (segment === '.' || segment === '..') {
      return `it has a "${segment}" segment`;
    }
  }
  return undefined;
}

/**
 * Why a path relative to a port (or a prefix) is unsafe, or undefined when it is safe: checked
 * as given and through each round of percent-decoding, so `..%2f`, `%2e%2e%2f` and their
 * double-encodings are refused too, even though S3 itself never decodes a key.
 */
export function pathProblem(
  path: string,
  options: { allowTrailingSlash: boolean },
): string | undefined {
  if (typeof path !== 'string') {
    return 'it is not a string';
  }
  if (Buffer.from(path, 'utf8').toString('utf8') !== path) {
    return 'it is not valid Unicode';
  }
  if (Buffer.byteLength(path, 'utf8') > MAX_KEY_BYTES) {
    return `it is longer than ${MAX_KEY_BYTES} bytes`;
  }
  let form = path;
  for (let round = 0; round <= DECODE_ROUNDS; round++) {
    const problem = checkForm(form, options.allowTrailingSlash);
    if (problem) {
      return round === 0 ? problem : `${problem} once percent-decoded`;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(form);
    } catch {
      return undefined; // not valid percent-encoding: S3 takes it literally, as checked
    }
    if (decoded === form) {
      return undefined;
    }
    form = decoded;
  }
  return 'it is percent-encoded too many times';
}

/** Why a key prefix (`''`, or ending with `/`) is unsafe, or undefined. */
export function checkPrefix(prefix: string): string | undefined {
  if (prefix === '') {
    return undefined;
  }
  if (!prefix.endsWith('/')) {
    return 'it does not end with /';
  }
  return pathProblem(prefix, { allowTrailingSlash: true });
}

function refuse(path: string, problem: string): never {
  throw new InputError(
    `The path "${JSON.stringify(path)
      .slice(1, -1)
      .slice(0, 200)}" is not allowed: ${problem}`,
  );
}

/**
 * The key of a file of a port: `relPath` must name a file (not end with `/`) and stay inside the
 * port's prefix. Throws an `InputError` naming the path otherwise, before any request.
 */
export function fileKey(port: LakeArea, relPath: string): string {
  if (relPath === '' || typeof relPath !== 'string') {
    refuse(String(relPath ?? ''), 'a file path is needed');
  }
  if (relPath.endsWith('/')) {
    refuse(relPath, 'it names a folder, not a file');
  }
  const problem = pathProblem(relPath, { allowTrailingSlash: false });
  if (problem) {
    refuse(relPath, problem);
  }
  return checkedKey(port, relPath);
}

/**
 * The prefix a folder of a port lists: `''` is the port's root; a path without a trailing `/`
 * is taken as the folder it names. Returns the folder's path relative to the port (`''` or
 * ending with `/`) and its full prefix.
 */
export function folderPrefix(
  port: LakeArea,
  relPath: string,
): { path: string; prefix: string } {
  if (typeof relPath !== 'string') {
    refuse(String(relPath), 'it is not a string');
  }
  if (relPath === '') {
    return { path: '', prefix: port.prefix };
  }
  const path = relPath.endsWith('/') ? relPath : `${relPath}/`;
  const problem = pathProblem(path, { allowTrailingSlash: true });
  if (problem) {
    refuse(relPath, problem);
  }
  return { path, prefix: checkedKey(port, path) };
}

function checkedKey(port: LakeArea, relPath: string): string {
  const key = `${port.prefix}${relPath}`;
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    refuse(
      relPath,
      `with the port's prefix it is longer than ${MAX_KEY_BYTES} bytes`,
    );
  }
  return key;
}

/** Whether `inner` lies inside `outer` (same bucket, `inner`'s prefix under `outer`'s). */
export function isInside(inner: LakeArea, outer: LakeArea): boolean {
  return inner.bucket === outer.bucket && inner.prefix.startsWith(outer.prefix);
}

/**
 * Hive-style partition values of a folder path relative to the port (`date=2026-01-01/x/`):
 * each `key=value` segment, the value percent-decoded as Hive writes it.
 */
export function partitionOf(folderPath: string): LakePartition | undefined {
  let partition: LakePartition | undefined;
  for (const segment of folderPath.split('/')) {
    const eq = segment.indexOf('=');
    if (eq <= 0) {
      continue;
    }
    const key = segment.slice(0, eq);
    const raw = segment.slice(eq + 1);
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // kept as written
    }
    partition = { ...partition, [key]: value };
  }
  return partition;
}

/** The preview format of a file by its name's extension; undefined when it cannot be previewed. */
export function previewFormatOf(name: string): LakePreviewFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.parquet')) {
    return 'parquet';
  }
  if (lower.endsWith('.csv')) {
    return 'csv';
  }
  if (
    lower.endsWith('.jsonl') ||
    lower.endsWith('.ndjson') ||
    lower.endsWith('.json')
  ) {
    return 'jsonl';
  }
  return undefined;
}

/**
 * The opaque cursor of the next page of a listing: S3's continuation token (RGW's holds the
 * last key), encrypted and authenticated (AES-256-GCM) with the bucket and prefix listed as
 * associated data, so it reveals no key and is refused for any other folder, port or tenant, or
 * once altered. `key` is 32 bytes (see `cursorKey`).
 */
export function encodeCursor(
  key: Buffer,
  bucket: string,
  prefix: string,
  continuationToken: string,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${bucket}\n${prefix}`, 'utf8'));
  const sealed = Buffer.concat([
    cipher.update(continuationToken, 'utf8'),
    cipher.final(),
  ]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/**
 * S3's continuation token from a cursor of `encodeCursor` for the same bucket and prefix; an
 * `InputError` for any other cursor.
 */
export function decodeCursor(
  key: Buffer,
  cursor: string,
  bucket: string,
  prefix: string,
): string {
  const refused = new InputError(
    "The cursor is not one this folder's listing gave: list the folder again from its first page",
  );
  if (!/^[A-Za-z0-9_-]{40,8192}$/.test(cursor)) {
    throw refused;
  }
  const raw = Buffer.from(cursor, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${bucket}\n${prefix}`, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    const token = Buffer.concat([
      decipher.update(raw.subarray(28)),
      decipher.final(),
    ]).toString('utf8');
    if (token === '') {
      throw refused;
    }
    return token;
  } catch {
    throw refused;
  }
}

/**
 * The key cursors are sealed with, derived from a secret of the deployment (the S3 secret
 * keys), so every replica of the backend accepts the others' cursors.
 */
export function cursorKey(secret: string): Buffer {
  return createHash('sha256').update(`akili-lake-cursor\n${secret}`).digest();
}
