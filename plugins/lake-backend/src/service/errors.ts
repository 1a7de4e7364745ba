import { CustomErrorBase } from '@backstage/errors';
import { LAKE_ERROR_NAMES } from '@akili/plugin-lake-common';

/** The deployment has no lake (`lake.s3` is not set): 503, naming what to configure. */
export class LakeNotConfiguredError extends CustomErrorBase {
  name = LAKE_ERROR_NAMES.notConfigured;
  readonly statusCode = 503;

  constructor() {
    super(
      'The lake is not configured: set lake.s3 (endpoint, bucket per tenant) in app-config',
    );
  }
}

/** The HTTP status of the storage's own errors, by name (when the error does not carry one). */
export const STORAGE_ERROR_STATUS: Record<string, number> = {
  [LAKE_ERROR_NAMES.unavailable]: 503,
  [LAKE_ERROR_NAMES.credentials]: 502,
  [LAKE_ERROR_NAMES.preview]: 422,
  [LAKE_ERROR_NAMES.notConfigured]: 503,
};
