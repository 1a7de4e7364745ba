import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_MANIFEST_BYTES, NAME_PATTERN } from '@akili/plugin-akili-common';
import { NotSignedInError, resolveLogin } from '../lib/config';
import {
  describeChanges,
  describeImpact,
  describeWarnings,
} from '../lib/describe';
import { CliIo, ExitCode, UsageError } from '../lib/io';
import {
  PortalUnavailableError,
  callPortal,
  describeFailure,
  exitCodeForStatus,
} from '../lib/portal';

const NAME = new RegExp(NAME_PATTERN);

/** What the control plane answers to an accepted submission (201, or 200 for a dry run). */
interface SubmitAnswer {
  product?: {
    entityRef?: string;
    tenant?: string;
    name?: string;
    status?: string;
    version?: string;
    revision?: number;
  };
  diff?: unknown;
  warnings?: unknown;
  impact?: unknown;
}

/**
 * `akili submit <file> --tenant <t>`: sends the manifest text, as it is, to
 * `POST /api/akili/v1/tenants/:tenant/products`; the tenant is the route's, never the file's.
 */
export async function runSubmit(
  file: string,
  options: {
    tenant?: string;
    dryRun: boolean;
    acknowledgeBreaking: boolean;
    format: 'text' | 'json';
  },
  io: CliIo,
): Promise<ExitCode> {
  const { tenant } = options;
  if (!tenant) {
    throw new UsageError('Give the tenant to submit to with --tenant <tenant>');
  }
  if (!NAME.test(tenant)) {
    throw new UsageError(
      `"${tenant}" is not a tenant name: lowercase letters, digits and dashes`,
    );
  }
  let text: string;
  try {
    const stat = await fs.stat(path.resolve(io.cwd, file));
    if (stat.size > MAX_MANIFEST_BYTES) {
      io.err(
        `${file}: ${stat.size} bytes, larger than the limit of ${MAX_MANIFEST_BYTES} bytes\n`,
      );
      return ExitCode.Refused;
    }
    text = await fs.readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    io.err(`${file}: cannot read: ${(error as Error).message}\n`);
    return ExitCode.Usage;
  }

  let login;
  try {
    login = await resolveLogin(io.env);
  } catch (error) {
    if (error instanceof NotSignedInError) {
      io.err(`${error.message}\n`);
      return ExitCode.Auth;
    }
    throw error;
  }

  let response;
  try {
    response = await callPortal(login, {
      method: 'POST',
      path: `/v1/tenants/${encodeURIComponent(tenant)}/products`,
      query: {
        dryRun: options.dryRun ? 'true' : undefined,
        acknowledgeBreaking: options.acknowledgeBreaking ? 'true' : undefined,
      },
      body: text,
      contentType: /\.json$/i.test(file)
        ? 'application/json'
        : 'application/yaml',
    });
  } catch (error) {
    if (error instanceof PortalUnavailableError) {
      io.err(`${error.message}\n`);
      return ExitCode.Unavailable;
    }
    throw error;
  }

  const accepted = response.status === 200 || response.status === 201;
  const code = accepted ? ExitCode.Ok : exitCodeForStatus(response.status);
  if (options.format === 'json') {
    io.out(
      `${JSON.stringify(
        { status: response.status, body: response.body },
        null,
        2,
      )}\n`,
    );
    if (!accepted) {
      io.err(`${file}: ${describeFailure(response, login)}\n`);
    }
    return code;
  }

  const body = (
    typeof response.body === 'object' && response.body !== null
      ? response.body
      : {}
  ) as SubmitAnswer & { diff?: unknown };

  if (!accepted) {
    io.err(`${file}: ${describeFailure(response, login)}\n`);
    if (response.status === 409) {
      const changes = describeChanges(body.diff);
      if (changes.length > 0) {
        io.err(`Changes:\n${changes.join('\n')}\n`);
      }
      io.err(
        'A breaking change needs a major version bump and --acknowledge-breaking\n',
      );
    }
    return code;
  }

  const product = body.product ?? {};
  const name =
    product.entityRef ?? `${product.tenant ?? tenant}/${product.name ?? '?'}`;
  const lines = [
    options.dryRun
      ? `Dry run: ${name} would be submitted as version ${
          product.version ?? '?'
        } (nothing was stored)`
      : `Submitted ${name}: version ${product.version ?? '?'}, revision ${
          product.revision ?? '?'
        }, status ${product.status ?? '?'}`,
  ];
  const changes = describeChanges(body.diff);
  lines.push(
    ...(changes.length > 0
      ? ['Changes:', ...changes]
      : ['No changes to the previous version, or a first version']),
  );
  const warnings = describeWarnings(body.warnings);
  if (warnings.length > 0) {
    lines.push('Warnings:', ...warnings);
  }
  const impact = describeImpact(body.impact);
  if (impact.length > 0) {
    lines.push('Downstream products affected:', ...impact);
  }
  io.out(`${lines.join('\n')}\n`);
  return code;
}
