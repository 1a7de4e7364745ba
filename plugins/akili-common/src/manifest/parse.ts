import { importOdcs } from '../standards/odcs';
import { importOdcsProduct } from '../standards/odcsProduct';
import { importOdps } from '../standards/odps';
import { OdcsContract } from '../standards/types';
import { odcsSchemaIssues, odpsSchemaIssues } from '../standards/validators';
import {
  Issue,
  MAX_REPORTED_PROBLEMS,
  issueToProblem,
  limitProblems,
  parsePath,
} from './paths';
import {
  ParseWork,
  SourceDocument,
  emptyParseWork,
  readSourceDocument,
} from './source';
import {
  DATA_PRODUCT_API_VERSION,
  DataProductManifest,
  ManifestFormat,
  ManifestProblem,
  ManifestValidationResult,
} from './types';
import { manifestIssues } from './validate';

/** The largest manifest, contract or product file accepted: 1 MiB. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export { MAX_REPORTED_PROBLEMS } from './paths';

/** Options of {@link parseManifest}. */
export interface ParseManifestOptions {
  /** Size cap in bytes, checked before parsing; defaults to {@link MAX_MANIFEST_BYTES}. */
  maxBytes?: number;
  /** ODCS contracts by contract id, used to fill the output ports of ODPS products. */
  contracts?: ReadonlyMap<string, OdcsContract>;
  /**
   * The tenant of the document's source (its folder, GitLab subgroup or the tenant it is
   * submitted to). It wins over the `tenant` an ODPS or ODCS document claims; a differing claim
   * is a warning.
   */
  tenant?: string;
  /**
   * An ODPS output port whose contract is not in `contracts`: an `error` (default), or a
   * `warning` when a file is validated alone (the registry resolves it on submission).
   */
  unresolvedContracts?: 'error' | 'warning';
  /**
   * Also map a valid ODCS contract onto a product (one output port per schema object), in
   * `manifests`: for submitting a contract on its own. Without it an ODCS document yields only
   * its `contract`.
   */
  contractAsProduct?: boolean;
}

/** The answer of {@link parseManifest}: an ODCS document also gives its contract. */
export type ParseManifestResult = ManifestValidationResult & {
  contract?: OdcsContract;
};

/** An invalid answer; `errors` are in text order and limited already. */
function invalid(
  kind: ManifestFormat,
  errors: ManifestProblem[],
  warnings: ManifestProblem[] = [],
): ParseManifestResult {
  return { valid: false, kind, manifests: [], errors, warnings };
}

