import express from 'express';
import Router from 'express-promise-router';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TenancyService } from '@akili/plugin-akili-node';
import {
  akiliQueryRunPermission,
  guardQuery,
} from '@akili/plugin-starrocks-common';
import { z } from 'zod';
import {
  createResultSink,
  formatFromAccept,
  RESULT_MEDIA_TYPES,
} from '../engine/formats';
import { QueryRunner } from '../engine/QueryRunner';
import { readableTablesOf } from './readableTables';

/**
 * The longest statement the route takes. The guard runs on the event loop: 100,000 characters
 * take about 50 ms on a 2-core machine, its own 1 MiB cap about 270 ms, which a caller could
 * repeat to stall every other request.
 */
export const MAX_QUERY_SQL_LENGTH = 100_000;

const queryBody = z
  .object({
    sql: z
      .string()
      .min(1)
      .max(MAX_QUERY_SQL_LENGTH, {
        message: `is longer than ${MAX_QUERY_SQL_LENGTH} characters`,
      }),
    limit: z.number().int().positive().optional(),
  })
  .strict();

/**
 * The query API: `POST /v1/tenants/:tenant/query` with `{ sql, limit? }`. The caller is
 * authorized in the tenant (`akili.query.run`: consumers, developers, operators; another
 * tenant answers as a missing one), the SQL guard admits one read-only statement over the
 * tenant's own data product tables (refused: 400 with the reason and position, nothing sent to
 * the server), and the runner streams the rows from the tenant's read-only user: JSON, or NDJSON
 * or CSV as `Accept` asks. A client that goes away kills the query on the server.
 */
export async function createRouter(options: {
  tenancy: TenancyService;
  catalog: CatalogService;
  runner: QueryRunner;
  /** The catalog the tenant users' connections start in (`starrocks.defaultCatalog`). */
  defaultCatalog: string;
}): Promise<express.Router> {
  const { tenancy, catalog, runner, defaultCatalog } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.post('/v1/tenants/:tenant/query', async (req, res) => {
    const authorization = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQueryRunPermission,
    });
    const parsed = queryBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new InputError(
        `Invalid query request: ${parsed.error.issues
          .map(issue =>
            issue.code === 'unrecognized_keys'
              ? `unknown field ${issue.keys.join(', ')}`
              : `${issue.path.join('.') || 'body'} ${issue.message}`,
          )
          .join('; ')}`,
      );
    }
    const { tenant } = authorization;
    const readableTables = await readableTablesOf(
      catalog,
      tenant,
      await tenancy.catalogCredentials(authorization, { namespace: tenant }),
    );
    const guarded = guardQuery(parsed.data.sql, {
      readableTables,
      defaultCatalog,
    });
    if (!guarded.ok) {
      const at = guarded.position
        ? ` (line ${guarded.position.line}, column ${guarded.position.column})`
        : '';
      throw new InputError(`Query refused: ${guarded.reason}${at}`);
    }

    const format = formatFromAccept(req.headers.accept);
    const cancel = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) cancel.abort();
    });
    res.type(RESULT_MEDIA_TYPES[format]);
    await runner.run(
      {
        tenant,
        sql: guarded.statement,
        limit: parsed.data.limit,
        signal: cancel.signal,
      },
      createResultSink(format, res),
    );
  });

  return router;
}
