import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { MAX_MANIFEST_BYTES, parseManifest } from '@akili/plugin-akili-common';

/** Media types accepted as manifest text; JSON is read as text too, to keep line numbers. */
const MANIFEST_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
  'application/json',
];

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): Promise<express.Router> {
  const { httpAuth } = options;
  const router = Router();

  // Read a little past the cap so the validator, not the body parser, reports oversize.
  const manifestBody = express.text({
    type: MANIFEST_MEDIA_TYPES,
    limit: MAX_MANIFEST_BYTES + 1024,
  });

  /**
   * Validates an Akili manifest, an ODPS product or an ODCS contract.
   * 200 `{ valid, kind, errors: [{ path, line, column, message }] }` for a readable document;
   * 400 when the text is not a readable document at all (naming the line and column).
   */
  router.post('/v1/manifests/validate', manifestBody, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    if (typeof req.body !== 'string') {
      throw new InputError(
        `Send the manifest as the request body with Content-Type ${MANIFEST_MEDIA_TYPES.slice(
          0,
          3,
        ).join(', ')} or application/json`,
      );
    }
    const result = parseManifest(req.body);
    const unreadable =
      !result.valid &&
      result.kind === 'unknown' &&
      result.errors.length === 1 &&
      result.errors[0].path === '$';
    if (unreadable) {
      const [e] = result.errors;
      const where =
        e.line !== undefined
          ? ` at line ${e.line}, column ${e.column ?? 1}`
          : '';
      throw new InputError(`The manifest cannot be read${where}: ${e.message}`);
    }
    res.json({ valid: result.valid, kind: result.kind, errors: result.errors });
  });

  return router;
}
