import { Readable } from 'node:stream';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { LakeFolder, LakeObject } from '@akili/plugin-lake-common';
import {
  LakeS3Credentials,
  LakeStorageConfig,
  readLakeStorageConfig,
  tenantArea,
} from './config';
import { LakePreviewError, S3Operation, mapS3Error } from './errors';
import {
  checkPrefix,
  cursorKey,
  decodeCursor,
  encodeCursor,
  fileKey,
  folderPrefix,
  isInside,
  partitionOf,
  previewFormatOf,
} from './paths';
import { RangeSource, previewParquet } from './parquetPreview';
import {
  TEXT_PREVIEW_BYTES,
  previewCsv,
  previewJsonLines,
} from './textPreview';
import {
  LakeArea,
  LakeMeasurement,
  LakeStorageApi,
  LakeStoragePage,
  RawPreview,
} from './types';

/** Most objects (and folders) in one page of a listing: S3's own page. */
export const MAX_LIST_LIMIT = 1000;
/** Most rows a preview returns. */
export const MAX_PREVIEW_ROWS = 1000;

/**
 * The lake's storage on an S3 API (Ceph RGW): each tenant's area and credentials from
 * `lake` config, every path checked before any request, every request bounded by
 * `lake.s3.timeoutMs` (the body of small reads included).
 */
export class LakeStorage implements LakeStorageApi {
  readonly #config: LakeStorageConfig;
  readonly #clients = new Map<string, S3Client>();
  readonly #presignClients = new Map<string, S3Client>();
  readonly #now: () => Date;
  readonly #logger: LoggerService | undefined;
  readonly #cursorKey: Buffer;

  /**
   * The storage of `lake` config; undefined when `lake.s3` is not set. A bad value throws,
   * naming its key.
   */
  static fromConfig(
    config: Config,
    options: { logger?: LoggerService } = {},
  ): LakeStorage | undefined {
    const storage = readLakeStorageConfig(config);
    return storage ? new LakeStorage(storage, options) : undefined;
  }

