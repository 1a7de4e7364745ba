import fs from 'node:fs/promises';
import path from 'node:path';
import {
  MAX_MANIFEST_BYTES,
  SubmitProductConflict,
  SubmitProductResponse,
} from '@akili/plugin-akili-common';
import { NotSignedInError, resolveLogin } from '../lib/config';
import { describeDiff, describeImpact } from '../lib/describe';
import { CliIo, ExitCode } from '../lib/io';
import {
  PortalUnavailableError,
  callPortal,
  describeFailure,
  exitCodeForStatus,
  timeoutFromEnv,
} from '../lib/portal';
import { requireTenant } from '../lib/names';

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
  const tenant = requireTenant(options.tenant, 'to submit to');
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
      timeoutMs: timeoutFromEnv(io.env),
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
  const body = response.body as SubmitProductResponse;
  if (accepted && typeof body?.product?.entityRef !== 'string') {
    io.err(
      `${file}: ${login.url} answered ${response.status} without a product: is it the portal's backend?\n`,
    );
    return ExitCode.Unavailable;
  }
  let code = accepted ? ExitCode.Ok : exitCodeForStatus(response.status);
  if (accepted && body.conflict) {
    // A dry run answers 200 either way; the submission itself would get a 409.
    io.err(`${file}: the submission would be refused: ${body.conflict}\n`);
    code = ExitCode.Refused;
  }
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

  if (!accepted) {
    io.err(`${file}: ${describeFailure(response, login)}\n`);
    if (response.status === 409) {
      const conflict = response.body as Partial<SubmitProductConflict>;
      io.err(
        `${[
          ...describeDiff(conflict.diff),
          ...describeImpact(conflict.impact),
          'Breaking changes need a new major version and --acknowledge-breaking',
        ].join('\n')}\n`,
      );
    }
    return code;
  }

  const { product } = body;
  const lines = body.stored
    ? [
        `Submitted ${product.entityRef}: revision ${
          product.revision
        }, version ${product.version ?? 'not set'}, status ${product.status}`,
      ]
    : [
        `Dry run, nothing stored: ${product.entityRef} would be revision ${
          product.revision
        }, version ${product.version ?? 'not set'}, status ${product.status}`,
      ];
  lines.push(...describeDiff(body.diff));
  for (const warning of body.warnings ?? []) {
    lines.push(`Warning: ${warning}`);
  }
  lines.push(...describeImpact(body.impact));
  io.out(`${lines.join('\n')}\n`);
  return code;
}
