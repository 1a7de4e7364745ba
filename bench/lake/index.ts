/*
 * bench/lake: the lake's S3 layer (plugins/lake-backend's LakeStorage) against the Ceph RGW of
 * the test services, each figure next to the bare S3 client doing the same in the same run:
 *  - a folder of 100,000 objects listed page by page (1,000 a page) through LakeStorage.list
 *    and through ListObjectsV2 directly: times and the overhead ratio;
 *  - a ~1 GB Parquet file of many row groups previewed (100 rows) through LakeStorage.preview
 *    and read directly (HEAD, the footer, then the first row group's column chunks): bytes read,
 *    times and the ratio. Goal: a few MB at most, whatever the file's size.
 * The objects and the file are uploaded once to the bucket `akili-bench-lake` and reused by the
 * next runs (Ceph's memstore keeps them until it restarts).
 *
 *   make bench NAME=lake   (AKILI_BENCH_OBJECTS=20000 AKILI_BENCH_PARQUET_MB=200 for a quicker run)
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ConfigReader } from '@backstage/config';
import { parquetMetadata } from 'hyparquet';
import {
  ParquetWriter,
  fileWriter,
  schemaFromColumnData,
} from 'hyparquet-writer';
import { LakeStorage } from '../../plugins/lake-backend/src/storage/LakeStorage';

const OBJECTS = Number(process.env.AKILI_BENCH_OBJECTS ?? 100_000);
const PARQUET_MB = Number(process.env.AKILI_BENCH_PARQUET_MB ?? 1024);
const ROUNDS = 3;
const TENANT = 'lake';
const BUCKET = 'akili-bench-lake';
const FOLDER = `objects-${OBJECTS}/`;
const PARQUET_KEY = `parquet/bench-${PARQUET_MB}mb.parquet`;
const PARQUET_FILE = `/tmp/akili-bench-lake-${PARQUET_MB}mb.parquet`;
const PREVIEW_ROWS = 100;

const now = () => performance.now();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const secs = (millis: number) => `${(millis / 1000).toFixed(2)} s`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run \`make bench NAME=lake\` (it starts Ceph), or \`source /tmp/ceph.env\` first`,
    );
  }
  return value;
}

const endpoint = env('AKILI_TEST_S3_ENDPOINT');
const credentials = {
  accessKeyId: env('AKILI_TEST_S3_ACCESS_KEY'),
  secretAccessKey: env('AKILI_TEST_S3_SECRET_KEY'),
};
const s3 = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

async function inParallel<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        await fn(items[next++]);
      }
    }),
  );
}

async function exists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function prepareBucket(): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  }
}

/**
 * The folder of OBJECTS small objects: only the ones missing are uploaded, so an interrupted
 * upload goes on where it stopped at the next run.
 */
async function prepareObjects(): Promise<void> {
  const keys = Array.from(
    { length: OBJECTS },
    (_, i) => `${FOLDER}part-${String(i).padStart(7, '0')}.csv`,
  );
  const present = new Set<string>();
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: FOLDER,
        MaxKeys: 1000,
        ContinuationToken: token,
      }),
    );
    out.Contents?.forEach(c => present.add(c.Key!));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  const missing = keys.filter(k => !present.has(k));
  if (missing.length === 0) {
    console.log(`${OBJECTS} objects already in s3://${BUCKET}/${FOLDER}`);
    return;
  }
  const started = now();
  const body = Buffer.from('id,value\n1,2\n');
  let done = 0;
  await inParallel(missing, 32, async key => {
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: body,
        ContentLength: body.length,
      }),
    );
    done++;
    if (done % 5_000 === 0) {
      console.log(
        `  uploaded ${done} of ${missing.length} objects in ${secs(
          now() - started,
        )}`,
      );
    }
  });
  console.log(
    `uploaded ${missing.length} objects (${present.size} were there) in ${secs(
      now() - started,
    )}`,
  );
}

/** The Parquet file: written once to /tmp in row groups of 10,000 rows, uploaded once. */
async function prepareParquet(): Promise<number> {
  if (await exists(PARQUET_KEY)) {
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: PARQUET_KEY }),
    );
    console.log(`Parquet file already at s3://${BUCKET}/${PARQUET_KEY}`);
    return Number(head.ContentLength);
  }
  if (
    !existsSync(PARQUET_FILE) ||
    statSync(PARQUET_FILE).size < PARQUET_MB * 1024 * 1024 * 0.9
  ) {
    const started = now();
    const groupRows = 10_000;
    const payloadChars = 1000; // random base64url: snappy cannot shrink it
    const groups = Math.ceil(
      (PARQUET_MB * 1024 * 1024) / (groupRows * (payloadChars + 16)),
    );
    const columns = (group: number) => [
      {
        name: 'id',
        data: BigInt64Array.from({ length: groupRows }, (_, i) =>
          BigInt(group * groupRows + i),
        ),
        type: 'INT64' as const,
      },
      {
        name: 'at',
        data: Array.from(
          { length: groupRows },
          (_, i) =>
            new Date(Date.UTC(2026, 0, 1) + (group * groupRows + i) * 1000),
        ),
        type: 'TIMESTAMP' as const,
      },
      {
        name: 'payload',
        data: Array.from({ length: groupRows }, () =>
          randomBytes((payloadChars * 3) / 4).toString('base64url'),
        ),
        type: 'STRING' as const,
      },
    ];
    const writer = fileWriter(PARQUET_FILE);
    const parquet = new ParquetWriter({
      writer,
      schema: schemaFromColumnData({
        columnData: columns(0).map(c => ({ ...c, data: c.data.slice(0, 1) })),
      }),
      createdBy: 'akili bench/lake',
    });
    for (let g = 0; g < groups; g++) {
      await parquet.write({ columnData: columns(g), rowGroupSize: groupRows });
    }
    parquet.finish();
    console.log(
      `wrote ${PARQUET_FILE} (${mb(
        statSync(PARQUET_FILE).size,
      )}, ${groups} row groups) in ${secs(now() - started)}`,
    );
  }
  const size = statSync(PARQUET_FILE).size;
  const started = now();
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: PARQUET_KEY,
      Body: createReadStream(PARQUET_FILE),
      ContentLength: size,
    }),
  );
  console.log(`uploaded ${mb(size)} in ${secs(now() - started)}`);
  return size;
}

