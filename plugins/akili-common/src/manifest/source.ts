/*
 * Reading one YAML (or JSON) document with source positions, in time linear in its size.
 * Internal to this package.
 *
 * js-yaml reads the text: it checks nesting depth while it reads, shares aliased values instead
 * of copying them, and is several times faster than building `yaml`'s syntax tree. Its listener
 * reports where every node opens and closes; the spans are kept in flat arrays, and a mapping's
 * children are paired into keys and values by the text between them (a value follows a `:`).
 * Duplicate keys, alias expansion and positions of problems are all worked out from those spans
 * in one pass each; nothing scans the text from its start per problem, and no mapping is
 * searched key by key.
 */

import { CORE_SCHEMA, LoadOptions, loadAll } from 'js-yaml';
import {
  Issue,
  MAX_REPORTED_PROBLEMS,
  PathSegment,
  formatPath,
  limitProblems,
} from './paths';
import { ManifestProblem } from './types';

/** Deepest nesting of mappings and sequences accepted (aliases included). */
export const MAX_NESTING_DEPTH = 100;
/** Values that aliases may add to a document when expanded; more is treated as an alias bomb. */
export const MAX_ALIAS_VALUES = 100_000;

/**
 * Steps taken by the reader, by kind; each grows linearly with the size of the text. Tests
 * compare them across sizes to show that no step is repeated per key, per problem or per line.
 */
export interface ParseWork {
  /** Nodes js-yaml composed (each opens and closes once). */
  nodes: number;
  /** Characters looked at between nodes (pairing keys and values, finding node starts). */
  gapChars: number;
  /** Children looked at to pair keys with values or to index sequences. */
  children: number;
  /** Steps taken to walk a problem's path down to its node. */
  pathSteps: number;
  /** Values visited to count what aliases expand to. */
  expanded: number;
}

/** A fresh {@link ParseWork} with every count at zero. */
export function emptyParseWork(): ParseWork {
  return { nodes: 0, gapChars: 0, children: 0, pathSteps: 0, expanded: 0 };
}

/** A parsed document and a way to place issues in its text. */
export interface SourceDocument {
  value: unknown;
  toProblem(issue: Issue): ManifestProblem;
  /** Problems of issues in text order, limited to the first ones (see `limitProblems`). */
  toProblems(issues: Issue[]): ManifestProblem[];
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

/** Line and column of text offsets: line starts found once, then a binary search. */
class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  }

  private lineStarts(): number[] {
    if (!this.starts) {
      const { text } = this;
      const starts = [0];
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        // Line breaks as YAML reads them: LF, CR LF or a lone CR.
        if (
          code === 0x0a ||
          (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)
        ) {
          starts.push(i + 1);
        }
      }
      this.starts = starts;
    }
    return this.starts;
  }
}

/** `linkTo` of a node that is neither an alias nor a node read twice. */
const NOT_LINKED = -2;

const NONE = 0;
const SCALAR = 1;
const MAPPING = 2;
const SEQUENCE = 3;

const KINDS: Record<string, number> = {
  scalar: SCALAR,
  mapping: MAPPING,
  sequence: SEQUENCE,
};

/** What js-yaml's listener sees of its state (more than its typings declare). */
interface ListenerState {
  position: number;
  kind: string | null;
  result: unknown;
  anchor: string | null;
}

/** A problem found while reading, placed later (once every node is known). */
class Stop extends Error {
  constructor(readonly segments: PathSegment[], message: string) {
    super(message);
  }
}

/** Number fields kept per node. */
const FIELDS = 10;

/** The number fields of every node, side by side in one `Int32Array` that grows. */
class NodeTable {
  data = new Int32Array(FIELDS * 1024);

  /** Makes room for `node`. */
  reserve(node: number) {
    if ((node + 1) * FIELDS > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
  }
}

/** One number field of the nodes of a {@link NodeTable}. */
class Field {
  constructor(
    private readonly table: NodeTable,
    private readonly offset: number,
  ) {}

  get(node: number): number {
    return this.table.data[node * FIELDS + this.offset];
  }

