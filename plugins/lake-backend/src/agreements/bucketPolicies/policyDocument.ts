/**
 * The bucket policy documents of the lake's own enforcement of access agreements: the
 * statements the portal manages (recognized by their `Sid` prefix) and the merge with the
 * statements it does not (kept as they are).
 */

/** The `Sid` prefix of the statements the portal manages; others are never touched. */
export const AGREEMENT_SID_PREFIX = 'akili-agreement-';

/** One statement of a bucket policy (as S3 and RGW take it). */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  [key: string]: unknown;
}

/** A bucket policy document. */
export interface BucketPolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** What one consumer tenant's RGW user reads of one bucket: the files under `prefix`. */
export interface BucketGrant {
  consumerTenant: string;
  /** The consumer tenant's RGW user id (`lake.tenants.<tenant>.rgwUser`). */
  rgwUser: string;
  /** The port's prefix in the bucket (`''` or ending with `/`). */
  prefix: string;
  /** The agreements in force behind it (at least one). */
  agreementIds: string[];
}

/** Characters IAM policies read as wildcards or variables: a prefix holding one is refused. */
const POLICY_SPECIAL = /[*?$]/;

/** Why a port prefix cannot be written into a policy, if it cannot. */
export function policyPrefixProblem(prefix: string): string | undefined {
  return POLICY_SPECIAL.test(prefix)
    ? `the prefix "${prefix}" holds a policy wildcard or variable (*, ?, $)`
    : undefined;
}

/** The principal of an RGW user (no RGW tenant: the account part is empty). */
export function rgwUserArn(rgwUser: string): string {
  return `arn:aws:iam:::user/${rgwUser}`;
}

/**
 * The managed statements of `bucket` for `grants`: for each, `s3:GetObject` on the objects
 * under the prefix and `s3:ListBucket` of the bucket only with an `s3:prefix` under it. The
 * `Sid`s derive from the first agreement id (sorted), so the same agreements give the same
 * document. Sorted by `Sid`.
 */
export function agreementStatements(
  bucket: string,
  grants: BucketGrant[],
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const grant of grants) {
    const problem = policyPrefixProblem(grant.prefix);
    if (problem) {
      throw new Error(
        `Cannot grant s3://${bucket}/${grant.prefix}: ${problem}`,
      );
    }
    const id = [...grant.agreementIds].sort()[0];
    const principal = { AWS: [rgwUserArn(grant.rgwUser)] };
    statements.push(
      {
        Sid: `${AGREEMENT_SID_PREFIX}${id}-get`,
        Effect: 'Allow',
        Principal: principal,
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::${bucket}/${grant.prefix}*`],
      },
      {
        Sid: `${AGREEMENT_SID_PREFIX}${id}-list`,
        Effect: 'Allow',
        Principal: principal,
        Action: ['s3:ListBucket'],
        Resource: [`arn:aws:s3:::${bucket}`],
        Condition: { StringLike: { 's3:prefix': [`${grant.prefix}*`] } },
      },
    );
  }
  return statements.sort((a, b) => (a.Sid! < b.Sid! ? -1 : 1));
}

/** Whether a statement is the portal's (its `Sid` has {@link AGREEMENT_SID_PREFIX}). */
export function isManagedStatement(statement: PolicyStatement): boolean {
  return (
    typeof statement.Sid === 'string' &&
    statement.Sid.startsWith(AGREEMENT_SID_PREFIX)
  );
}

/**
 * The policy `bucket` should have: the statements of `current` that are not the portal's, as
 * they are and first, then `managed`. Undefined when nothing is left (the policy is deleted).
 */
export function desiredPolicy(
  current: BucketPolicyDocument | undefined,
  managed: PolicyStatement[],
): BucketPolicyDocument | undefined {
  const foreign = (current?.Statement ?? []).filter(
    s => !isManagedStatement(s),
  );
  if (foreign.length === 0 && managed.length === 0) {
    return undefined;
  }
  return {
    Version: current?.Version ?? '2012-10-17',
    ...(current?.Id ? { Id: current.Id } : {}),
    Statement: [...foreign, ...managed],
  };
}

/** A value with object keys sorted and one-element arrays unwrapped (S3's equivalent forms). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.length === 1 ? items[0] : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map(k => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Whether two policies say the same (key order and `x` vs `[x]` aside). */
export function samePolicy(
  a: BucketPolicyDocument | undefined,
  b: BucketPolicyDocument | undefined,
): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Parses a bucket policy as S3 returns it. `Statement` may be one object; it is returned as an
 * array. Throws naming the bucket when it is not a policy document.
 */
export function parsePolicy(
  bucket: string,
  text: string,
): BucketPolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The bucket policy of ${bucket} is not JSON`);
  }
  const doc = parsed as { Statement?: unknown };
  if (!doc || typeof doc !== 'object') {
    throw new Error(`The bucket policy of ${bucket} is not a policy document`);
  }
  let statements: unknown[] = [];
  if (Array.isArray(doc.Statement)) statements = doc.Statement;
  else if (doc.Statement) statements = [doc.Statement];
  return { ...(doc as object), Statement: statements } as BucketPolicyDocument;
}
