import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductManifest,
  ManifestFormat,
  ManifestProblem,
  NAME_PATTERN,
  OdcsContract,
  parseManifest,
  ParseManifestOptions,
  ParseManifestResult,
} from '@akili/plugin-akili-common';
import { isError } from '@backstage/errors';
import { parseDocument } from 'yaml';
import {
  ANNOTATION_MANIFEST_ERRORS,
  ANNOTATION_MANIFEST_FORMAT,
  ANNOTATION_MANIFEST_SOURCE,
  formatProblems,
} from './annotations';
import { mapLimited } from './mapLimited';
import { CONTRACT_FILE_PATTERN, ManifestFile } from './types';

/** A file that gave no entity, and why. */
export interface FileProblem {
  target: string;
  problems: ManifestProblem[];
}

/** An ODCS contract read from a file of a tenant's place. */
export interface TenantContract {
  /** The tenant of the file's place: the contract applies to this tenant's products only. */
  tenant: string;
  id: string;
  contract: OdcsContract;
}

export interface ConversionResult {
  entities: Entity[];
  /** Files that are invalid (with or without a failing marker entity). */
  problems: FileProblem[];
  /**
   * Files read with warnings (such as an ODPS or ODCS `tenant` that is not the tenant of the
   * file's place, which wins).
   */
  warnings: FileProblem[];
  /** ODCS contracts by the target of their file, for later delta conversions. */
  contracts: Map<string, TenantContract>;
}

/**
 * Parses one manifest text: `parseManifest` of `@akili/plugin-akili-common`, or the backend's
 * `manifestParserServiceRef` (`@akili/plugin-akili-node`), which parses off the event loop.
 */
export type ManifestParse = (
  text: string,
  options?: ParseManifestOptions,
) => Promise<ParseManifestResult>;

/** The parser on the calling thread (tests, tools); the module passes the backend's pool. */
export const parseOnThisThread: ManifestParse = async (text, options) =>
  parseManifest(text, options);

/** Files parsed at once: well below the shared parser pool's queue. */
const PARSE_CONCURRENCY = 4;

export interface ConversionOptions {
  /** How texts are parsed; default {@link parseOnThisThread}. */
  parse?: ManifestParse;
  /** Entity ref each file held at its last good read (target -> ref). */
  knownRefs: ReadonlyMap<string, string>;
  /** Contracts read earlier, by target (a delta re-reads only some files). */
  contracts?: ReadonlyMap<string, TenantContract>;
  /**
   * Entity refs held by files that are not part of this conversion (ref -> target): a delta
   * must not take them over (the first file keeps its product, as in a full scan).
   */
  heldRefs?: ReadonlyMap<string, string>;
}

/**
 * Turns manifest files into catalog entities. Each file belongs to the tenant of its place (set
 * by its source); a manifest whose namespace is another tenant is refused, so no file of one
 * tenant can define, replace, shadow or block another tenant's product, and an ODPS product only
 * sees the ODCS contracts of its own tenant.
 *
 * A file that does not validate becomes a marker entity under its product's ref, carrying the
 * problems (the processor fails it, so the catalog keeps the last good version and shows the
 * errors); the ref is the file's product name in the file's tenant, else what the file held last
 * time (`knownRefs`). Valid manifests take precedence over markers, and the first file defining a
 * product keeps it.
 */