  set(node: number, value: number) {
    this.table.data[node * FIELDS + this.offset] = value;
  }
}

/**
 * The nodes of a text as js-yaml composed them: where each opened and closed, its parent,
 * siblings, kind and value, in flat columns (a node is an index, in opening order, which is
 * document order). A mapping's keys are paired with their values when it closes.
 */
class NodeSpans {
  private count = 0;
  private readonly table = new NodeTable();
  private readonly openAt = new Field(this.table, 0);
  private readonly endAt = new Field(this.table, 1);
  private readonly parentOf = new Field(this.table, 2);
  private readonly firstChild = new Field(this.table, 3);
  private readonly lastChild = new Field(this.table, 4);
  private readonly nextSibling = new Field(this.table, 5);
  private readonly previousSibling = new Field(this.table, 6);
  private readonly kindOf = new Field(this.table, 7);
  private readonly itemIndex = new Field(this.table, 8);
  private readonly value: unknown[] = [];
  readonly roots: number[] = [];
  /** Key nodes of each mapping node, by key. */
  private readonly keys = new Map<number, Map<string, number>>();
  private readonly items = new Map<number, number[]>();
  /** The node holding the content of an alias or of a node read twice; NOT_LINKED if none. */
  private readonly linkTo = new Field(this.table, 9);
  private aliasCount = 0;
  private readonly anchors = new Map<string, number>();
  private readonly stack: number[] = [];
  /** Later occurrences of a key, as key nodes. */
  readonly duplicates: number[] = [];

  constructor(
    private readonly text: string,
    private readonly work: ParseWork,
  ) {}

  get hasAliases(): boolean {
    return this.aliasCount > 0;
  }

  kind(node: number): number {
    return this.kindOf.get(node);
  }

  /** The js-yaml listener. */
  readonly listener = (event: 'open' | 'close', state: ListenerState) => {
    if (event === 'open') {
      const node = this.count++;
      this.table.reserve(node);
      const parent =
        this.stack.length > 0 ? this.stack[this.stack.length - 1] : -1;
      this.openAt.set(node, state.position);
      this.endAt.set(node, -1);
      this.parentOf.set(node, parent);
      this.firstChild.set(node, -1);
      this.lastChild.set(node, -1);
      this.nextSibling.set(node, -1);
      this.kindOf.set(node, NONE);
      this.itemIndex.set(node, -1);
      this.linkTo.set(node, NOT_LINKED);
      this.value.push(undefined);
      if (parent < 0) {
        // A new document: anchors start afresh.
        this.previousSibling.set(node, -1);
        this.roots.push(node);
        this.anchors.clear();
      } else {
        const last = this.lastChild.get(parent);
        this.previousSibling.set(node, last);
        if (last < 0) {
          this.firstChild.set(parent, node);
        } else {
          this.nextSibling.set(last, node);
        }
        this.lastChild.set(parent, node);
      }
      this.stack.push(node);
      this.work.nodes++;
      return;
    }
    const node = this.stack.pop()!;
    const kind = KINDS[state.kind ?? ''] ?? NONE;
    this.endAt.set(node, state.position);
    this.kindOf.set(node, kind);
    this.value[node] = state.result;
    if (kind === NONE) {
      const start = this.start(node);
      if (
        start < this.endAt.get(node) &&
        this.text.charCodeAt(start) === 0x2a
      ) {
        this.linkTo.set(node, this.anchors.get(this.aliasName(start)) ?? -1);
        this.aliasCount++;
      }
    } else if (kind !== SCALAR) {
      const first = this.firstChild.get(node);
      if (first >= 0 && this.value[first] === state.result) {
        // js-yaml tried the node as the first key of a block mapping, found no `:` and kept
        // what it read: the only child is the node itself.
        this.linkTo.set(node, first);
      } else if (kind === MAPPING) {
        this.pairUp(node);
      }
    }
    if (state.anchor !== null && state.anchor !== undefined) {
      this.anchors.set(state.anchor, node);
    }
  };

  /** Offset of the content of a node (after separating spaces, comments, anchor and tag). */
  start(node: number): number {
    const { text } = this;
    // A node still open (reading stopped inside it) reaches as far as the text.
    const end = this.endAt.get(node) < 0 ? text.length : this.endAt.get(node);
    let at = this.skipGap(this.openAt.get(node), end);
    for (;;) {
      const code = text.charCodeAt(at);
      // `&anchor` and `!tag` properties, each followed by a space or line break.
      if (at >= end || (code !== 0x26 && code !== 0x21)) {
        return at;
      }
      const from = at;
      while (at < end && !isSpace(text.charCodeAt(at))) {
        at++;
      }
      this.work.gapChars += at - from;
      at = at < end ? this.skipGap(at, end) : from;
      if (at === from) {
        return at;
      }
    }
  }

