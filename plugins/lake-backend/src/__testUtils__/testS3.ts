import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/** S3 access keys. */
export interface TestS3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The Ceph RGW of the tests (`scripts/test-services/ceph.sh`, env in `/tmp/ceph.env`). */
export interface TestS3Env {
  endpoint: string;
  /** The platform's user: creates buckets. */
  platform: TestS3Credentials;
  /** One RGW user per test tenant (`acme`, `globex`). */
  tenants: Record<string, TestS3Credentials>;
}

const HOW_TO =
  'run the tests through `make test`, or first `eval "$(bash scripts/test-services/up.sh)"` ' +
  '(or `source /tmp/ceph.env` when Ceph is already up) at the repository root';

/**
 * The test S3 from `AKILI_TEST_S3_*`; undefined when `AKILI_TEST_S3_ENDPOINT` is unset outside
 * CI. In CI (`CI` set) a missing or malformed environment throws: S3 tests fail, never skip.
 */
export function testS3Env(): TestS3Env | undefined {
  const endpoint = process.env.AKILI_TEST_S3_ENDPOINT;
  if (!endpoint) {
    if (process.env.CI) {
      throw new Error(`AKILI_TEST_S3_ENDPOINT is not set in CI: ${HOW_TO}`);
    }
    return undefined;
  }
  const accessKeyId = process.env.AKILI_TEST_S3_ACCESS_KEY;
  const secretAccessKey = process.env.AKILI_TEST_S3_SECRET_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `AKILI_TEST_S3_ACCESS_KEY and AKILI_TEST_S3_SECRET_KEY must be set with AKILI_TEST_S3_ENDPOINT: ${HOW_TO}`,
    );
  }
  const tenants: Record<string, TestS3Credentials> = {};
  for (const entry of (process.env.AKILI_TEST_S3_TENANT_KEYS ?? '')
    .split(',')
    .filter(Boolean)) {
    const [tenant, ak, sk] = entry.split(':');
    if (!tenant || !ak || !sk) {
      throw new Error(
        `AKILI_TEST_S3_TENANT_KEYS must be "tenant:accessKey:secretKey,..."; "${tenant}:..." is not`,
      );
    }
    tenants[tenant] = { accessKeyId: ak, secretAccessKey: sk };
  }
  for (const tenant of ['acme', 'globex']) {
    if (!tenants[tenant]) {
      throw new Error(
        `AKILI_TEST_S3_TENANT_KEYS has no keys for tenant ${tenant}: ${HOW_TO}`,
      );
    }
  }
  return { endpoint, platform: { accessKeyId, secretAccessKey }, tenants };
}

/** The test S3, for code inside `describeWithS3` (which only runs when it is set). */
export function requireTestS3(): TestS3Env {
  const env = testS3Env();
  if (!env) {
    throw new Error(`AKILI_TEST_S3_ENDPOINT is not set: ${HOW_TO}`);
  }
  return env;
}

/**
 * `describe` for tests against the real Ceph RGW: runs when `AKILI_TEST_S3_ENDPOINT` is set,
 * throws in CI when it is not, and is skipped with a message naming what to run otherwise.
 */
export function describeWithS3(name: string, fn: () => void): void {
  if (testS3Env()) {
    // eslint-disable-next-line jest/valid-describe-callback, jest/valid-title
    describe(name, fn);
  } else {
    // eslint-disable-next-line no-console
    console.warn(
      `Skipping "${name}": AKILI_TEST_S3_ENDPOINT is not set (${HOW_TO})`,
    );
    // eslint-disable-next-line jest/valid-describe-callback, jest/no-disabled-tests
    describe.skip(`${name} (skipped: AKILI_TEST_S3_ENDPOINT is not set)`, fn);
  }
}