export async function manifestsToEntities(
  files: ManifestFile[],
  options: ConversionOptions,
): Promise<ConversionResult> {
  const parse = options.parse ?? parseOnThisThread;
  const problems: FileProblem[] = [];
  const warnings: FileProblem[] = [];
  const warn = (file: ManifestFile, result?: ParseManifestResult) => {
    if (result?.valid && result.warnings?.length) {
      warnings.push({ target: file.target, problems: result.warnings });
    }
  };
  const reading = new Set(files.map(f => f.target));
  const contracts = new Map(
    [...(options.contracts ?? [])].filter(([target]) => !reading.has(target)),
  );

  // Contracts first: ODPS products refer to them by id.
  const contractFiles = files.filter(f =>
    CONTRACT_FILE_PATTERN.test(f.fileName),
  );
  const parsedContracts = await mapLimited(
    contractFiles,
    PARSE_CONCURRENCY,
    async file =>
      file.tenant && file.text !== undefined && file.readError === undefined
        ? safeParse(parse, file.text, { tenant: file.tenant })
        : undefined,
  );
  contractFiles.forEach((file, i) => {
    warn(file, parsedContracts[i]);
    const contract = readContract(file, parsedContracts[i], contracts);
    if ('tenantWarning' in contract && contract.tenantWarning) {
      warnings.push({
        target: file.target,
        problems: [contract.tenantWarning],
      });
    }
    if ('problems' in contract) {
      problems.push({ target: file.target, problems: contract.problems });
    } else if (contract.stored) {
      contracts.set(file.target, contract.stored);
    }
  });
  const contractsByTenant = new Map<string, Map<string, OdcsContract>>();
  for (const { tenant, id, contract } of contracts.values()) {
    if (!contractsByTenant.has(tenant))
      contractsByTenant.set(tenant, new Map());
    contractsByTenant.get(tenant)!.set(id, contract);
  }

  const valid: Array<{ ref: string; target: string; entity: Entity }> = [];
  const markers: Array<{
    ref: string;
    file: ManifestFile;
    problems: ManifestProblem[];
  }> = [];
  const productFiles = files.filter(
    f => !CONTRACT_FILE_PATTERN.test(f.fileName),
  );
  const parsedProducts = await mapLimited(
    productFiles,
    PARSE_CONCURRENCY,
    async file =>
      file.tenant && file.text !== undefined
        ? safeParse(parse, file.text, {
            // The file's place gives the tenant, whatever an ODPS `tenant` claims (a warning).
            tenant: file.tenant,
            contracts: contractsByTenant.get(file.tenant) ?? new Map(),
          })
        : undefined,
  );
  for (const [i, file] of productFiles.entries()) {
    const { tenant } = file;
    if (!tenant) {
      problems.push({ target: file.target, problems: [notInTenant(file)] });
      continue;
    }
    const result = parsedProducts[i];
    warn(file, result);
    let fileProblems: ManifestProblem[];
    if (result?.valid) {
      fileProblems = result.manifests.flatMap(manifest =>
        manifest.metadata.namespace === tenant
          ? []
          : [namespaceMismatch(file, result.kind, manifest.metadata.namespace)],
      );
      if (fileProblems.length === 0) {
        for (const manifest of result.manifests) {
          const entity = toEntity(manifest, file, result.kind);
          valid.push({
            ref: stringifyEntityRef(entity),
            target: file.target,
            entity,
          });
        }
        continue;
      }
    } else {
      fileProblems = result
        ? result.errors
        : [{ path: '$', message: file.readError ?? 'unreadable' }];
    }
    problems.push({ target: file.target, problems: fileProblems });
    const ref = markerRef(file, tenant, options.knownRefs);
    if (ref) {
      markers.push({ ref, file, problems: fileProblems });
    }
  }

  // Valid manifests first, in file order; then markers for refs nobody holds.
  const entities: Entity[] = [];
  const seen = new Map<string, string>(); // entity ref -> target that defined it
  const holder = (ref: string) => {
    const held = options.heldRefs?.get(ref);
    return held !== undefined && !reading.has(held) ? held : seen.get(ref);
  };
  for (const { ref, target, entity } of valid) {
    const other = holder(ref);
    if (other !== undefined && other !== target) {
      problems.push({
        target,
        problems: [
          {
            path: '$.metadata.name',
            message: `${ref} is already defined by ${other}`,
          },
        ],
      });
      continue;
    }
    seen.set(ref, target);
    entities.push(entity);
  }
  for (const { ref, file, problems: fileProblems } of markers) {
    if (holder(ref) !== undefined) continue;
    seen.set(ref, file.target);
    entities.push(failingMarker(ref, file, fileProblems));
  }
  return { entities, problems, warnings, contracts };
}

async function safeParse(
  parse: ManifestParse,
  text: string,
  options: ParseManifestOptions,
): Promise<ParseManifestResult> {
  try {
    return await parse(text, options);
  } catch (error) {
    if (isError(error) && error.name === 'ServiceUnavailableError') {
      // The parser is busy or shutting down: nothing is known about the file, so the whole
      // run fails and the catalog keeps what it has (a file is not marked invalid for it).
      throw error;
    }
    // The parser reports problems rather than throwing; should it throw, the file is invalid,
    // not the whole scan.
    return {
      valid: false,
      kind: 'unknown',
      manifests: [],
      errors: [
        {
          path: '$',
          message: `the manifest could not be parsed: ${
            isError(error) ? error.message : String(error)
          }`,
        },
      ],
    };
  }
}