  /** Whether a node read nothing at all (an empty value, or a key attempt that found none). */
  isEmpty(node: number): boolean {
    return (
      this.kindOf.get(node) === NONE &&
      this.linkTo.get(node) === NOT_LINKED &&
      this.start(node) >= this.endAt.get(node)
    );
  }

  /**
   * The node that holds the content of `node`: the anchored node of an alias, the child of a
   * node that is only its child read again, else the node itself; -1 for an unknown anchor.
   */
  resolve(node: number): number {
    let resolved = node;
    // An alias never points at an alias, and a node read again is read once: a few hops at most.
    for (let hop = 0; hop < 4 && resolved >= 0; hop++) {
      const next = this.linkTo.get(resolved);
      if (next === NOT_LINKED) {
        break;
      }
      resolved = next;
    }
    return resolved;
  }

  /** The key node and value node (-1: none) of `key` in a mapping node. */
  pair(node: number, key: string): { key: number; value: number } | undefined {
    const keyNode = (this.keys.get(node) ?? this.pairUp(node)).get(key);
    if (keyNode === undefined) {
      return undefined;
    }
    const next = this.nextSibling.get(keyNode);
    return {
      key: keyNode,
      value: next >= 0 && this.isValue(next) ? next : -1,
    };
  }

  /** Items of a sequence node. */
  itemsOf(node: number): number[] {
    let items = this.items.get(node);
    if (!items) {
      items = [];
      for (
        let child = this.firstChild.get(node);
        child >= 0;
        child = this.nextSibling.get(child)
      ) {
        this.work.children++;
        // `[a: 1]` holds a one-pair mapping: its value is not an item of its own.
        if (items.length === 0 || !this.isValue(child)) {
          this.itemIndex.set(child, items.length);
          items.push(child);
        }
      }
      this.items.set(node, items);
    }
    return items;
  }

  /** The path of a node, from the segments its ancestors sit at. */
  pathOf(node: number): PathSegment[] {
    const path: PathSegment[] = [];
    for (let n = node; this.parentOf.get(n) >= 0; n = this.parentOf.get(n)) {
      const parent = this.parentOf.get(n);
      if (this.kindOf.get(parent) !== NONE && this.linkTo.get(parent) >= 0) {
        continue; // The parent is this node read again.
      }
      const kind = this.kindOf.get(parent);
      if (kind === SEQUENCE) {
        this.itemsOf(parent);
        const index = this.itemIndex.get(n);
        if (index >= 0) {
          path.push(index);
        }
      } else if (kind === MAPPING) {
        const previous = this.previousSibling.get(n);
        const key = this.isValue(n) && previous >= 0 ? previous : n;
        path.push(this.keyText(key) ?? '?');
      }
    }
    return path.reverse();
  }

  /**
   * The path of the innermost node still open (reading stopped inside it), as far as it can be
   * told before its ancestors are complete.
   */
  openPath(): PathSegment[] {
    const path: PathSegment[] = [];
    for (let i = 1; i < this.stack.length; i++) {
      const parent = this.stack[i - 1];
      const node = this.stack[i];
      const previous = this.previousSibling.get(node);
      const first = this.text.charCodeAt(this.start(parent));
      if (previous >= 0 && this.isValue(node)) {
        path.push(this.keyText(previous) ?? '?');
      } else if (first === 0x5b || first === 0x2d) {
        // `[` or `-`: a sequence; its items are the children that are not values of pairs.
        let item = 0;
        for (
          let child = this.firstChild.get(parent);
          child >= 0 && child !== node;
          child = this.nextSibling.get(child)
        ) {
          if (!this.isValue(child)) {
            item++;
          }
        }
        path.push(item);
      }
    }
    return path;
  }

  /** The text of a scalar key node; undefined for a collection used as a key. */
  private keyText(node: number): string | undefined {
    const key = this.value[node];
    return typeof key === 'object' && key !== null ? undefined : String(key);
  }

  private aliasName(start: number): string {
    const { text } = this;
    let end = start + 1;
    while (end < text.length && !isAliasEnd(text.charCodeAt(end))) {
      end++;
    }
    this.work.gapChars += end - start;
    return text.slice(start + 1, end);
  }

  /** Skips spaces, line breaks and comments from `from`, up to `to`. */
  private skipGap(from: number, to: number): number {
    const { text } = this;
    let i = from;
    while (i < to) {
      const code = text.charCodeAt(i);
      if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
        i++;
      } else if (code === 0x23) {
        while (i < to && text.charCodeAt(i) !== 0x0a) {
          i++;
        }
      } else {
        break;
      }
    }
    this.work.gapChars += i - from + 1;
    return i;
  }

