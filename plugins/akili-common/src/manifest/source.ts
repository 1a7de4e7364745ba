/*
 * Reading one YAML or JSON document with source positions. Internal to this package.
 */

import {
  Document,
  LineCounter,
  Node,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
} from 'yaml';
import { Issue, PathSegment, formatPath } from './paths';
import { ManifestProblem } from './types';

/** Alias expansions allowed when converting a document; more is treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/** A parsed document and a way to place issues in its text. */
export interface SourceDocument {
  value: unknown;
  toProblem(issue: Issue): ManifestProblem;
}

/** UTF-8 size of a string without allocating its encoding. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: one 4-byte code point.
      bytes += 4;
      i++;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

function nodeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

/** The JSON path of the innermost node around a text offset. */
function pathAtOffset(doc: Document, offset: number): PathSegment[] {
  const segments: PathSegment[] = [];
  let node: unknown = doc.contents;
  const inside = (n: unknown) => {
    const range = (n as Node | undefined)?.range;
    return (
      !!range && offset >= range[0] && offset < Math.max(range[2], range[1])
    );
  };
  for (let depth = 0; depth < 1000 && node; depth++) {
    if (isMap(node)) {
      const pair = node.items.find(p => inside(p.key) || inside(p.value));
      if (!pair) {
        break;
      }
      segments.push(isScalar(pair.key) ? String(pair.key.value) : '?');
      if (inside(pair.key)) {
        break;
      }
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(item => inside(item));
      if (index < 0) {
        break;
      }
      segments.push(index);
      node = node.items[index];
    } else {
      break;
    }
  }
  return segments;
}

function problemAt(
  lineCounter: LineCounter,
  path: string,
  offset: number | undefined,
  message: string,
): ManifestProblem {
  if (offset === undefined) {
    return { path, message };
  }
  const { line, col } = lineCounter.linePos(offset);
  return { path, line, column: col, message };
}

function makeLocator(doc: Document, lineCounter: LineCounter) {
  return (issue: Issue): ManifestProblem => {
    const segments =
      issue.at === 'parent' ? issue.segments.slice(0, -1) : issue.segments;
    let node: unknown = doc.contents;
    let offset = nodeStart(node);
    for (let i = 0; i < segments.length; i++) {
      if (isAlias(node)) {
        node = node.resolve(doc);
      }
      const segment = segments[i];
      if (isMap(node)) {
        const pair = node.items.find(
          p => isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair) {
          break;
        }
        const last = i === segments.length - 1;
        if (last && issue.at === 'key') {
          offset = nodeStart(pair.key) ?? offset;
          break;
        }
        // A key without a value (`owner:`) has no value node: show the key.
        node = pair.value ?? undefined;
        offset = nodeStart(pair.value) ?? nodeStart(pair.key) ?? offset;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!item) {
          break;
        }
        node = item;
        offset = nodeStart(item) ?? offset;
      } else {
        break;
      }
    }
    return problemAt(
      lineCounter,
      formatPath(issue.segments),
      offset,
      issue.message,
    );
  };
}

/**
 * Parses exactly one YAML (or JSON) document. Never throws: every problem of the text comes
 * back as a problem with a line and column.
 */
export function readSourceDocument(
  text: string,
  maxBytes: number,
): { document: SourceDocument } | { problems: ManifestProblem[] } {
  if (typeof text !== 'string') {
    return { problems: [{ path: '$', message: 'document must be text' }] };
  }
  // A UTF-16 code unit is at least one UTF-8 byte: no need to count when the length exceeds.
  const size = text.length > maxBytes ? text.length : utf8ByteLength(text);
  if (size > maxBytes) {
    return {
      problems: [
        {
          path: '$',
          message: `document is ${
            text.length > maxBytes ? 'at least ' : ''
          }${size} bytes, larger than the limit of ${maxBytes} bytes`,
        },
      ],
    };
  }

  const lineCounter = new LineCounter();
  let docs: Document[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
    }) as Document[];
  } catch (error) {
    return {
      problems: [
        { path: '$', line: 1, column: 1, message: `cannot parse: ${error}` },
      ],
    };
  }
  // A trailing `---` yields an empty document: it holds nothing, so it is not a second one.
  const real = docs.filter(
    (d, i) =>
      i === 0 ||
      d.errors.length > 0 ||
      !(
        d.contents === null ||
        (isScalar(d.contents) && d.contents.value === null)
      ),
  );
  if (real.length === 0) {
    return {
      problems: [
        { path: '$', line: 1, column: 1, message: 'document is empty' },
      ],
    };
  }
  if (real.length > 1) {
    const second = real[1];
    return {
      problems: [
        problemAt(
          lineCounter,
          '$',
          nodeStart(second.contents) ?? second.range?.[0],
          `found ${real.length} YAML documents; a file must hold exactly one`,
        ),
      ],
    };
  }

  const doc = real[0];
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map(error => {
        const offset = error.pos[0];
        if (error.code === 'DUPLICATE_KEY') {
          const segments = pathAtOffset(doc, offset);
          return problemAt(
            lineCounter,
            formatPath(segments),
            offset,
            `duplicate key${
              segments.length > 0 ? ` '${segments[segments.length - 1]}'` : ''
            }: keys of a mapping must be unique`,
          );
        }
        return problemAt(
          lineCounter,
          '$',
          offset,
          `YAML syntax error: ${error.message}`,
        );
      }),
    };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    let aliasOffset: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        aliasOffset = nodeStart(node);
        return visit.BREAK;
      },
    });
    const isAliasBomb =
      error instanceof ReferenceError && /alias/i.test(error.message);
    return {
      problems: [
        problemAt(
          lineCounter,
          '$',
          aliasOffset ?? 0,
          isAliasBomb
            ? `document expands YAML aliases more than ${MAX_ALIAS_COUNT} times; alias bombs are rejected`
            : `cannot read document: ${
                error instanceof Error ? error.message : String(error)
              }`,
        ),
      ],
    };
  }

  if (value === null || value === undefined) {
    return {
      problems: [
        { path: '$', line: 1, column: 1, message: 'document is empty' },
      ],
    };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      problems: [
        problemAt(
          lineCounter,
          '$',
          nodeStart(doc.contents) ?? 0,
          `document must be a mapping (an object), not ${
            Array.isArray(value) ? 'a list' : `a ${typeof value}`
          }`,
        ),
      ],
    };
  }

  return {
    document: { value, toProblem: makeLocator(doc, lineCounter) },
  };
}
