import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AccessAgreement } from '@akili/plugin-lake-common';
import { filePortsOf } from '../../service/filePorts';
import { LakeArea } from '../../storage/types';
import {
  agreementStatements,
  BucketGrant,
  BucketPolicyDocument,
  desiredPolicy,
  parsePolicy,
  policyPrefixProblem,
  samePolicy,
} from './policyDocument';

/** Where the agreements in force come from ({@link AccessAgreementStore.allInForce}). */
export interface InForceAgreements {
  allInForce(): Promise<AccessAgreement[]>;
}

/** What the reconciler needs of the lake's storage ({@link LakeStorage}). */
export interface BucketPolicyStorage {
  areaOf(tenant: string): LakeArea;
  resolvePort(
    tenant: string,
    location: { bucket: string; prefix: string },
  ): LakeArea | { problem: string };
  clientOf(tenant: string): S3Client;
}

/** What one round did to one bucket. */
export interface BucketPolicyChange {
  bucket: string;
  /** The tenant whose bucket it is (and whose credentials wrote it). */
  tenant: string;
  action: 'unchanged' | 'put' | 'deleted' | 'failed';
  /** The managed grants it holds now (`consumer:prefix`). */
  grants: string[];
  error?: string;
}

const NO_POLICY = new Set(['NoSuchBucketPolicy']);

/**
 * The lake's own enforcement of access agreements, for direct S3 reads: makes each provider
 * tenant's bucket policy let the RGW user of each consumer tenant with an agreement in force
 * read (`s3:GetObject`) and list (`s3:ListBucket` with `s3:prefix`) exactly the files of the
 * agreed port (its prefix), and nothing else. The portal's statements carry `Sid`s starting
 * with `akili-agreement-`; a statement without it is someone else's and kept as it is. A
 * managed statement no agreement in force asks for (revoked, expired, or made by hand) is
 * removed; the policy is written only when it differs and deleted when nothing is left.
 * Consumer tenants without `lake.tenants.<tenant>.rgwUser` are skipped (logged). Rounds run one
 * at a time; a bucket that fails is logged and left for the next round.
 */
export class BucketPolicyReconciler {
  readonly #storage: BucketPolicyStorage;
  readonly #agreements: InForceAgreements;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #rgwUsers: Record<string, string>;
  /** Tenants whose buckets every round looks at: configured, or once a provider. */
  readonly #tenants: Set<string>;
  #running: Promise<unknown> = Promise.resolve();
  #queued: Promise<BucketPolicyChange[]> | undefined;

  constructor(options: {
    storage: BucketPolicyStorage;
    agreements: InForceAgreements;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    rgwUsers: Record<string, string>;
    /** The tenants of `lake.tenants`. */
    tenants?: string[];
  }) {
    this.#storage = options.storage;
    this.#agreements = options.agreements;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#rgwUsers = options.rgwUsers;
    this.#tenants = new Set(options.tenants ?? []);
  }

