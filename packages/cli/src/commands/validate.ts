import fs from 'node:fs/promises';
import path from 'node:path';
import {
  DataProductManifest,
  MAX_MANIFEST_BYTES,
  ManifestFormat,
  ManifestProblem,
  OdcsContract,
  ParseManifestOptions,
  ParseManifestResult,
  parseManifest,
} from '@akili/plugin-akili-common';
import { CliIo, ExitCode } from '../lib/io';

/** Names of ODCS contract files looked for next to an ODPS product, as the catalog reads them. */
const CONTRACT_FILE = /\.odcs\.(ya?ml|json)$/i;

/** The outcome of one file. */
export interface FileValidation {
  /** The file as given on the command line. */
  file: string;
  valid: boolean;
  kind: ManifestFormat;
  errors: ManifestProblem[];
  /** What Akili cannot use of the file, or chose for it; never a reason to refuse it. */
  warnings: ManifestProblem[];
  /** `<namespace>/<name>` of each product the file defines. */
  products: string[];
  /** The products in Akili form (ODPS mapped onto them). */
  manifests: DataProductManifest[];
  /** ODCS: the contract's id. */
  contractId?: string;
  /** Why the file could not be read; such a file is neither valid nor invalid. */
  unreadable?: string;
}

/**
 * Reads a file as text, at most one byte past the manifest size cap: the parser then reports an
 * oversized file with the portal's own message, and a huge file is never read whole.
 */
async function readText(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      // No position: reads on, so pipes (`<(git show ...)`, /dev/stdin) work too.
      const { bytesRead } = await handle.read(
        buffer,
        length,
        buffer.length - length,
        null,
      );
      if (bytesRead === 0) {
        break;
      }
      length += bytesRead;
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

function describeReadError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory; name the manifest files (a shell glob works)';
    case 'EACCES':
      return 'permission denied';
    default:
      return message;
  }
}

function summarize(file: string, result: ParseManifestResult): FileValidation {
  const contractId =
    typeof result.contract?.id === 'string' ? result.contract.id : undefined;
  return {
    file,
    valid: result.valid,
    kind: result.kind,
    errors: result.errors,
    warnings: result.warnings ?? [],
    products: result.manifests.map(
      m => `${m.metadata.namespace ?? 'default'}/${m.metadata.name}`,
    ),
    manifests: result.manifests,
    ...(contractId ? { contractId } : {}),
  };
}

/**
 * How a file is read offline: contracts it names that are not at hand are warnings (the registry
 * resolves them on submission), and an ODCS contract is also read as the product it is when
 * submitted on its own.
 */
const OFFLINE: ParseManifestOptions = {
  unresolvedContracts: 'warning',
  contractAsProduct: true,
};

/**
 * Validates manifest files offline with the portal's own parser and rules (`parseManifest` of
 * `@akili/plugin-akili-common`): Akili manifests, ODPS v1 products and ODCS v3 contracts, YAML or
 * JSON. ODPS and ODCS documents are checked against the official schemas first, then mapped onto
 * Akili's model, with warnings for what Akili cannot use. An ODPS product takes its output ports
 * from ODCS contracts, found among the files given and the `*.odcs.yaml` files in the product's
 * own directory (where the catalog reads them too); a contract found nowhere is a warning.
 */
export async function validateFiles(
  files: string[],
  cwd: string,
): Promise<FileValidation[]> {
  const texts = await Promise.all(
    files.map(async file => {
      try {
        return { file, text: await readText(path.resolve(cwd, file)) };
      } catch (error) {
        return { file, unreadable: describeReadError(error) };
      }
    }),
  );
  const results: FileValidation[] = [];
  const parsed = texts.map(entry =>
    entry.text === undefined ? undefined : parseManifest(entry.text, OFFLINE),
  );

  // Contracts named on the command line, by id.
  const given = new Map<string, OdcsContract>();
  parsed.forEach(result => {
    if (
      result?.valid &&
      result.contract &&
      typeof result.contract.id === 'string'
    ) {
      given.set(result.contract.id, result.contract);
    }
  });

  for (const [i, entry] of texts.entries()) {
    const result = parsed[i];
    if (entry.text === undefined || !result) {
      results.push({
        file: entry.file,
        valid: false,
        kind: 'unknown',
        errors: [],
        warnings: [],
        products: [],
        manifests: [],
        unreadable: entry.unreadable,
      });
      continue;
    }
    if (result.kind === 'odps') {
      const contracts = new Map([
        ...(await siblingContracts(path.resolve(cwd, entry.file))),
        ...given,
      ]);
      results.push(
        summarize(
          entry.file,
          parseManifest(entry.text, { ...OFFLINE, contracts }),
        ),
      );
    } else {
      results.push(summarize(entry.file, result));
    }
  }
  return results;
}

