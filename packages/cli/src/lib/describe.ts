import { ManifestDiff, ProductImpact } from '@akili/plugin-akili-common';

/*
 * Text for the parts of the control plane's answers and of offline diffs: the changes of a diff,
 * the downstream impact. Tolerant of missing parts, so an older or newer portal still prints.
 */

/** One line per change, breaking ones marked `BREAKING`, then what the version needs. */
export function describeDiff(diff: ManifestDiff | undefined): string[] {
  const changes = diff?.changes ?? [];
  if (!diff || changes.length === 0) {
    return ['No changes'];
  }
  const breaking = changes.filter(c => c.breaking).length;
  const lines = [
    `${changes.length} change${
      changes.length === 1 ? '' : 's'
    }, ${breaking} breaking:`,
    ...changes.map(
      change =>
        `  ${change.breaking ? 'BREAKING ' : ''}${change.path}: ${
          change.message
        }`,
    ),
  ];
  if (diff.requiresMajorBump) {
    lines.push(
      `A breaking change needs a new major version in spec.version (now ${
        diff.nextVersion ?? 'not set'
      }, was ${diff.previousVersion ?? 'not set'})`,
    );
  }
  return lines;
}

/** The downstream products, those that read a port a breaking change touches marked. */
export function describeImpact(impact: ProductImpact | undefined): string[] {
  const consumers = impact?.consumers ?? [];
  if (consumers.length === 0) {
    return [];
  }
  const affected = consumers.filter(c => c.affected).length;
  return [
    `Downstream products you can see: ${consumers.length}, ${affected} affected by breaking changes:`,
    ...consumers.map(
      consumer =>
        `  ${consumer.affected ? 'AFFECTED ' : ''}${
          consumer.entityRef
        } (owner ${consumer.owner}) reads ${consumer.ports.join(', ')}`,
    ),
  ];
}
