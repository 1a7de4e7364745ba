import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductManifest,
  ManifestProblem,
  OdcsContract,
  parseManifest,
} from '@akili/plugin-akili-common';
import { parseDocument } from 'yaml';
import {
  ANNOTATION_MANIFEST_ERRORS,
  ANNOTATION_MANIFEST_FORMAT,
  ANNOTATION_MANIFEST_SOURCE,
  formatProblems,
} from './annotations';
import { CONTRACT_FILE_PATTERN, ManifestFile } from './types';

/** A file that gave no entity, and why. */
export interface FileProblem {
  target: string;
  problems: ManifestProblem[];
}

export interface ConversionResult {
  entities: Entity[];
  /** Files that are invalid (with or without a failing marker entity). */
  problems: FileProblem[];
  /** ODCS contracts by id, for later delta conversions. */
  contracts: Map<string, OdcsContract>;
}

/**
 * Turns manifest files into catalog entities. A file that does not validate becomes a
 * marker entity under its product's ref, carrying the problems (the processor fails it, so the
 * catalog keeps the last good version and shows the errors); its ref comes from the file if
 * it still names one, else from `knownRefs` (what the file held last time).
 */
export function manifestsToEntities(
  files: ManifestFile[],
  options: {
    knownRefs: ReadonlyMap<string, string>;
    contracts?: ReadonlyMap<string, OdcsContract>;
  },
): ConversionResult {
  const problems: FileProblem[] = [];
  const contracts = new Map(options.contracts ?? []);

  // Contracts first: ODPS products refer to them by id.
  for (const file of files.filter(f =>
    CONTRACT_FILE_PATTERN.test(f.fileName),
  )) {
    if (file.readError !== undefined || file.text === undefined) {
      problems.push({
        target: file.target,
        problems: [{ path: '$', message: file.readError ?? 'unreadable' }],
      });
      continue;
    }
    const result = parseManifest(file.text);
    if (!result.valid) {
      problems.push({ target: file.target, problems: result.errors });
    } else if (result.contract && typeof result.contract.id === 'string') {
      contracts.set(result.contract.id, result.contract);
    }
  }

  const entities: Entity[] = [];
  const seen = new Map<string, string>(); // entity ref -> target that defined it
  for (const file of files.filter(
    f => !CONTRACT_FILE_PATTERN.test(f.fileName),
  )) {
    const result =
      file.text === undefined
        ? undefined
        : parseManifest(file.text, { contracts });
    if (result?.valid) {
      for (const manifest of result.manifests) {
        const entity = toEntity(manifest, file, result.kind);
        const ref = stringifyEntityRef(entity);
        const other = seen.get(ref);
        if (other) {
          problems.push({
            target: file.target,
            problems: [
              {
                path: '$.metadata.name',
                message: `${ref} is already defined by ${other}`,
              },
            ],
          });
          continue;
        }
        seen.set(ref, file.target);
        entities.push(entity);
      }
      continue;
    }
    const fileProblems: ManifestProblem[] = result
      ? result.errors
      : [{ path: '$', message: file.readError ?? 'unreadable' }];
    problems.push({ target: file.target, problems: fileProblems });
    const ref =
      (file.text !== undefined && guessRef(file.text)) ||
      options.knownRefs.get(file.target);
    if (ref && !seen.has(ref)) {
      seen.set(ref, file.target);
      entities.push(failingMarker(ref, file, fileProblems));
    }
  }
  return { entities, problems, contracts };
}

function locationRef(file: ManifestFile) {
  return `${file.locationType}:${file.target}`;
}

function toEntity(
  manifest: DataProductManifest,
  file: ManifestFile,
  format: string,
): Entity {
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      annotations: {
        ...manifest.metadata.annotations,
        [ANNOTATION_LOCATION]: locationRef(file),
        [ANNOTATION_ORIGIN_LOCATION]: locationRef(file),
        [ANNOTATION_MANIFEST_SOURCE]: file.target,
        [ANNOTATION_MANIFEST_FORMAT]: format,
      },
    },
  } as unknown as Entity;
}

function failingMarker(
  ref: string,
  file: ManifestFile,
  problems: ManifestProblem[],
): Entity {
  const [, namespace, name] = /^dataproduct:([^/]+)\/(.+)$/.exec(ref)!;
  return {
    apiVersion: DATA_PRODUCT_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: {
      name,
      namespace,
      annotations: {
        [ANNOTATION_LOCATION]: locationRef(file),
        [ANNOTATION_ORIGIN_LOCATION]: locationRef(file),
        [ANNOTATION_MANIFEST_SOURCE]: file.target,
        [ANNOTATION_MANIFEST_ERRORS]: `Manifest ${
          file.target
        } is invalid, keeping the last good version: ${formatProblems(
          problems,
        )}`,
      },
    },
    spec: {},
  };
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The product ref a broken file still names, read leniently; undefined if it names none. */
export function guessRef(text: string): string | undefined {
  try {
    // No alias expansion happens here: only two scalar paths are read.
    const doc = parseDocument(text, { uniqueKeys: false });
    const name = doc.getIn(['metadata', 'name']);
    const namespace = doc.getIn(['metadata', 'namespace']);
    if (
      typeof name === 'string' &&
      typeof namespace === 'string' &&
      NAME.test(name) &&
      NAME.test(namespace)
    ) {
      return `dataproduct:${namespace}/${name}`;
    }
  } catch {
    // not even lenient YAML
  }
  return undefined;
}