  /**
   * One round over every bucket (after the one running, if any; calls made while one waits share
   * it). Throws only when the agreements or the catalog cannot be read.
   */
  reconcile(): Promise<BucketPolicyChange[]> {
    if (this.#queued) return this.#queued;
    const round = this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#round();
      });
    this.#queued = round;
    this.#running = round;
    return round;
  }

  /** {@link reconcile} in the background (for transitions): failures are logged. */
  reconcileSoon(): void {
    this.reconcile().catch(error =>
      this.#logger.warn('Bucket policies could not be reconciled', {
        error: String(error),
      }),
    );
  }

  async #round(): Promise<BucketPolicyChange[]> {
    const agreements = await this.#agreements.allInForce();
    const grants = await this.#grants(agreements);

    // Each bucket once, written with the credentials of the first tenant whose area it holds.
    const owners = new Map<string, string>();
    const tenants = [
      ...this.#tenants,
      ...agreements.map(a => a.provider.tenant),
    ].sort();
    for (const tenant of tenants) {
      let area: LakeArea;
      try {
        area = this.#storage.areaOf(tenant);
      } catch (error) {
        this.#logger.warn('No lake storage for tenant', {
          tenant,
          error: String(error),
        });
        continue;
      }
      this.#tenants.add(tenant);
      if (!owners.has(area.bucket)) owners.set(area.bucket, tenant);
    }

    const changes: BucketPolicyChange[] = [];
    for (const [bucket, tenant] of owners) {
      const bucketGrants = grants.get(bucket) ?? [];
      const shown = bucketGrants.map(g => `${g.consumerTenant}:${g.prefix}`);
      try {
        const action = await this.#apply(
          this.#storage.clientOf(tenant),
          bucket,
          bucketGrants,
        );
        if (action !== 'unchanged') {
          this.#logger.info('Bucket policy written for the access agreements', {
            bucket,
            tenant,
            action,
            grants: shown.join(','),
          });
        }
        changes.push({ bucket, tenant, action, grants: shown });
      } catch (error) {
        this.#logger.warn('Bucket policy could not be reconciled', {
          bucket,
          tenant,
          error: String(error),
        });
        changes.push({
          bucket,
          tenant,
          action: 'failed',
          grants: shown,
          error: String(error),
        });
      }
    }
    return changes;
  }

  async #apply(
    client: S3Client,
    bucket: string,
    grants: BucketGrant[],
  ): Promise<BucketPolicyChange['action']> {
    let current: BucketPolicyDocument | undefined;
    try {
      const out = await client.send(
        new GetBucketPolicyCommand({ Bucket: bucket }),
      );
      current = out.Policy ? parsePolicy(bucket, out.Policy) : undefined;
    } catch (error) {
      const name = (error as Error).name;
      // A tenant's bucket not made yet has nothing to grant on, nor to take back.
      if (name === 'NoSuchBucket' && grants.length === 0) return 'unchanged';
      if (!NO_POLICY.has(name)) throw error;
    }
    const next = desiredPolicy(current, agreementStatements(bucket, grants));
    if (samePolicy(current, next)) return 'unchanged';
    if (!next) {
      await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      return 'deleted';
    }
    await client.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify(next),
      }),
    );
    return 'put';
  }

  /** The grants of the agreements in force, by bucket; those that cannot be granted are logged. */
  async #grants(
    agreements: AccessAgreement[],
  ): Promise<Map<string, BucketGrant[]>> {
    const refs = [
      ...new Set(
        agreements.flatMap(a => {
          try {
            return [stringifyEntityRef(parseEntityRef(a.provider.product))];
          } catch {
            return [];
          }
        }),
      ),
    ];
    const entities = new Map<string, Entity>();
    if (refs.length > 0) {
      const { items } = await this.#catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'spec.outputPorts',
          ],
        },
        { credentials: await this.#auth.getOwnServiceCredentials() },
      );
      items.forEach((entity, i) => {
        if (entity) entities.set(refs[i], entity);
      });
    }

    const byBucket = new Map<string, Map<string, BucketGrant>>();
    const noUser = new Set<string>();
    for (const a of agreements) {
      const provider = a.provider.tenant;
      const consumer = a.consumer.tenant;
      if (consumer === provider) continue;
      const rgwUser = this.#rgwUsers[consumer];
      if (!rgwUser) {
        noUser.add(consumer);
        continue;
      }
      const skip = (reason: string) =>
        this.#logger.warn('Access agreement not granted on S3', {
          agreement: a.id,
          provider,
          consumer,
          reason,
        });
      let ref: string;
      try {
        ref = stringifyEntityRef(parseEntityRef(a.provider.product));
      } catch {
        skip(`"${a.provider.product}" is not an entity ref`);
        continue;
      }
      const entity = entities.get(ref);
      if (!entity || entity.metadata.namespace !== provider) {
        skip(`${ref} is not a data product of tenant ${provider}`);
        continue;
      }
      const port = filePortsOf(entity).find(
        p => p.port.name === a.provider.port,
      );
      if (!port) {
        skip(`${ref} has no files port ${a.provider.port}`);
        continue;
      }
      const resolved = this.#storage.resolvePort(provider, port.location);
      if ('problem' in resolved) {
        skip(resolved.problem);
        continue;
      }
      const problem = policyPrefixProblem(resolved.prefix);
      if (problem) {
        skip(problem);
        continue;
      }
      const grants = byBucket.get(resolved.bucket) ?? new Map();
      byBucket.set(resolved.bucket, grants);
      const key = `${consumer}\u0000${resolved.prefix}`;
      const grant: BucketGrant = grants.get(key) ?? {
        consumerTenant: consumer,
        rgwUser,
        prefix: resolved.prefix,
        agreementIds: [],
      };
      grant.agreementIds.push(a.id);
      grants.set(key, grant);
    }
    for (const tenant of noUser) {
      this.#logger.info(
        'Access agreements of a tenant without lake.tenants.<tenant>.rgwUser are not granted on S3',
        { tenant },
      );
    }
    return new Map(
      [...byBucket].map(([bucket, grants]) => [bucket, [...grants.values()]]),
    );
  }
}