async function listBare(): Promise<number> {
  let token: string | undefined;
  let count = 0;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: FOLDER,
        Delimiter: '/',
        MaxKeys: 1000,
        ContinuationToken: token,
      }),
    );
    count += out.Contents?.length ?? 0;
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return count;
}

async function listLake(storage: LakeStorage): Promise<number> {
  const port = { bucket: BUCKET, prefix: '' };
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await storage.list(TENANT, port, FOLDER, {
      limit: 1000,
      cursor,
    });
    count += page.objects.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

/** What a reader that knows Parquet reads directly: HEAD, the footer, the first row group. */
async function previewBare(): Promise<number> {
  let bytesRead = 0;
  const range = async (start: number, end: number) => {
    const out = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: PARQUET_KEY,
        Range: `bytes=${start}-${end - 1}`,
      }),
    );
    const bytes = await out.Body!.transformToByteArray();
    bytesRead += bytes.length;
    return bytes;
  };
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: BUCKET, Key: PARQUET_KEY }),
  );
  const size = Number(head.ContentLength);
  const tail = await range(size - 8, size);
  const metadataLength = new DataView(tail.buffer, tail.byteOffset).getUint32(
    0,
    true,
  );
  const footer = await range(size - 8 - metadataLength, size);
  const metadata = parquetMetadata(
    footer.buffer.slice(
      footer.byteOffset,
      footer.byteOffset + footer.byteLength,
    ),
  );
  const first = metadata.row_groups[0];
  const starts = first.columns.map(c =>
    Number(
      c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset,
    ),
  );
  const ends = first.columns.map(
    (c, i) => starts[i] + Number(c.meta_data!.total_compressed_size),
  );
  await range(Math.min(...starts), Math.max(...ends));
  return bytesRead;
}

async function main() {
  await prepareBucket();
  const parquetSize = await prepareParquet();
  await prepareObjects();
  const storage = LakeStorage.fromConfig(
    new ConfigReader({
      lake: {
        s3: { endpoint, credentials, timeoutMs: 30_000 },
        bucket: 'akili-bench-{tenant}',
      },
    }),
  )!;

  // Listing: alternate the two so that neither gets a warmer RGW.
  await listBare();
  await listLake(storage);
  const bare: number[] = [];
  const lake: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let started = now();
    const n1 = await listBare();
    bare.push(now() - started);
    started = now();
    const n2 = await listLake(storage);
    lake.push(now() - started);
    if (n1 !== OBJECTS || n2 !== OBJECTS) {
      throw new Error(
        `listed ${n1} (bare) and ${n2} (lake) objects, expected ${OBJECTS}`,
      );
    }
  }
  const listRatio = median(lake) / median(bare);
  console.log(
    `list ${OBJECTS} objects in ${OBJECTS / 1000} pages: lake ${secs(
      median(lake),
    )} (${(median(lake) / (OBJECTS / 1000)).toFixed(
      1,
    )} ms a page) vs bare S3 client ${secs(
      median(bare),
    )}, ratio ${listRatio.toFixed(2)} (median of ${ROUNDS})`,
  );

  // Preview.
  const previewTimes: number[] = [];
  const bareTimes: number[] = [];
  let lakeBytes = 0;
  let bareBytes = 0;
  let groups = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let started = now();
    const preview = await storage.preview(
      TENANT,
      { bucket: BUCKET, prefix: '' },
      PARQUET_KEY,
      {
        rows: PREVIEW_ROWS,
      },
    );
    previewTimes.push(now() - started);
    lakeBytes = preview.bytesRead;
    groups = preview.rowGroups?.length ?? 0;
    if (preview.rows.length !== PREVIEW_ROWS) {
      throw new Error(`the preview gave ${preview.rows.length} rows`);
    }
    started = now();
    bareBytes = await previewBare();
    bareTimes.push(now() - started);
  }
  const byteRatio = lakeBytes / bareBytes;
  console.log(
    `preview ${PREVIEW_ROWS} rows of a ${mb(
      parquetSize,
    )} Parquet file (${groups} row groups): lake read ${mb(
      lakeBytes,
    )} in ${secs(
      median(previewTimes),
    )} vs footer + first row group directly ${mb(bareBytes)} in ${secs(
      median(bareTimes),
    )}, bytes ratio ${byteRatio.toFixed(2)}`,
  );
  storage.destroy();
  s3.destroy();
  console.log(
    `lake: list ${OBJECTS} objects ratio ${listRatio.toFixed(
      2,
    )} (goal <= 1.3); preview of ${mb(parquetSize)} read ${mb(
      lakeBytes,
    )} (goal: a few MB), ${byteRatio.toFixed(
      2,
    )} x the direct footer + first row group`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
