import express from 'express';
import { InputError } from '@backstage/errors';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';

/** Media types accepted as manifest text; JSON is read as text too, to keep line numbers. */
export const MANIFEST_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
  'application/json',
];

/**
 * The body parser of routes that take a manifest as text. It reads a little past the cap so the
 * validator, not the body parser, reports a manifest just over it.
 */
export function manifestTextBody(): express.RequestHandler {
  return express.text({
    type: MANIFEST_MEDIA_TYPES,
    limit: MAX_MANIFEST_BYTES + 1024,
  });
}

/** The manifest text of a request read by {@link manifestTextBody}; `InputError` otherwise. */
export function manifestTextOf(req: express.Request): string {
  if (typeof req.body !== 'string') {
    throw new InputError(
      `Send the manifest as the request body with Content-Type ${MANIFEST_MEDIA_TYPES.slice(
        0,
        3,
      ).join(', ')} or application/json`,
    );
  }
  return req.body;
}