  /** Whether a `:` separates a node from its previous sibling: then it is that key's value. */
  private isValue(node: number): boolean {
    const previous = this.previousSibling.get(node);
    if (previous < 0) {
      return false;
    }
    const open = this.openAt.get(node);
    const at = this.skipGap(this.endAt.get(previous), open);
    return at < open && this.text.charCodeAt(at) === 0x3a;
  }

  /** Indexes the keys of a mapping node; notes duplicate keys. */
  private pairUp(node: number): Map<string, number> {
    const keys = new Map<string, number>();
    this.keys.set(node, keys);
    // After a key, a child behind a `:` is its value; any other child is a key.
    let afterKey = false;
    for (
      let child = this.firstChild.get(node);
      child >= 0;
      child = this.nextSibling.get(child)
    ) {
      this.work.children++;
      if (afterKey && this.isValue(child)) {
        afterKey = false;
        continue;
      }
      if (this.isEmpty(child)) {
        afterKey = false;
        continue;
      }
      afterKey = true;
      // A collection as key is not a JSON key: nothing finds it by name.
      const text = this.keyText(child);
      if (text !== undefined) {
        if (keys.has(text)) {
          this.duplicates.push(child);
        }
        keys.set(text, child);
      }
    }
    return keys;
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Ends an alias name: a space, a line break or a flow indicator (`,[]{}`). */
function isAliasEnd(code: number): boolean {
  return (
    isSpace(code) ||
    code === 0x2c ||
    code === 0x5b ||
    code === 0x5d ||
    code === 0x7b ||
    code === 0x7d
  );
}

/** Where the issue at `segments` shows best: its value, its key or its parent. */
function locate(
  spans: NodeSpans,
  root: number,
  issue: Issue,
  work: ParseWork,
): number {
  const segments =
    issue.at === 'parent' ? issue.segments.slice(0, -1) : issue.segments;
  let node = root;
  let offset = spans.start(node);
  for (let i = 0; i < segments.length && node >= 0; i++) {
    work.pathSteps++;
    node = spans.resolve(node);
    if (node < 0) {
      break;
    }
    const segment = segments[i];
    const kind = spans.kind(node);
    if (kind === MAPPING) {
      const pair = spans.pair(node, String(segment));
      if (!pair) {
        break;
      }
      if (i === segments.length - 1 && issue.at === 'key') {
        offset = spans.start(pair.key);
        break;
      }
      // A key without a value (`owner:`) has no value to show: show the key.
      if (pair.value < 0 || spans.isEmpty(pair.value)) {
        offset = spans.start(pair.key);
        break;
      }
      node = pair.value;
      offset = spans.start(node);
    } else if (kind === SEQUENCE && typeof segment === 'number') {
      const item = spans.itemsOf(node)[segment];
      if (item === undefined) {
        break;
      }
      node = item;
      offset = spans.start(node);
    } else {
      break;
    }
  }
  return offset;
}

/**
 * Counts the values a document holds once its aliases are expanded, stopping at the first alias
 * that takes the total added by aliases past {@link MAX_ALIAS_VALUES}, at an alias that holds
 * itself, and at nesting (through aliases) deeper than {@link MAX_NESTING_DEPTH}. Each value
 * is visited once: a value met again (through an alias) counts with the size found the first
 * time.
 */
function checkExpansion(root: unknown, work: ParseWork): void {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const path: PathSegment[] = [];
  let added = 0;
  const visit = (value: unknown): number => {
    work.expanded++;
    if (value === null || typeof value !== 'object') {
      return 1;
    }
    const known = sizes.get(value);
    if (known !== undefined) {
      added += known;
      if (added > MAX_ALIAS_VALUES) {
        throw new Stop(
          [...path],
          `document expands YAML aliases to more than ${MAX_ALIAS_VALUES} values; alias bombs are rejected`,
        );
      }
      return known;
    }
    if (open.has(value)) {
      throw new Stop(
        [...path],
        'YAML alias refers to a node that contains it; recursive documents are rejected',
      );
    }
    if (path.length >= MAX_NESTING_DEPTH) {
      throw new Stop(
        [...path],
        `document nests deeper than ${MAX_NESTING_DEPTH} levels (through YAML aliases)`,
      );
    }
    open.add(value);
    let size = 1;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        size += visit(value[i]);
        path.pop();
      }
    } else {
      for (const key of Object.keys(value)) {
        path.push(key);
        size += visit((value as Record<string, unknown>)[key]);
        path.pop();
      }
    }
    open.delete(value);
    sizes.set(value, size);
    return size;
  };
  visit(root);
}