/** Valid ODCS contracts in the directory of `file`, by id; unreadable ones are skipped. */
async function siblingContracts(
  file: string,
): Promise<Map<string, OdcsContract>> {
  const dir = path.dirname(file);
  const contracts = new Map<string, OdcsContract>();
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return contracts;
  }
  for (const name of names.filter(n => CONTRACT_FILE.test(n)).sort()) {
    try {
      const result = parseManifest(await readText(path.join(dir, name)));
      if (
        result.valid &&
        result.contract &&
        typeof result.contract.id === 'string'
      ) {
        contracts.set(result.contract.id, result.contract);
      }
    } catch {
      // A contract that cannot be read is reported when it is validated itself.
    }
  }
  return contracts;
}

/**
 * `<file>:<line>:<column>: <path>: <message>`, without the position when it is unknown; with
 * `warning: ` before the path for a warning.
 */
export function formatProblem(
  file: string,
  problem: ManifestProblem,
  severity: 'error' | 'warning' = 'error',
): string {
  const where =
    problem.line !== undefined
      ? `${file}:${problem.line}:${problem.column ?? 1}`
      : file;
  return `${where}: ${severity === 'warning' ? 'warning: ' : ''}${
    problem.path
  }: ${problem.message}`;
}

const KIND_NAMES: Record<ManifestFormat, string> = {
  akili: 'Akili manifest',
  odps: 'ODPS product',
  odcs: 'ODCS contract',
  unknown: 'unknown document',
};

/** `akili validate`: prints the outcome of each file and answers the exit code. */
export async function runValidate(
  files: string[],
  options: { format: 'text' | 'json' },
  io: CliIo,
): Promise<ExitCode> {
  const results = await validateFiles(files, io.cwd);
  const unreadable = results.filter(r => r.unreadable);
  const invalid = results.filter(r => !r.unreadable && !r.valid);
  let code = ExitCode.Ok;
  if (unreadable.length > 0) {
    code = ExitCode.Usage;
  } else if (invalid.length > 0) {
    code = ExitCode.Refused;
  }

  if (options.format === 'json') {
    io.out(
      `${JSON.stringify(
        {
          valid: code === ExitCode.Ok,
          files: results.map(r => ({
            file: r.file,
            valid: r.valid,
            kind: r.kind,
            errors: r.errors,
            warnings: r.warnings,
            products: r.products,
            ...(r.contractId ? { contractId: r.contractId } : {}),
            ...(r.unreadable ? { unreadable: r.unreadable } : {}),
          })),
        },
        null,
        2,
      )}\n`,
    );
    return code;
  }

  for (const result of results) {
    if (result.unreadable) {
      io.err(`${result.file}: cannot read: ${result.unreadable}\n`);
    } else if (result.valid) {
      for (const warning of result.warnings) {
        io.out(`${formatProblem(result.file, warning, 'warning')}\n`);
      }
      // A contract also says the product it is when submitted on its own.
      const ports = result.manifests[0]?.spec.outputPorts.map(p => p.name);
      const what = result.contractId
        ? `${result.contractId}${
            ports
              ? ` (as ${result.products[0]}: ports ${ports.join(', ')})`
              : ''
          }`
        : result.products.join(', ');
      io.out(
        `${result.file}: valid ${KIND_NAMES[result.kind]}${
          what ? ` ${what}` : ''
        }\n`,
      );
    } else {
      for (const problem of result.errors) {
        io.out(`${formatProblem(result.file, problem)}\n`);
      }
      for (const warning of result.warnings) {
        io.out(`${formatProblem(result.file, warning, 'warning')}\n`);
      }
    }
  }
  const problems = invalid.reduce((n, r) => n + r.errors.length, 0);
  const parts = [
    `${results.length - invalid.length - unreadable.length} valid`,
    ...(invalid.length > 0
      ? [
          `${invalid.length} invalid (${problems} problem${
            problems === 1 ? '' : 's'
          })`,
        ]
      : []),
    ...(unreadable.length > 0 ? [`${unreadable.length} unreadable`] : []),
  ];
  (code === ExitCode.Ok ? io.out : io.err)(
    `${results.length} file${results.length === 1 ? '' : 's'}: ${parts.join(
      ', ',
    )}\n`,
  );
  return code;
}
