/*
 * A parser for the pool's tests, loaded by its workers: `parseManifest` of akili-common, except
 * for a few texts that misbehave on purpose.
 */
import { threadId } from 'node:worker_threads';
import {
  ParseManifestOptions,
  ParseManifestResult,
  parseManifest as parse,
} from '@akili/plugin-akili-common';

export const SPIN = 'spin forever';
export const FILL_MEMORY = 'fill memory';
export const THROW = 'throw';
export const THREAD_ID = 'thread id';

export function parseManifest(
  text: string,
  options?: ParseManifestOptions,
): ParseManifestResult {
  if (text === SPIN) {
    for (;;) {
      // Never answers.
    }
  }
  if (text === FILL_MEMORY) {
    const hog: number[][] = [];
    for (;;) {
      hog.push(new Array(1_000_000).fill(hog.length));
    }
  }
  if (text === THROW) {
    throw new Error('parser exploded');
  }
  if (text === THREAD_ID) {
    return {
      valid: false,
      kind: 'unknown',
      manifests: [],
      errors: [{ path: '$', message: String(threadId) }],
    };
  }
  return parse(text, options);
}
