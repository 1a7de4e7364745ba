import { LAKE_ERROR_NAMES } from '@akili/plugin-lake-common';
import { errorName, errorStatus } from '@akili/plugin-akili-react';

/** The deployment has no lake (`lake.s3` not set): 503 with its own name. */
export function isLakeNotConfigured(error: unknown): boolean {
  return errorName(error) === LAKE_ERROR_NAMES.notConfigured;
}

/** S3 did not answer in time or refused the connection (503). */
export function isLakeUnavailable(error: unknown): boolean {
  return errorStatus(error) === 503 && !isLakeNotConfigured(error);
}

/** S3 refused the portal's own credentials (502): the deployment is at fault. */
export function isLakeCredentialsError(error: unknown): boolean {
  return errorName(error) === LAKE_ERROR_NAMES.credentials;
}

/** S3 answered with another error of its own (502). */
export function isLakeBadGateway(error: unknown): boolean {
  return errorStatus(error) === 502 && !isLakeCredentialsError(error);
}

/** The file cannot be previewed (unknown format, corrupt footer): 422. */
export function isPreviewError(error: unknown): boolean {
  return errorName(error) === LAKE_ERROR_NAMES.preview;
}