  constructor(
    config: LakeStorageConfig,
    options: { logger?: LoggerService; now?: () => Date } = {},
  ) {
    this.#config = config;
    this.#logger = options.logger;
    this.#cursorKey = cursorKey(
      [
        config.credentials?.secretAccessKey,
        ...Object.keys(config.tenants)
          .sort()
          .map(t => config.tenants[t].credentials?.secretAccessKey),
        config.endpoint,
      ]
        .filter(Boolean)
        .join('\n'),
    );
    this.#now = options.now ?? (() => new Date());
  }

  /** The endpoint requests go to (for messages). */
  get endpoint(): string {
    return this.#config.endpoint;
  }

  /** Longest validity of a presigned URL, in seconds. */
  get maxPresignSeconds(): number {
    return this.#config.presign.maxExpirySeconds;
  }

  areaOf(tenant: string): LakeArea {
    return tenantArea(this.#config, tenant);
  }

  resolvePort(
    tenant: string,
    location: { bucket: string; prefix: string },
  ): LakeArea | { problem: string } {
    const area = this.areaOf(tenant);
    const where = `s3://${area.bucket}/${area.prefix}`;
    const bucket = location?.bucket;
    const rawPrefix = location?.prefix ?? '';
    if (typeof bucket !== 'string' || typeof rawPrefix !== 'string') {
      return { problem: 'the port has no S3 bucket and prefix' };
    }
    if (bucket !== area.bucket) {
      return {
        problem: `the port's bucket ${JSON.stringify(
          bucket,
        )} is not tenant ${tenant}'s storage (${where})`,
      };
    }
    const prefix =
      rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
    const problem = checkPrefix(prefix);
    if (problem) {
      return {
        problem: `the port's prefix ${JSON.stringify(
          rawPrefix,
        )} is not allowed: ${problem}`,
      };
    }
    if (!prefix.startsWith(area.prefix)) {
      return {
        problem: `the port's prefix ${JSON.stringify(
          rawPrefix,
        )} is outside tenant ${tenant}'s storage (${where})`,
      };
    }
    return { bucket, prefix };
  }

  async list(
    tenant: string,
    port: LakeArea,
    relPath: string,
    options: { cursor?: string; limit: number },
  ): Promise<LakeStoragePage> {
    this.#checkPort(tenant, port);
    const limit = options.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new InputError(
        `The limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, not ${limit}`,
      );
    }
    const folder = folderPrefix(port, relPath);
    const token =
      options.cursor !== undefined && options.cursor !== ''
        ? decodeCursor(
            this.#cursorKey,
            options.cursor,
            port.bucket,
            folder.prefix,
          )
        : undefined;
    const op = {
      name: 'ListObjectsV2',
      bucket: port.bucket,
      key: folder.prefix,
    };
    const out: ListObjectsV2CommandOutput = await this.#call(op, signal =>
      this.#client(tenant).send(
        new ListObjectsV2Command({
          Bucket: port.bucket,
          Prefix: folder.prefix,
          Delimiter: '/',
          MaxKeys: limit,
          ContinuationToken: token,
        }),
        { abortSignal: signal },
      ),
    );
    const folders: LakeFolder[] = [];
    for (const common of out.CommonPrefixes ?? []) {
      const full = common.Prefix;
      if (!full || !full.startsWith(folder.prefix) || full === folder.prefix) {
        continue;
      }
      const path = full.slice(port.prefix.length);
      const entry: LakeFolder = {
        name: path.slice(folder.path.length, -1),
        path,
      };
      const partition = partitionOf(path);
      if (partition) {
        entry.partition = partition;
      }
      folders.push(entry);
    }
    const objects: LakeObject[] = [];
    const folderPartition = partitionOf(folder.path);
    for (const content of out.Contents ?? []) {
      const key = content.Key;
      // The folder's own marker object (`folder/`, size 0) is not a file of it.
      if (!key || !key.startsWith(folder.prefix) || key === folder.prefix) {
        continue;
      }
      const path = key.slice(port.prefix.length);
      const name = path.slice(folder.path.length);
      const entry: LakeObject = {
        name,
        path,
        size: Number(content.Size ?? 0),
        lastModified: (content.LastModified ?? new Date(0)).toISOString(),
      };
      if (folderPartition) {
        entry.partition = folderPartition;
      }
      const format = previewFormatOf(name);
      if (format) {
        entry.previewFormat = format;
      }
      objects.push(entry);
    }
    const page: LakeStoragePage = { folders, objects };
    if (out.IsTruncated && out.NextContinuationToken) {
      page.nextCursor = encodeCursor(
        this.#cursorKey,
        port.bucket,
        folder.prefix,
        out.NextContinuationToken,
      );
    }
    return page;
  }

  async preview(
    tenant: string,
    port: LakeArea,
    relPath: string,
    options: { rows: number },
  ): Promise<RawPreview> {
    this.#checkPort(tenant, port);
    const rows = options.rows;
    if (!Number.isInteger(rows) || rows < 0 || rows > MAX_PREVIEW_ROWS) {
      throw new InputError(
        `The rows of a preview must be a whole number from 0 to ${MAX_PREVIEW_ROWS}, not ${rows}`,
      );
    }
    const key = fileKey(port, relPath);
    const format = previewFormatOf(relPath);
    if (!format) {
      throw new LakePreviewError(
        `${relPath} cannot be previewed: only Parquet (.parquet), CSV (.csv) and JSON lines (.jsonl, .ndjson, .json) files are`,
      );
    }
    const size = await this.#head(tenant, port.bucket, key);
    let bytesRead = 0;
    const source: RangeSource = {
      byteLength: size,
      read: async (start, end) => {
        const bytes = await this.#readRange(
          tenant,
          port.bucket,
          key,
          start,
          end,
        );
        bytesRead += bytes.length;
        return bytes;
      },
    };
    if (format === 'parquet') {
      const parquet = await previewParquet(source, { rows });
      return {
        format,
        size,
        columns: parquet.columns,
        rows: parquet.rows,
        totalRows: parquet.totalRows,
        rowGroups: parquet.rowGroups,
        createdBy: parquet.createdBy,
        bytesRead,
        truncated: parquet.truncated,
      };
    }
    const length = Math.min(size, TEXT_PREVIEW_BYTES);
    const bytes = length > 0 ? await source.read(0, length) : new Uint8Array(0);
    const parse = format === 'csv' ? previewCsv : previewJsonLines;
    const text = parse(bytes, { rows, complete: length === size });
    return {
      format,
      size,
      columns: text.columns,
      rows: text.rows,
      bytesRead,
      truncated: text.truncated,
    };
  }

  async presign(
    tenant: string,
    port: LakeArea,
    relPath: string,
    options: { expiresInSeconds: number },
  ): Promise<{ url: string; expiresAt: string; size: number }> {
    this.#checkPort(tenant, port);
    const requested = options.expiresInSeconds;
    if (!Number.isInteger(requested) || requested < 1) {
      throw new InputError(
        `A download link's validity must be a whole number of seconds, at least 1, not ${requested}`,
      );
    }
    const expiresIn = Math.min(
      requested,
      this.#config.presign.maxExpirySeconds,
    );
    const key = fileKey(port, relPath);
    const size = await this.#head(tenant, port.bucket, key);
    const name = key.slice(key.lastIndexOf('/') + 1);
    const signedAt = this.#now();
    const url = await getSignedUrl(
      this.#client(tenant, { presign: true }),
      new GetObjectCommand({
        Bucket: port.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(
          name,
        )}`,
      }),
      { expiresIn, signingDate: signedAt },
    );
    return {
      url,
      expiresAt: new Date(signedAt.getTime() + expiresIn * 1000).toISOString(),
      size,
    };
  }

  async measure(
    tenant: string,
    groups: Array<{ key: string; prefix: string }>,
  ): Promise<LakeMeasurement> {
    const area = this.areaOf(tenant);
    // An object counts in the group of the longest prefix holding it (nested ports of one
    // product, or of two, are never counted twice).
    const byPrefix = new Map<string, string>();
    for (const group of groups) {
      const problem = checkPrefix(group.prefix);
      if (problem || !group.prefix.startsWith(area.prefix)) {
        throw new InputError(
          `The prefix ${JSON.stringify(group.prefix)} of ${
            group.key
          } is not inside tenant ${tenant}'s storage s3://${area.bucket}/${
            area.prefix
          }${problem ? `: ${problem}` : ''}`,
        );
      }
      byPrefix.set(group.prefix, group.key);
    }
    const measurement: LakeMeasurement = {
      objects: 0,
      bytes: 0,
      groups: new Map(groups.map(g => [g.key, { objects: 0, bytes: 0 }])),
    };
    let token: string | undefined;
    const op = { name: 'ListObjectsV2', bucket: area.bucket, key: area.prefix };
    do {
      const input = {
        Bucket: area.bucket,
        Prefix: area.prefix,
        MaxKeys: MAX_LIST_LIMIT,
        ContinuationToken: token,
      };
      const out: ListObjectsV2CommandOutput = await this.#call(op, signal =>
        this.#client(tenant).send(new ListObjectsV2Command(input), {
          abortSignal: signal,
        }),
      );
      for (const content of out.Contents ?? []) {
        const key = content.Key ?? '';
        const size = Number(content.Size ?? 0);
        measurement.objects += 1;
        measurement.bytes += size;
        const groupKey = groupOf(byPrefix, key);
        if (groupKey !== undefined) {
          const g = measurement.groups.get(groupKey)!;
          g.objects += 1;
          g.bytes += size;
        }
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return measurement;
  }

  /** Refuses a port outside the tenant's area, whatever the caller passed. */
  #checkPort(tenant: string, port: LakeArea): void {
    const resolved = this.resolvePort(tenant, port);
    if (
      'problem' in resolved ||
      resolved.prefix !== port.prefix ||
      !isInside(resolved, this.areaOf(tenant))
    ) {
      throw new NotAllowedError(
        `Not tenant ${tenant}'s files: ${
          'problem' in resolved
            ? resolved.problem
            : 'the port is not normalized'
        }`,
      );
    }
  }

  async #head(tenant: string, bucket: string, key: string): Promise<number> {
    const out = await this.#call({ name: 'HeadObject', bucket, key }, signal =>
      this.#client(tenant).send(
        new HeadObjectCommand({ Bucket: bucket, Key: key }),
        { abortSignal: signal },
      ),
    );
    return Number(out.ContentLength ?? 0);
  }

  /** Bytes `[start, end)` of an object, in one ranged GET bounded by the timeout. */
  async #readRange(
    tenant: string,
    bucket: string,
    key: string,
    start: number,
    end: number,
  ): Promise<Uint8Array> {
    return this.#call({ name: 'GetObject', bucket, key }, async signal => {
      const out = await this.#client(tenant).send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: `bytes=${start}-${end - 1}`,
        }),
        { abortSignal: signal },
      );
      const body = out.Body as
        | (Readable & { transformToByteArray(): Promise<Uint8Array> })
        | undefined;
      if (!body) {
        return new Uint8Array(0);
      }
      const stop = () => body.destroy();
      signal.addEventListener('abort', stop, { once: true });
      try {
        const bytes = await body.transformToByteArray();
        if (bytes.length !== end - start) {
          throw new LakePreviewError(
            `The file changed while it was read (bytes ${start}-${
              end - 1
            } gave ${bytes.length} bytes)`,
          );
        }
        return bytes;
      } finally {
        signal.removeEventListener('abort', stop);
      }
    });
  }

  /**
   * Runs one S3 call under the timeout (an abort signal for the SDK, and a race so that a body
   * the SDK would keep waiting for cannot hold the caller) and maps its failure.
   */
  async #call<T>(
    op: S3Operation,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const { timeoutMs, endpoint } = this.#config;
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new Error('timeout'));
      }, timeoutMs);
    });
    const work = fn(controller.signal);
    work.catch(() => {}); // settled by the race below; a late rejection is not unhandled
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      const mapped = mapS3Error(error, { endpoint, timeoutMs, timedOut, op });
      if (mapped.name !== 'NotFoundError' && mapped !== error) {
        this.#logger?.warn('Lake S3 request failed', {
          operation: op.name,
          bucket: op.bucket,
          error: mapped.message,
          s3Error: (error as Error)?.name,
        });
      }
      throw mapped;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The S3 client acting for `tenant` (its own credentials when configured, else the
   * platform's), for the owner's operations on its bucket (the agreements' bucket policies).
   */
  clientOf(tenant: string): S3Client {
    return this.#client(tenant);
  }

  /** The client of a tenant: its own credentials when configured, else the platform's. */
  #client(tenant: string, options: { presign?: boolean } = {}): S3Client {
    const credentials =
      this.#config.tenants[tenant]?.credentials ?? this.#config.credentials;
    const presignEndpoint = options.presign
      ? this.#config.presign.endpoint
      : undefined;
    const clients = presignEndpoint ? this.#presignClients : this.#clients;
    const id = credentials?.accessKeyId ?? '';
    let client = clients.get(id);
    if (!client) {
      client = this.#createClient(
        credentials,
        presignEndpoint ?? this.#config.endpoint,
      );
      clients.set(id, client);
    }
    return client;
  }

  #createClient(
    credentials: LakeS3Credentials | undefined,
    endpoint: string,
  ): S3Client {
    const { timeoutMs } = this.#config;
    return new S3Client({
      endpoint,
      region: this.#config.region,
      forcePathStyle: this.#config.forcePathStyle,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
      // The SDK builds its Node handler from these options.
      requestHandler: {
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
      },
    });
  }

  /** Closes the clients' connections. */
  destroy(): void {
    for (const client of [
      ...this.#clients.values(),
      ...this.#presignClients.values(),
    ]) {
      client.destroy();
    }
    this.#clients.clear();
    this.#presignClients.clear();
  }
}

/** The group of the longest of `byPrefix`'s prefixes (each `''` or ending with `/`) holding `key`. */
function groupOf(
  byPrefix: Map<string, string>,
  key: string,
): string | undefined {
  for (let i = key.lastIndexOf('/'); i >= 0; i = key.lastIndexOf('/', i - 1)) {
    const group = byPrefix.get(key.slice(0, i + 1));
    if (group !== undefined) {
      return group;
    }
    if (i === 0) {
      break;
    }
  }
  return byPrefix.get('');
}
