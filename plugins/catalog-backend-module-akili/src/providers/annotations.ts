import { ManifestProblem } from '@akili/plugin-akili-common';

/** Where a provided manifest was read from (a file path or URL). */
export const ANNOTATION_MANIFEST_SOURCE = 'akili.io/manifest-source';
/** The format it was written in: `akili` or `odps`. */
export const ANNOTATION_MANIFEST_FORMAT = 'akili.io/manifest-format';
/** The registry revision an entity of the registry provider was read from. */
export const ANNOTATION_REGISTRY_REVISION = 'akili.io/registry-revision';
/**
 * Set by a provider when the manifest's source no longer validates: the processor turns it
 * into a processing error, so the catalog keeps the last good version and shows the problems.
 */
export const ANNOTATION_MANIFEST_ERRORS = 'akili.io/manifest-errors';

/** `$.spec.x (line 3, column 5): message; ...`, capped so an annotation stays small. */
export function formatProblems(problems: ManifestProblem[], max = 20): string {
  const shown = problems.slice(0, max).map(p => {
    const where =
      p.line !== undefined
        ? ` (line ${p.line}${
            p.column !== undefined ? `, column ${p.column}` : ''
          })`
        : '';
    return `${p.path}${where}: ${p.message}`;
  });
  const more =
    problems.length > max ? `; and ${problems.length - max} more` : '';
  return `${shown.join('; ')}${more}`;
}
