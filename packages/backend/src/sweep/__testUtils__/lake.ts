import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { JsonObject } from '@backstage/config';
import { stringify } from 'yaml';
import { sweepMarker, TENANT_A, TENANT_B, TenantFixture } from './fixtures';

/**
 * The tenant outside the sweep that is the other party of the sweep tenants' access agreements
 * (an agreement between the two sweep tenants is legitimately visible to both).
 */
export const AGREEMENT_PEER_TENANT = 'initech';

/**
 * The data product of the lake fixture, in each sweep tenant and in the agreement peer: a
 * `files` port holding one CSV file (sweep tenants), and the ports the agreement fixtures name.
 */
export const LAKE_PRODUCT = TENANT_A.lakeProduct;

/** The files port with the fixture's file; the file's path inside the port. */
export const LAKE_PORT = TENANT_A.lakePort;
export const LAKE_FILE = TENANT_A.lakeFile;

/** Ports of a sweep tenant's lake product that the peer's agreements name, one per decision. */
export const PROVIDER_PORTS = {
  approve: 'sweep_approve',
  reject: 'sweep_reject',
  revoke: 'sweep_revoke',
} as const;

/** Ports of the peer's lake product that the sweep tenants ask for. */
export const PEER_PORTS = {
  /** Requested by each sweep tenant's developer at setup: the withdraw case withdraws it. */
  withdraw: 'sweep_withdraw',
  /** Requested by the create case. */
  request: 'sweep_request',
} as const;

const HOW_TO =
  'run scripts/test-services/up.sh and `source /tmp/ceph.env` (the sweep calls the lake routes against the test Ceph RGW)';

interface S3Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The test Ceph RGW of the test services: the platform's keys and each tenant's own user. */
function testS3(): {
  endpoint: string;
  platform: S3Keys;
  tenants: Record<string, S3Keys>;
} {
  const endpoint = process.env.AKILI_TEST_S3_ENDPOINT;
  const accessKeyId = process.env.AKILI_TEST_S3_ACCESS_KEY;
  const secretAccessKey = process.env.AKILI_TEST_S3_SECRET_KEY;
  // The sweep needs the lake: without S3 it fails (in CI and locally), it never skips.
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    throw new Error(
      `AKILI_TEST_S3_ENDPOINT, AKILI_TEST_S3_ACCESS_KEY and AKILI_TEST_S3_SECRET_KEY must be set: ${HOW_TO}`,
    );
  }
  const tenants: Record<string, S3Keys> = {};
  for (const entry of (process.env.AKILI_TEST_S3_TENANT_KEYS ?? '')
    .split(',')
    .filter(Boolean)) {
    const [tenant, ak, sk] = entry.split(':');
    if (tenant && ak && sk) {
      tenants[tenant] = { accessKeyId: ak, secretAccessKey: sk };
    }
  }
  for (const t of [TENANT_A, TENANT_B]) {
    if (!tenants[t.tenant]) {
      throw new Error(
        `AKILI_TEST_S3_TENANT_KEYS has no keys for tenant ${t.tenant}: ${HOW_TO}`,
      );
    }
  }
  return { endpoint, platform: { accessKeyId, secretAccessKey }, tenants };
}

function client(endpoint: string, credentials: S3Keys): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A tenant's lake product manifest: its files ports, all in the tenant's bucket. */
function lakeManifest(
  tenant: string,
  bucket: string,
  ports: string[],
): Record<string, unknown> {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: LAKE_PRODUCT,
      namespace: tenant,
      title: `Sweep files (${sweepMarker(tenant)})`,
    },
    spec: {
      type: 'source-aligned',
      lifecycle: 'experimental',
      owner: `group:${tenant}/sweep-team`,
      domain: 'sales',
      version: '1.0.0',
      outputPorts: ports.map(port => ({
        name: port,
        kind: 'files',
        location: { s3: { bucket, prefix: `${port}/`, format: 'csv' } },
        schema: [
          { name: 'id', type: 'string' },
          { name: 'note', type: 'string', classification: 'confidential' },
        ],
      })),
    },
  };
}