function readContract(
  file: ManifestFile,
  result: ParseManifestResult | undefined,
  contracts: ReadonlyMap<string, TenantContract>,
):
  | { problems: ManifestProblem[] }
  | { stored?: TenantContract; tenantWarning?: ManifestProblem } {
  const { tenant } = file;
  if (!tenant) {
    return { problems: [notInTenant(file)] };
  }
  if (!result) {
    return {
      problems: [{ path: '$', message: file.readError ?? 'unreadable' }],
    };
  }
  if (!result.valid) {
    return { problems: result.errors };
  }
  const contract = result.contract;
  if (!contract || typeof contract.id !== 'string') {
    return {};
  }
  // ODCS has an optional `tenant`: the file's place wins over it (a differing one is a
  // warning, as for an ODPS product), so the contract is the file's tenant's.
  const claimed = (contract as { tenant?: unknown }).tenant;
  const tenantWarning: ManifestProblem | undefined =
    claimed !== undefined && claimed !== tenant
      ? {
          path: '$.tenant',
          message: `tenant '${String(
            claimed,
          )}' is not the tenant of the document's source: it belongs to tenant '${tenant}'`,
        }
      : undefined;
  for (const [target, other] of contracts) {
    if (other.tenant === tenant && other.id === contract.id) {
      return {
        problems: [
          {
            path: '$.id',
            message: `contract '${contract.id}' of tenant '${tenant}' is already defined by ${target}`,
          },
        ],
      };
    }
  }
  return { stored: { tenant, id: contract.id, contract }, tenantWarning };
}

function notInTenant(file: ManifestFile): ManifestProblem {
  return {
    path: '$',
    message: `${file.target} is not in a tenant's place of its source (a tenant's folder or a tenant's GitLab subgroup), so it belongs to no tenant`,
  };
}

function namespaceMismatch(
  file: ManifestFile,
  kind: ManifestFormat,
  claimed: unknown,
): ManifestProblem {
  const field = kind === 'akili' ? '$.metadata.namespace' : '$.tenant';
  return {
    path: field,
    message: `${file.target} claims namespace '${String(
      claimed,
    )}', but its source is tenant '${
      file.tenant
    }': a manifest's namespace must be the tenant of the place it comes from`,
  };
}

/**
 * The ref a failing file marks: its product name (read leniently) in the file's tenant, unless
 * the file names another namespace; else what the file held last time, if that is in the tenant.
 */
function markerRef(
  file: ManifestFile,
  tenant: string,
  knownRefs: ReadonlyMap<string, string>,
): string | undefined {
  const guessed = file.text === undefined ? undefined : guessName(file.text);
  if (
    guessed?.name &&
    (guessed.namespace === undefined || guessed.namespace === tenant)
  ) {
    return `dataproduct:${tenant}/${guessed.name}`;
  }
  const known = knownRefs.get(file.target);
  if (known && parseEntityRef(known).namespace === tenant) {
    return known;
  }
  if (guessed?.name) {
    return `dataproduct:${tenant}/${guessed.name}`;
  }
  return undefined;
}

function locationRef(file: ManifestFile) {
  return `${file.locationType}:${file.target}`;
}

/**
 * The entity of a valid manifest: its `apiVersion`, `kind`, `metadata` and `spec` only. `status`
 * and `relations` (which the manifest schema lets through, as the catalog sets them on stored
 * entities) are the catalog's: a file's own would carry placeholders (`$text: <url>`) that the
 * catalog resolves anywhere in an entity, reading through the platform's integrations.
 */
function toEntity(
  manifest: DataProductManifest,
  file: ManifestFile,
  format: string,
): Entity {
  return {
    apiVersion: manifest.apiVersion,
    kind: manifest.kind,
    spec: manifest.spec,
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
  const { namespace, name } = parseEntityRef(ref);
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

const NAME = new RegExp(NAME_PATTERN);
const isName = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 63 && NAME.test(value);

/**
 * The product name and namespace a broken file still names, read leniently (an Akili manifest's
 * `metadata`); each undefined when the file does not name a valid one.
 */
export function guessName(text: string): { name?: string; namespace?: string } {
  try {
    // No alias expansion happens here: only two scalar paths are read.
    const doc = parseDocument(text, { uniqueKeys: false });
    const name = doc.getIn(['metadata', 'name']);
    const namespace = doc.getIn(['metadata', 'namespace']);
    return {
      name: isName(name) ? name : undefined,
      namespace: namespace === undefined ? undefined : String(namespace),
    };
  } catch {
    // not even lenient YAML
  }
  return {};
}