/** Problems in the order of the text; those without a position last. */
function sortByPosition(problems: ManifestProblem[]): ManifestProblem[] {
  const key = (p: ManifestProblem) =>
    (p.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (p.column ?? 0);
  return [...problems].sort((a, b) => key(a) - key(b));
}

function detectFormat(value: Record<string, unknown>): ManifestFormat {
  const { apiVersion, kind } = value;
  if (typeof apiVersion === 'string' && apiVersion.startsWith('akili.io/')) {
    return 'akili';
  }
  if (kind === 'DataContract') {
    return 'odcs';
  }
  if (kind === 'DataProduct') {
    return 'odps';
  }
  return 'unknown';
}

/** Places problems that carry a path of the source document in its text. */
function locateProblems(
  document: SourceDocument,
  problems: ManifestProblem[],
): ManifestProblem[] {
  return problems.map(problem =>
    // Problems of the mapped Akili manifest have no place in the source document.
    problem.line !== undefined || problem.message.startsWith('mapped manifest:')
      ? problem
      : {
          ...document.toProblem({
            segments: parsePath(problem.path),
            message: problem.message,
            at: /^missing required field/.test(problem.message)
              ? 'parent'
              : undefined,
          }),
          path: problem.path,
        },
  );
}

/**
 * Parses and validates the text of one document: an Akili `DataProduct` manifest
 * (`apiVersion: akili.io/v1alpha1`), an ODPS v1 data product, or an ODCS v3 data contract, in
 * YAML or JSON. Never throws: every problem comes back in `errors` with the JSON path of the
 * offending value and, when it can be placed, its 1-based line and column.
 *
 * ODPS products are validated against the official ODPS schema, then mapped onto an Akili
 * manifest (`importOdps`) using `options.contracts` for their output ports. ODCS contracts are
 * validated against the official ODCS schema and mapped onto an output port (`importOdcs`) to
 * find what Akili cannot use; a valid one comes back as `contract` with no manifests.
 *
 * References to products that do not exist are not errors here: the catalog shows them as
 * unresolved.
 */
export function parseManifest(
  text: string,
  options?: ParseManifestOptions,
): ParseManifestResult {
  return parseManifestCounting(text, options, emptyParseWork());
}

/** {@link parseManifest}, counting the reader's steps in `work` (for tests of linearity). */
export function parseManifestCounting(
  text: string,
  options: ParseManifestOptions | undefined,
  work: ParseWork,
): ParseManifestResult {
  const read = readSourceDocument(
    text,
    options?.maxBytes ?? MAX_MANIFEST_BYTES,
    work,
  );
  if ('problems' in read) {
    return invalid('unknown', read.problems);
  }
  const { document } = read;
  const value = document.value as Record<string, unknown>;
  const toProblems = (issues: Issue[]) => document.toProblems(issues);
  const importProblems = (problems: ManifestProblem[]) =>
    limitProblems(
      sortByPosition(locateProblems(document, problems)),
      problems.length,
    );

  const kind = detectFormat(value);
  switch (kind) {
    case 'akili': {
      const problems = toProblems(manifestIssues(value));
      if (problems.length > 0) {
        return invalid(kind, problems);
      }
      return {
        valid: true,
        kind,
        manifests: [value as unknown as DataProductManifest],
        errors: [],
        warnings: [],
      };
    }
    case 'odps': {
      const schemaProblems = toProblems(odpsSchemaIssues(value));
      if (schemaProblems.length > 0) {
        return invalid(kind, schemaProblems);
      }
      const imported = importOdps(value, {
        contracts: options?.contracts,
        tenant: options?.tenant,
        unresolvedContracts: options?.unresolvedContracts,
      });
      const warnings = importProblems(imported.warnings);
      if (!imported.manifest || imported.errors.length > 0) {
        return invalid(kind, importProblems(imported.errors), warnings);
      }
      return {
        valid: true,
        kind,
        manifests: [imported.manifest],
        errors: [],
        warnings,
      };
    }
    case 'odcs': {
      const schemaProblems = toProblems(odcsSchemaIssues(value));
      if (schemaProblems.length > 0) {
        return invalid(kind, schemaProblems);
      }
      // On its own a contract is a product; else only its ports are mapped (the catalog reads
      // contract files for the ODPS products that name them).
      const imported = options?.contractAsProduct
        ? importOdcsProduct(value, { tenant: options?.tenant })
        : importOdcs(value);
      const warnings = importProblems(imported.warnings);
      if (imported.errors.length > 0) {
        return invalid(kind, importProblems(imported.errors), warnings);
      }
      return {
        valid: true,
        kind,
        manifests:
          'manifest' in imported && imported.manifest
            ? [imported.manifest]
            : [],
        errors: [],
        warnings,
        contract: value,
      };
    }
    default: {
      const hasKind = typeof value.kind === 'string';
      return invalid(kind, [
        document.toProblem({
          segments: [hasKind ? 'kind' : 'apiVersion'],
          at:
            value[hasKind ? 'kind' : 'apiVersion'] === undefined
              ? 'parent'
              : 'value',
          message: `not a data product manifest: expected apiVersion '${DATA_PRODUCT_API_VERSION}' with kind 'DataProduct', an ODPS product (kind 'DataProduct') or an ODCS contract (kind 'DataContract')`,
        }),
      ]);
    }
  }
}

/**
 * Validates an already-parsed manifest (such as a catalog entity) against the schema and the
 * semantic checks. Problems carry paths but no line numbers. Tolerates the fields the catalog
 * adds (`metadata.uid`, `metadata.etag`, `relations`, `status`).
 */
export function validateManifestObject(value: unknown): ManifestProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: '$', message: 'manifest must be an object' }];
  }
  const issues = manifestIssues(value);
  return limitProblems(
    issues.slice(0, MAX_REPORTED_PROBLEMS).map(issueToProblem),
    issues.length,
  );
}
