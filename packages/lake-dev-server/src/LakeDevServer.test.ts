import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { LakeDevServer, startLakeDevServer } from './LakeDevServer';
import { planExampleFiles } from './seed';

jest.setTimeout(60_000);

async function listAll(
  client: S3Client,
  bucket: string,
  prefix: string,
  pageSize: number,
) {
  const keys: string[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: pageSize,
        ContinuationToken: token,
      }),
    );
    pages++;
    keys.push(...(page.Contents ?? []).map(o => o.Key!));
    expect(page.Contents?.length ?? 0).toBeLessThanOrEqual(pageSize);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, pages };
}

describe('startLakeDevServer', () => {
  let directory: string;
  let server: LakeDevServer | undefined;
  let client: S3Client | undefined;
  const planned = planExampleFiles();

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lake-dev-server-'));
  });
  afterEach(async () => {
    client?.destroy();
    client = undefined;
    await server?.stop();
    server = undefined;
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('serves the seeded files, lists them page by page and answers ranged reads', async () => {
    server = await startLakeDevServer({ port: 0, directory });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.seeded.files).toBe(planned.length);
    expect(
      server.seeded.ports.map(p => `${p.tenant}/${p.product}/${p.port}`),
    ).toEqual([
      'acme/churn-features/training_snapshots',
      'globex/shipments/carrier_files',
    ]);
    client = server.client();

    // Paged listings need s3rver's DES continuation tokens (the legacy OpenSSL provider).
    const acme = planned.filter(f => f.bucket === 'akili-acme');
    const { keys, pages } = await listAll(
      client,
      'akili-acme',
      acme[0].prefix,
      2,
    );
    expect(keys).toEqual(acme.map(f => f.key).sort());
    expect(pages).toBe(Math.ceil(acme.length / 2));

    // Folders, as the lake browser lists them.
    const folders = await client.send(
      new ListObjectsV2Command({
        Bucket: 'akili-acme',
        Prefix: acme[0].prefix,
        Delimiter: '/',
      }),
    );
    expect(
      folders.CommonPrefixes?.map(p => p.Prefix!.slice(acme[0].prefix.length)),
    ).toEqual([
      'samples/',
      'snapshot_month=2026-06-01/',
      'snapshot_month=2026-07-01/',
      'snapshot_month=2026-08-01/',
      'snapshot_month=2026-09-01/',
      'snapshot_month=2026-10-01/',
      'snapshot_month=2026-11-01/',
    ]);

    const parquet = acme.find(f => f.key.endsWith('.parquet'))!;
    const whole = await client.send(
      new GetObjectCommand({ Bucket: parquet.bucket, Key: parquet.key }),
    );
    expect(Buffer.from(await whole.Body!.transformToByteArray())).toEqual(
      Buffer.from(parquet.body),
    );
    // The Parquet footer by an explicit range (s3rver reads a suffix range `bytes=-4` as 0-4).
    const size = parquet.body.byteLength;
    const footer = await client.send(
      new GetObjectCommand({
        Bucket: parquet.bucket,
        Key: parquet.key,
        Range: `bytes=${size - 4}-${size - 1}`,
      }),
    );
    expect(footer.ContentRange).toBe(`bytes ${size - 4}-${size - 1}/${size}`);
    expect(
      Buffer.from(await footer.Body!.transformToByteArray()).toString(),
    ).toBe('PAR1');

    // Each tenant's files are in its own bucket only.
    const globex = await listAll(client, 'akili-globex', '', 1000);
    expect(globex.keys).toEqual(
      planned
        .filter(f => f.bucket === 'akili-globex')
        .map(f => f.key)
        .sort(),
    );
    expect(globex.keys.some(k => k.includes('churn'))).toBe(false);
  });

  it('seeds again on a restart over the same folder and keeps objects written meanwhile', async () => {
    server = await startLakeDevServer({ port: 0, directory });
    client = server.client();
    const first = await client.send(
      new ListObjectsV2Command({ Bucket: 'akili-globex' }),
    );
    await client.send(
      new PutObjectCommand({
        Bucket: 'akili-globex',
        Key: 'scratch/note.txt',
        Body: 'kept',
      }),
    );
    client.destroy();
    await server.stop();

    server = await startLakeDevServer({ port: 0, directory });
    client = server.client();
    const again = await client.send(
      new ListObjectsV2Command({ Bucket: 'akili-globex' }),
    );
    const etags = (r: typeof first) =>
      Object.fromEntries((r.Contents ?? []).map(o => [o.Key, o.ETag]));
    expect(etags(again)).toEqual({
      ...etags(first),
      'scratch/note.txt': expect.any(String),
    });
  });

  it('starts empty with seed: false', async () => {
    server = await startLakeDevServer({ port: 0, directory, seed: false });
    client = server.client();
    expect(server.seeded).toEqual({ ports: [], files: 0, bytes: 0 });
    const buckets = await fetch(`${server.url}/`).then(r => r.text());
    expect(buckets).not.toContain('akili-acme');
  });

  it('stops: the port no longer answers', async () => {
    server = await startLakeDevServer({ port: 0, directory, seed: false });
    const { port } = server;
    await server.stop();
    server = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('answers on a fixed port only once every file is seeded', async () => {
    const probe = net.createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise(resolve => probe.close(resolve));

    let answeredEarly = false;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        try {
          const res = await fetch(
            `http://127.0.0.1:${port}/akili-globex?list-type=2`,
          );
          const body = await res.text();
          // Answering with fewer than every globex file means the port opened before the seed ended.
          const count = (body.match(/<Key>/g) ?? []).length;
          if (
            count !== planned.filter(f => f.bucket === 'akili-globex').length
          ) {
            answeredEarly = true;
          }
          return;
        } catch {
          await new Promise(resolve => setTimeout(resolve, 20));
        }
      }
    })();
    server = await startLakeDevServer({ port, directory });
    await poll;
    polling = false;
    expect(server.port).toBe(port);
    expect(answeredEarly).toBe(false);
  });

  it('says so when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        startLakeDevServer({ port, directory, seed: false }),
      ).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad port or no folder', async () => {
    await expect(
      startLakeDevServer({ port: 70000, directory }),
    ).rejects.toThrow('port must be a number from 0 to 65535, not 70000');
    await expect(
      startLakeDevServer({ port: 0, directory: '' }),
    ).rejects.toThrow('directory is required');
  });
});
