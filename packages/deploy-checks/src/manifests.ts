import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** One document of a multi-document YAML file. */
export interface Manifest {
  /** Where it came from, as shown in messages (a path, or a label such as `kustomize build k8s/overlays/staging`). */
  source: string;
  /** 1-based position of the document in its file. */
  index: number;
  doc: any;
}

/** `kind/name` (with namespace when set) of a document, for messages. */
export function describe(m: Manifest): string {
  const d = m.doc ?? {};
  const ns = d.metadata?.namespace ? `${d.metadata.namespace}/` : '';
  return `${m.source} document ${m.index} (${d.kind ?? '?'} ${ns}${
    d.metadata?.name ?? '?'
  })`;
}

/**
 * Parses every document of a YAML text. Syntax errors and duplicate keys are errors naming the
 * source, the document and the line. Empty documents (a trailing `---`) are left out; other
 * non-mappings (a JSON patch's list) are kept, and schema validation refuses them.
 */
export function parseManifests(text: string, source: string): Manifest[] {
  const docs = parseAllDocuments(text, {
    uniqueKeys: true,
    prettyErrors: true,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: Manifest[] = [];
  list.forEach((d, i) => {
    if (d.errors.length > 0) {
      const e = d.errors[0];
      throw new Error(
        `${source} document ${i + 1}: ${e.message.split('\n')[0]}${
          e.linePos ? ` (line ${e.linePos[0].line})` : ''
        }`,
      );
    }
    const doc = d.toJS({ maxAliasCount: 100 });
    if (doc === null || doc === undefined) return;
    out.push({ source, index: i + 1, doc });
  });
  return out;
}

/** Reads and parses a YAML file (see {@link parseManifests}). */
export function loadManifests(file: string, label: string = file): Manifest[] {
  return parseManifests(fs.readFileSync(file, 'utf8'), label);
}
