import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { ServiceUnavailableError } from '@backstage/errors';
import { MAX_MANIFEST_BYTES, parseManifest } from '@akili/plugin-akili-common';
import {
  ManifestParserPool,
  ManifestParserPoolOptions,
} from './ManifestParserPool';
import {
  FILL_MEMORY,
  SPIN,
  THREAD_ID,
  THROW,
} from './__testUtils__/stallingParser';

const stallingParser = path.join(
  __dirname,
  '__testUtils__',
  'stallingParser.ts',
);
const fixtures = path.resolve(__dirname, '../../../akili-common/src');
const read = (file: string) =>
  fs.readFileSync(path.join(fixtures, file), 'utf8');

// Workers load the TypeScript sources through Backstage's loader: slow on a busy machine.
jest.setTimeout(120_000);

describe('ManifestParserPool', () => {
  const pools: ManifestParserPool[] = [];
  // Every text to a worker, small ones too (those are parsed right away by default).
  const pool = (options: ManifestParserPoolOptions) => {
    const created = new ManifestParserPool({ inlineMaxLength: 0, ...options });
    pools.push(created);
    return created;
  };

  afterAll(async () => {
    await Promise.all(pools.map(p => p.close()));
  });

  it('answers what parseManifest answers, from a worker thread', async () => {
    const parser = pool({ workers: 1 });
    const manifest = read('manifest/__fixtures__/orders.dataproduct.yaml');
    expect(await parser.parse(manifest)).toEqual(parseManifest(manifest));

    const broken = manifest.replace(
      'lifecycle: production',
      'lifecycle: forever',
    );
    const answer = await parser.parse(broken);
    expect(answer.valid).toBe(false);
    expect(answer).toEqual(parseManifest(broken));

    // ODCS contracts (a Map) travel to the worker with the product that uses them.
    const contract = parseManifest(
      read('standards/__fixtures__/column-completeness.odcs.yaml'),
    ).contract!;
    const contracts = new Map([[String(contract.id), contract]]);
    const odps = read('standards/__fixtures__/orders.odps.yaml');
    expect(await parser.parse(odps, { contracts })).toEqual(
      parseManifest(odps, { contracts }),
    );
  });

  it('runs the parser in another thread', async () => {
    const answer = await pool({ parserModule: stallingParser }).parse(
      THREAD_ID,
    );
    const workerThread = Number(answer.valid ? NaN : answer.errors[0].message);
    expect(workerThread).toBeGreaterThan(0);
    expect(workerThread).not.toBe(threadId);
  });

  it('stops a document that takes longer than the time limit and keeps serving', async () => {
    const parser = pool({
      workers: 1,
      timeLimitMs: 3000,
      parserModule: stallingParser,
    });
    // Loaded first, so the time limit measures the document only.
    expect((await parser.parse('a: 1')).valid).toBe(false);

    expect(await parser.parse(SPIN)).toEqual({
      valid: false,
      kind: 'unknown',
      manifests: [],
      errors: [
        {
          path: '$',
          message: 'reading the document took longer than 3 s and was stopped',
        },
      ],
    });
    // The stopped worker is replaced.
    const manifest = read('manifest/__fixtures__/orders.dataproduct.yaml');
    expect((await parser.parse(manifest)).valid).toBe(true);
  });

  it('stops a document that needs more memory than a worker may use', async () => {
    const parser = pool({
      workers: 1,
      maxMemoryMb: 64,
      parserModule: stallingParser,
    });
    const answer = await parser.parse(FILL_MEMORY);
    expect(answer.valid).toBe(false);
    expect(answer.errors).toEqual([
      {
        path: '$',
        message:
          'reading the document needed more than 64 MiB of memory and was stopped',
      },
    ]);
    expect((await parser.parse('kind: x')).valid).toBe(false);
  });

  it('rejects when the parser itself fails', async () => {
    await expect(
      pool({ parserModule: stallingParser }).parse(THROW),
    ).rejects.toThrow(/The manifest parser failed: Error: parser exploded/);
  });

  it('refuses documents beyond its queue, and those waiting when closed', async () => {
    const parser = new ManifestParserPool({
      workers: 1,
      maxQueue: 1,
      inlineMaxLength: 0,
      parserModule: stallingParser,
    });
    await parser.parse('started: true');
    const running = parser.parse(SPIN);
    const waiting = parser.parse('a: 1');
    await expect(parser.parse('b: 2')).rejects.toThrow(ServiceUnavailableError);
    const outcomes = Promise.allSettled([running, waiting]);
    await parser.close();
    const refused = {
      status: 'rejected',
      reason: new ServiceUnavailableError('The manifest parser is shut down'),
    };
    expect(await outcomes).toEqual([refused, refused]);
    await expect(parser.parse('c: 3')).rejects.toThrow(ServiceUnavailableError);
  });

  it('answers small texts and texts over the size cap right away, without a worker', async () => {
    // Workers of this pool could not even start: small texts do not need them.
    const parser = pool({
      inlineMaxLength: 1024,
      parserModule: path.join(__dirname, 'no-such-parser.js'),
    });
    const manifest = read('manifest/__fixtures__/orders.dataproduct.yaml');
    expect(manifest.length).toBeGreaterThan(1024);
    const small = 'kind: Component\n';
    expect(await parser.parse(small)).toEqual(parseManifest(small));
    // Longer than the size cap: refused before parsing, no worker needed either.
    const large = `${manifest}# ${'x'.repeat(MAX_MANIFEST_BYTES)}`;
    expect(await parser.parse(large)).toEqual(parseManifest(large));
    expect((await parser.parse(large)).errors[0].message).toMatch(
      /larger than the limit/,
    );
    await expect(parser.parse(manifest)).rejects.toThrow(
      /The manifest parser is unavailable/,
    );
  });

  it('gives back own __proto__ keys without touching prototypes', async () => {
    const answer = await pool({ workers: 1 }).parse(
      '__proto__: { polluted: true }\nkind: x\n',
    );
    expect(answer.valid).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