interface YamlError {
  reason?: string;
  mark?: { line: number; column: number; position: number };
  message?: string;
}

/**
 * Parses exactly one YAML (or JSON) document. Never throws: every problem of the text comes
 * back as a problem with a line and column. `work` counts the steps taken (for tests).
 */
export function readSourceDocument(
  text: string,
  maxBytes: number,
  work: ParseWork = emptyParseWork(),
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

  // js-yaml drops a byte order mark itself, which would shift every offset by one.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(source);
  const spans = new NodeSpans(source, work);
  const problemAt = (
    segments: PathSegment[],
    offset: number | undefined,
    message: string,
  ): ManifestProblem => {
    const path = formatPath(segments);
    if (offset === undefined) {
      return { path, message };
    }
    const { line, column } = lines.position(offset);
    return { path, line, column, message };
  };

  let documents: unknown[];
  try {
    documents = loadAll(source, null, {
      schema: CORE_SCHEMA,
      // Duplicate keys are reported below, all of them and with their paths.
      json: true,
      maxDepth: MAX_NESTING_DEPTH,
      listener: spans.listener as unknown as LoadOptions['listener'],
    } as LoadOptions & { maxDepth: number });
  } catch (error) {
    const { reason, mark, message } = error as YamlError;
    if (!mark) {
      return {
        problems: [
          {
            path: '$',
            line: 1,
            column: 1,
            message: `cannot parse: ${message ?? String(error)}`,
          },
        ],
      };
    }
    const offset = Math.min(mark.position, source.length);
    if (reason?.startsWith('nesting exceeded maxDepth')) {
      return {
        problems: [
          problemAt(
            spans.openPath(),
            offset,
            `document nests deeper than ${MAX_NESTING_DEPTH} levels`,
          ),
        ],
      };
    }
    return {
      problems: [problemAt([], offset, `YAML syntax error: ${reason}`)],
    };
  }

  // A trailing `---` yields an empty document: it holds nothing, so it is not a second one.
  const real = spans.roots.filter(
    (_root, i) =>
      i === 0 || (documents[i] !== null && documents[i] !== undefined),
  );
  const value = documents[0];
  if (real.length > 1) {
    return {
      problems: [
        problemAt(
          [],
          spans.start(real[1]),
          `found ${real.length} YAML documents; a file must hold exactly one`,
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
  const root = spans.roots[0];
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      problems: [
        problemAt(
          [],
          spans.start(root),
          `document must be a mapping (an object), not ${
            Array.isArray(value) ? 'a list' : `a ${typeof value}`
          }`,
        ),
      ],
    };
  }

  const toProblem = (issue: Issue): ManifestProblem =>
    problemAt(issue.segments, locate(spans, root, issue, work), issue.message);
  // Every issue is placed (a few steps each), but only those reported become problems: their
  // paths and lines are worked out for the first ones in the text only.
  const toProblems = (issues: Issue[]): ManifestProblem[] => {
    const placed = issues.map((issue, order) => ({
      issue,
      order,
      offset: locate(spans, root, issue, work),
    }));
    placed.sort((a, b) => a.offset - b.offset || a.order - b.order);
    return limitProblems(
      placed
        .slice(0, MAX_REPORTED_PROBLEMS)
        .map(({ issue, offset }) =>
          problemAt(issue.segments, offset, issue.message),
        ),
      issues.length,
    );
  };

  if (spans.duplicates.length > 0) {
    const keys = spans.duplicates.sort((a, b) => a - b);
    return {
      problems: limitProblems(
        keys.slice(0, MAX_REPORTED_PROBLEMS).map(key => {
          const segments = spans.pathOf(key);
          return problemAt(
            segments,
            spans.start(key),
            `duplicate key '${
              segments[segments.length - 1]
            }': keys of a mapping must be unique`,
          );
        }),
        keys.length,
      ),
    };
  }

  if (spans.hasAliases) {
    try {
      checkExpansion(value, work);
    } catch (error) {
      if (!(error instanceof Stop)) {
        throw error;
      }
      return {
        problems: [
          toProblem({ segments: error.segments, message: error.message }),
        ],
      };
    }
  }

  return { document: { value, toProblem, toProblems } };
}