/** An S3 client as the lake builds one (path style, checksums only when required). */
export function testS3Client(credentials?: TestS3Credentials): S3Client {
  const env = requireTestS3();
  return new S3Client({
    endpoint: env.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: credentials ?? env.platform,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A bucket name no other test run uses: `lake-test-<label>-<random>`. */
export function uniqueBucketName(label: string): string {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 30);
  return `lake-test-${safe}-${randomBytes(5).toString('hex')}`;
}

/** Runs `fn` over `items`, at most `concurrency` at a time. */
export async function inParallel<T>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from(
    { length: Math.min(concurrency, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        await fn(items[index], index);
      }
    },
  );
  await Promise.all(workers);
}

/** Uploads objects (`[key, body]`), `concurrency` at a time. */
export async function putObjects(
  client: S3Client,
  bucket: string,
  objects: Array<[string, string | Uint8Array]>,
  concurrency = 16,
): Promise<void> {
  await inParallel(objects, concurrency, async ([key, body]) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.length,
      }),
    );
  });
}

/** Deletes every object of a bucket (1,000 per request), then the bucket. */
export async function deleteBucket(
  client: S3Client,
  bucket: string,
): Promise<void> {
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }),
    );
    const keys = (page.Contents ?? []).map(c => ({ Key: c.Key! }));
    if (keys.length === 0) {
      break;
    }
    await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys, Quiet: true },
      }),
    );
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** Buckets created for one test file, deleted (with their objects) after it. */
export interface TestBuckets {
  /**
   * Creates a bucket owned by `owner` (`'platform'` or a tenant's RGW user: only the owner's
   * keys can read it) and returns its name.
   */
  create(owner: string, label: string): Promise<string>;
  /** The client acting as `owner`. */
  client(owner: string): S3Client;
}

/**
 * Creates buckets with unique names for the tests of a file and deletes them in `afterAll`.
 * Call at the top of a `describeWithS3` block.
 */
export function useTestBuckets(): TestBuckets {
  const created: Array<{ owner: string; bucket: string }> = [];
  const clients = new Map<string, S3Client>();
  const client = (owner: string) => {
    let c = clients.get(owner);
    if (!c) {
      const env = requireTestS3();
      const credentials =
        owner === 'platform' ? env.platform : env.tenants[owner];
      if (!credentials) {
        throw new Error(`No test S3 user for ${owner}`);
      }
      c = testS3Client(credentials);
      clients.set(owner, c);
    }
    return c;
  };
  afterAll(async () => {
    const failures: string[] = [];
    for (const { owner, bucket } of created) {
      try {
        await deleteBucket(client(owner), bucket);
      } catch (error) {
        failures.push(`${bucket}: ${(error as Error).message}`);
      }
    }
    clients.forEach(c => c.destroy());
    if (failures.length > 0) {
      throw new Error(`Test buckets left behind: ${failures.join('; ')}`);
    }
  });
  return {
    client,
    async create(owner, label) {
      const bucket = uniqueBucketName(label);
      await client(owner).send(new CreateBucketCommand({ Bucket: bucket }));
      created.push({ owner, bucket });
      return bucket;
    },
  };
}

/**
 * `lake` app-config for the test S3: the platform's keys, and for each tenant given its bucket
 * and (unless `credentials: 'platform'`) its own RGW user's keys.
 */
export function testLakeConfig(options: {
  tenants: Record<
    string,
    { bucket: string; prefix?: string; credentials?: 'own' | 'platform' }
  >;
  s3?: Record<string, unknown>;
  lake?: Record<string, unknown>;
}): { lake: Record<string, unknown> } {
  const env = requireTestS3();
  const tenants: Record<string, unknown> = {};
  for (const [tenant, t] of Object.entries(options.tenants)) {
    tenants[tenant] = {
      bucket: t.bucket,
      ...(t.prefix !== undefined ? { prefix: t.prefix } : {}),
      ...(t.credentials === 'platform'
        ? {}
        : { credentials: env.tenants[tenant] }),
    };
  }
  return {
    lake: {
      s3: {
        endpoint: env.endpoint,
        credentials: env.platform,
        ...options.s3,
      },
      tenants,
      ...options.lake,
    },
  };
}
