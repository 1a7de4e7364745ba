import {
  CustomErrorBase,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { LAKE_ERROR_NAMES } from '@akili/plugin-lake-common';

/**
 * S3 refused the portal's own credentials (access denied, unknown key, bad signature): 502, the
 * deployment is at fault, not the caller.
 */
export class LakeCredentialsError extends CustomErrorBase {
  name = LAKE_ERROR_NAMES.credentials;
  readonly statusCode = 502;
}

/** The file cannot be previewed (unknown format, corrupt footer, not the format it claims): 422. */
export class LakePreviewError extends CustomErrorBase {
  name = LAKE_ERROR_NAMES.preview;
  readonly statusCode = 422;
}

/** S3 answered with an error of its own that is neither of the above: 502. */
export class LakeS3Error extends CustomErrorBase {
  name = LAKE_ERROR_NAMES.s3;
  readonly statusCode = 502;
}

const CREDENTIAL_CODES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AllAccessDisabled',
]);

/** Node's error codes of a connection that could not be made or broke. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'TimeoutError',
  'RequestTimeout',
]);

interface S3ErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  cause?: unknown;
}

/** What failed, for the messages: `GetObject s3://bucket/key`. */
export interface S3Operation {
  name: string;
  bucket: string;
  key?: string;
}

function describe(op: S3Operation): string {
  return `${op.name} s3://${op.bucket}/${op.key ?? ''}`;
}

/**
 * The error a failed S3 call becomes: unreachable or timed out → `ServiceUnavailableError`
 * naming the endpoint; credentials refused → `LakeCredentialsError`; a missing key or bucket →
 * `NotFoundError`; an error already mapped (or ours) is returned as it is.
 */
export function mapS3Error(
  error: unknown,
  context: {
    endpoint: string;
    timeoutMs: number;
    timedOut: boolean;
    op: S3Operation;
  },
): Error {
  const { endpoint, timeoutMs, op } = context;
  if (
    error instanceof LakeCredentialsError ||
    error instanceof LakePreviewError ||
    error instanceof NotFoundError ||
    error instanceof ServiceUnavailableError
  ) {
    return error;
  }
  const e = (error ?? {}) as S3ErrorLike;
  const code = e.Code ?? e.code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (context.timedOut || code === 'AbortError' || code === 'TimeoutError') {
    return new ServiceUnavailableError(
      `The lake's S3 endpoint ${endpoint} did not answer within ${
        timeoutMs / 1000
      } s (${describe(op)})`,
    );
  }
  if (CREDENTIAL_CODES.has(code) || status === 403) {
    // A HEAD has no body: its 403 carries no code.
    const reason =
      CREDENTIAL_CODES.has(code) || status === undefined
        ? code
        : `AccessDenied, HTTP ${status}`;
    return new LakeCredentialsError(
      `The lake's S3 endpoint ${endpoint} refused the portal's credentials (${reason}, ${describe(
        op,
      )})`,
    );
  }
  if (code === 'NoSuchBucket') {
    return new NotFoundError(`The lake's bucket ${op.bucket} does not exist`);
  }
  if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) {
    return new NotFoundError(
      op.key !== undefined
        ? `No file ${op.key} in the lake`
        : `Not found in the lake: ${describe(op)}`,
    );
  }
  const cause = (e.cause ?? {}) as { code?: string };
  // The SDK wraps an error from another realm (Jest's) as "AWS SDK error wrapper for Error:
  // connect ECONNREFUSED ...": its code is then only in the message.
  const networkCode =
    [code, cause.code].find(c => c !== undefined && CONNECTION_CODES.has(c)) ??
    [...CONNECTION_CODES].find(c => e.message?.includes(c));
  if (networkCode || (status === undefined && e.$fault !== 'client')) {
    return new ServiceUnavailableError(
      `The lake's S3 endpoint ${endpoint} could not be reached (${describe(
        op,
      )}): ${networkCode ?? code ?? e.message}`,
    );
  }
  if (status !== undefined && status >= 500) {
    return new ServiceUnavailableError(
      `The lake's S3 endpoint ${endpoint} failed (${describe(
        op,
      )}): HTTP ${status} ${code}`,
    );
  }
  return new LakeS3Error(
    `The lake's S3 endpoint ${endpoint} answered ${describe(op)} with ${
      code || 'an error'
    }${status ? ` (HTTP ${status})` : ''}`,
  );
}