/** The lake of the sweep: a bucket per sweep tenant on the test Ceph RGW, with one file. */
export interface SweepLake {
  /** Each sweep tenant's bucket (unique to this run). */
  buckets: Record<string, string>;
  /** `lake` app-config: the test S3, each sweep tenant's bucket and own RGW user. */
  config(): JsonObject;
  /**
   * Writes the lake products (`<dir>/<tenant>/sweep-files/dataproduct.yaml`) for a catalog
   * provider folder, and returns the folder.
   */
  writeProducts(dir: string): string;
  /** Deletes the buckets and their objects (once). */
  stop(): Promise<void>;
}

/**
 * Creates a bucket for each sweep tenant, owned by the tenant's own RGW user (only its keys read
 * it), and puts the fixture's file in the files port: a CSV whose rows carry the tenant's marker.
 */
export async function startSweepLake(): Promise<SweepLake> {
  const s3 = testS3();
  const buckets: Record<string, string> = {};
  const clients: Record<string, S3Client> = {};
  const created: string[] = [];
  const stop = async () => {
    const failures: string[] = [];
    for (const tenant of created) {
      const c = clients[tenant];
      const bucket = buckets[tenant];
      try {
        for (;;) {
          const page = await c.send(
            new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }),
          );
          const keys = (page.Contents ?? []).map(o => ({ Key: o.Key! }));
          if (keys.length === 0) break;
          await c.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: keys, Quiet: true },
            }),
          );
        }
        await c.send(new DeleteBucketCommand({ Bucket: bucket }));
      } catch (error) {
        failures.push(`${bucket}: ${(error as Error).message}`);
      }
    }
    // Once: the backend's shutdown and a failed start may both stop the lake.
    created.length = 0;
    Object.values(clients).forEach(c => c.destroy());
    if (failures.length) {
      throw new Error(`Sweep buckets left behind: ${failures.join('; ')}`);
    }
  };
  try {
    for (const t of [TENANT_A, TENANT_B] as TenantFixture[]) {
      const c = client(s3.endpoint, s3.tenants[t.tenant]);
      clients[t.tenant] = c;
      // Not `akili-<...>`: the default bucket template would give that bucket to a tenant.
      const bucket = `sweep-lake-${t.tenant}-${crypto
        .randomBytes(5)
        .toString('hex')}`;
      buckets[t.tenant] = bucket;
      await c.send(new CreateBucketCommand({ Bucket: bucket }));
      created.push(t.tenant);
      const body = Buffer.from(
        `id,note\n1,${sweepMarker(t.tenant)}\n2,${t.tenant} confidential\n`,
      );
      await c.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${LAKE_PORT}/${LAKE_FILE}`,
          Body: body,
          ContentLength: body.length,
        }),
      );
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw new Error(
      `Could not prepare the sweep's lake on ${s3.endpoint}: ${
        (error as Error).message
      } (${HOW_TO})`,
    );
  }
  return {
    buckets,
    config: () => ({
      s3: { endpoint: s3.endpoint, credentials: { ...s3.platform } },
      tenants: Object.fromEntries(
        Object.entries(buckets).map(([tenant, bucket]) => [
          tenant,
          { bucket, credentials: { ...s3.tenants[tenant] } },
        ]),
      ),
    }),
    writeProducts(dir) {
      const write = (tenant: string, manifest: Record<string, unknown>) => {
        const folder = path.join(dir, tenant, LAKE_PRODUCT);
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(
          path.join(folder, 'dataproduct.yaml'),
          stringify(manifest),
        );
      };
      for (const [tenant, bucket] of Object.entries(buckets)) {
        write(
          tenant,
          lakeManifest(tenant, bucket, [
            LAKE_PORT,
            ...Object.values(PROVIDER_PORTS),
          ]),
        );
      }
      write(
        AGREEMENT_PEER_TENANT,
        lakeManifest(
          AGREEMENT_PEER_TENANT,
          `akili-${AGREEMENT_PEER_TENANT}`,
          Object.values(PEER_PORTS),
        ),
      );
      return dir;
    },
    stop,
  };
}
