/*
 * JSON paths (`$.spec.outputPorts[1].name`) and the problems that carry them, before they are
 * placed in a source text. Internal to this package.
 */

import type { ErrorObject } from 'ajv';
import type { ManifestProblem } from './types';

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * A problem found in a parsed value. `at` says which source node shows it best: the value
 * itself, the key of the last segment (unknown fields) or the parent object (missing fields).
 */
export interface Issue {
  segments: PathSegment[];
  message: string;
  at?: 'value' | 'key' | 'parent';
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['spec', 'outputPorts', 1, 'name']` -> `$.spec.outputPorts[1].name`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      path += `.${segment}`;
    } else {
      path += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
    }
  }
  return path;
}

/** The inverse of {@link formatPath}; unparseable rests are dropped. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern =
    /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/y;
  pattern.lastIndex = path.startsWith('$') ? 1 : 0;
  for (;;) {
    const match = pattern.exec(path);
    if (!match) {
      return segments;
    }
    if (match[1] !== undefined) {
      segments.push(match[1]);
    } else if (match[2] !== undefined) {
      segments.push(Number(match[2]));
    } else {
      segments.push(match[3].replace(/\\(.)/g, '$1'));
    }
  }
}

/** A JSON pointer (`/spec/outputPorts/1`) as segments. */
export function pointerToSegments(pointer: string): PathSegment[] {
  if (!pointer) {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map(raw => {
      const key = raw.includes('~')
        ? raw.replace(/~1/g, '/').replace(/~0/g, '~')
        : raw;
      return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
    });
}

/** Problems reported for one document, the first in text order; a last one counts the rest. */
export const MAX_REPORTED_PROBLEMS = 100;

/**
 * The first {@link MAX_REPORTED_PROBLEMS} of `total` problems (`first` holds at least those,
 * in text order), and when there are more, a last problem saying how many are not shown.
 */
export function limitProblems(
  first: ManifestProblem[],
  total: number,
): ManifestProblem[] {
  if (total <= MAX_REPORTED_PROBLEMS) {
    return first;
  }
  const more = total - MAX_REPORTED_PROBLEMS;
  return [
    ...first.slice(0, MAX_REPORTED_PROBLEMS),
    {
      path: '$',
      message: `${more} more problem${
        more === 1 ? '' : 's'
      } not shown: at most ${MAX_REPORTED_PROBLEMS} are reported, the first in the text`,
    },
  ];
}

/** An issue without a source position. */
export function issueToProblem(issue: Issue): ManifestProblem {
  return { path: formatPath(issue.segments), message: issue.message };
}

const PATTERN_TEXT: Record<string, string> = {
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$':
    'lowercase letters, digits and dashes, starting and ending with a letter or digit',
  '^[a-z0-9]([-_a-z0-9]*[a-z0-9])?$':
    'lowercase letters, digits, dashes and underscores, starting and ending with a letter or digit',
};

function typeOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Longest value quoted in a message; longer ones are cut (a message names, it does not copy). */
const QUOTED_LENGTH = 100;

function quote(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > QUOTED_LENGTH
      ? `'${value.slice(0, QUOTED_LENGTH)}…' (${value.length} characters)`
      : `'${value}'`;
  }
  if (typeof value === 'object' && value !== null) {
    // Named, not written out: a large value would make a large message.
    return Array.isArray(value) ? 'a list' : 'an object';
  }
  return JSON.stringify(value);
}

/**
 * Turns ajv errors into issues with readable messages. Errors of the branches of `oneOf` /
 * `anyOf` and of `if` are dropped in favour of the error of the combinator itself, which reads
 * better ("must set exactly one of ...") than one error per failed branch.
 */
export function ajvErrorsToIssues(
  errors: readonly ErrorObject[] | null | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const add = (issue: Issue) => {
    // The JSON path without formatting it: segments joined, numbers as their digits (an index
    // and a key cannot meet at one place of a document).
    const key = `${issue.segments.join('\u0001')}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  };

  for (const error of errors ?? []) {
    if (
      error.keyword === 'if' ||
      /\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)
    ) {
      continue;
    }
    const segments = pointerToSegments(error.instancePath);
    const params = error.params as Record<string, any>;
    switch (error.keyword) {
      case 'required':
        add({
          segments: [...segments, params.missingProperty],
          message: `missing required field '${params.missingProperty}'`,
          at: 'parent',
        });
        break;
      case 'additionalProperties':
        add({
          segments: [...segments, params.additionalProperty],
          message: `unknown field '${params.additionalProperty}'`,
          at: 'key',
        });
        break;
      case 'unevaluatedProperties':
        add({
          segments: [...segments, params.unevaluatedProperty],
          message: `unknown field '${params.unevaluatedProperty}'`,
          at: 'key',
        });
        break;
      case 'type': {
        const expected = String(params.type).split(',').join(' or ');
        add({
          segments,
          message: `must be ${expected}, not ${typeOf(error.data)}`,
        });
        break;
      }
      case 'enum':
        add({
          segments,
          message: `must be one of ${(params.allowedValues as unknown[])
            .map(quote)
            .join(', ')}, not ${quote(error.data)}`,
        });
        break;
      case 'const':
        add({
          segments,
          message: `must be ${quote(params.allowedValue)}, not ${quote(
            error.data,
          )}`,
        });
        break;
      case 'pattern': {
        const text = PATTERN_TEXT[params.pattern];
        add({
          segments,
          message: text
            ? `${quote(error.data)} is not valid: use ${text}`
            : `${quote(error.data)} must match ${params.pattern}`,
        });
        break;
      }
      case 'format':
        add({
          segments,
          message: `${quote(error.data)} is not a valid ${params.format}`,
        });
        break;
      case 'oneOf':
      case 'anyOf': {
        const branches = Array.isArray(error.schema) ? error.schema : [];
        const required = branches.map(branch =>
          Array.isArray(branch?.required) ? branch.required.join(' + ') : '',
        );
        add({
          segments,
          message:
            required.length > 0 && required.every(Boolean)
              ? `must set ${
                  error.keyword === 'oneOf' ? 'exactly' : 'at least'
                } one of: ${required.join(', ')}`
              : `must match exactly one of the allowed forms`,
        });
        break;
      }
      default:
        add({ segments, message: error.message ?? 'is not valid' });
    }
  }
  return issues;
}
