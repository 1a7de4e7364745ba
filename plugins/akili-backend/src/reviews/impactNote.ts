import {
  ManifestDiff,
  ManifestProblem,
  ProductImpact,
} from '@akili/plugin-akili-common';

/**
 * The hidden marker of the control plane's note on a merge request: later pushes find the note
 * by it (among the notes of the portal's own GitLab user) and update it instead of adding one.
 */
export const IMPACT_NOTE_MARKER = '<!-- akili:consumer-impact -->';

/** Changes and consumers listed in a note; the rest are counted. */
const LISTED = 25;

/** What a review found, for {@link renderImpactNote}. */
export type ReviewFinding =
  | {
      kind: 'diff';
      /** The registry's current revision, compared against. */
      revision: number;
      diff: ManifestDiff;
      impact: ProductImpact;
    }
  /** Not registered yet: nothing reads it. */
  | { kind: 'new' }
  /** The merge request no longer changes the manifest (a later push reverted it). */
  | { kind: 'unchanged' }
  /** The manifest on the source branch is not a valid Akili manifest. */
  | { kind: 'invalid'; errors: ManifestProblem[]; message?: string }
  /** The merge request deletes the manifest. */
  | { kind: 'removed' };

/** The context of a note: which product, which branch, which file. */
export interface ReviewContext {
  entityRef: string;
  sourceBranch: string;
  commit?: string;
  manifestPath: string;
  /** Things the reader should know (a name or namespace the manifest claims, ignored). */
  warnings: string[];
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, c => `\\${c}`);
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function more(total: number, listed: number): string[] {
  return total > listed ? [`- … and ${total - listed} more`] : [];
}

/**
 * The body of the control plane's note on a merge request that changes a product's manifest:
 * its breaking changes, the downstream products they affect with their owners, the other
 * changes, or "no consumer impact". Starts with {@link IMPACT_NOTE_MARKER}. Text from the
 * manifest and the catalog is escaped: a note cannot be made to say more than it should.
 */
export function renderImpactNote(
  context: ReviewContext,
  finding: ReviewFinding,
): string {
  const at = `${code(context.manifestPath)} on ${code(context.sourceBranch)}${
    context.commit ? ` (${context.commit.slice(0, 8)})` : ''
  }`;
  const lines = [
    IMPACT_NOTE_MARKER,
    `### Consumer impact of ${code(context.entityRef)}`,
    '',
  ];
  switch (finding.kind) {
    case 'new':
      lines.push(
        `${at} defines a product the registry does not have yet: **no consumer impact** (nothing reads it).`,
      );
      break;
    case 'unchanged':
      lines.push(
        `This merge request no longer changes ${code(
          context.manifestPath,
        )}: **no consumer impact**.`,
      );
      break;
    case 'removed':
      lines.push(
        `This merge request **deletes** ${code(
          context.manifestPath,
        )}: the product would no longer be defined by this project. Every consumer of ${code(
          context.entityRef,
        )} depends on it; deprecate the product (spec.lifecycle: deprecated) instead.`,
      );
      break;
    case 'invalid':
      lines.push(
        `${at} is **not a valid data product manifest**, so its impact cannot be computed:`,
        '',
        ...(finding.message ? [`- ${escapeMarkdown(finding.message)}`] : []),
        ...finding.errors
          .slice(0, LISTED)
          .map(
            e =>
              `- ${code(e.path)}${
                e.line !== undefined ? ` (line ${e.line})` : ''
              }: ${escapeMarkdown(e.message)}`,
          ),
        ...more(finding.errors.length, LISTED),
      );
      break;
    default: {
      const { diff, impact, revision } = finding;
      const breaking = diff.changes.filter(c => c.breaking);
      const other = diff.changes.filter(c => !c.breaking);
      const affected = impact.consumers.filter(c => c.affected);
      const against = `Compared with registry revision ${revision}${
        diff.previousVersion ? ` (version ${code(diff.previousVersion)})` : ''
      }${
        diff.nextVersion ? `; this branch is ${code(diff.nextVersion)}` : ''
      }.`;
      if (breaking.length === 0) {
        lines.push(
          `**No consumer impact**: ${
            diff.changes.length === 0
              ? 'nothing consumers read changes'
              : `${diff.changes.length} change${
                  diff.changes.length === 1 ? '' : 's'
                }, none breaking`
          }. ${against}`,
        );
      } else {
        lines.push(
          `**${breaking.length} breaking change${
            breaking.length === 1 ? '' : 's'
          }**, affecting ${affected.length} downstream product${
            affected.length === 1 ? '' : 's'
          }. ${against}`,
          '',
          '#### Breaking changes',
          ...breaking
            .slice(0, LISTED)
            .map(c => `- ${code(c.path)}: ${escapeMarkdown(c.message)}`),
          ...more(breaking.length, LISTED),
          '',
          '#### Downstream products affected',
          ...(affected.length === 0
            ? ['- none of the products that read this one read what changes']
            : affected
                .slice(0, LISTED)
                .map(
                  c =>
                    `- ${code(c.entityRef)}${
                      c.title ? ` (${escapeMarkdown(c.title)})` : ''
                    }, owner ${code(c.owner || 'unknown')}, reads ${c.ports
                      .map(code)
                      .join(', ')}`,
                )),
          ...more(affected.length, LISTED),
        );
        if (diff.requiresMajorBump) {
          lines.push(
            '',
            `Registering it needs a new major ${code(
              'spec.version',
            )} and an acknowledgement of the breaking changes.`,
          );
        }
      }
      if (other.length > 0) {
        lines.push(
          '',
          '#### Other changes',
          ...other
            .slice(0, LISTED)
            .map(c => `- ${code(c.path)}: ${escapeMarkdown(c.message)}`),
          ...more(other.length, LISTED),
        );
      }
      const unaffected = impact.consumers.length - affected.length;
      if (unaffected > 0) {
        lines.push(
          '',
          `${unaffected} other downstream product${
            unaffected === 1 ? ' reads' : 's read'
          } this product without being affected.`,
        );
      }
    }
  }
  if (context.warnings.length > 0) {
    lines.push('', ...context.warnings.map(w => `> ${escapeMarkdown(w)}`));
  }
  lines.push(
    '',
    `<sub>Posted by the Akili control plane; it is updated on every push. Downstream products are those of the product's own tenant.</sub>`,
  );
  return lines.join('\n');
}
