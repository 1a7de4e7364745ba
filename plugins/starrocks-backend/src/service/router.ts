import express from 'express';
import Router from 'express-promise-router';
import { InputError } from '@backstage/errors';
import { MaskedColumn } from '@akili/plugin-starrocks-common';
import { z } from 'zod';
import {
  createResultSink,
  formatFromAccept,
  RESULT_MEDIA_TYPES,
} from '../engine/formats';
import { QueryService } from './QueryService';

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
    /** CSV for spreadsheets: text that would start a formula gets a leading `'`. */
    spreadsheetSafe: z.boolean().optional(),
  })
  .strict();

/**
 * The response header naming the masked columns of a CSV answer (CSV has no place for them):
 * the JSON body's `masked` list as JSON, characters outside ASCII written as `\uXXXX`.
 */
export const MASKED_COLUMNS_HEADER = 'Akili-Masked-Columns';

/** The response header with the query's audit entry id (`queryId`), in every format. */
export const QUERY_ID_HEADER = 'Akili-Query-Id';

/** The value of {@link MASKED_COLUMNS_HEADER}. */
export function maskedColumnsHeader(masked: MaskedColumn[]): string {
  return JSON.stringify(masked).replace(
    // Per UTF-16 unit (no `u` flag), so characters beyond the BMP become JSON surrogate pairs.
    /[^\x20-\x7e]/g,
    ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The query API. `POST /v1/tenants/:tenant/query` with `{ sql, limit? }`: the caller is
 * authorized in the tenant (`akili.query.run`: consumers, developers, operators; another
 * tenant answers as a missing one), the SQL guard admits one read-only statement over the
 * tenant's own data product tables (refused: 400 with the reason and position, nothing sent to
 * the server), columns the caller may not see are masked by rewriting the statement, and the
 * engine streams the rows from the tenant's read-only user: JSON, or NDJSON or CSV as `Accept`
 * asks. A client that goes away kills the query on the server. `GET /v1/tenants/:tenant/schema`:
 * the tables and columns the tenant may read, with what is masked for the caller.
 */
export async function createRouter(options: {
  queries: QueryService;
}): Promise<express.Router> {
  const { queries } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/v1/tenants/:tenant/schema', async (req, res) => {
    const { authorization, unmask } = await queries.authorize(
      req,
      req.params.tenant,
    );
    res.json(await queries.schema(authorization, unmask));
  });

  router.post('/v1/tenants/:tenant/query', async (req, res) => {
    const { authorization, unmask } = await queries.authorize(
      req,
      req.params.tenant,
    );
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
    const prepared = await queries.prepare(authorization, parsed.data.sql, {
      unmask,
    });

    const format = formatFromAccept(req.headers.accept);
    const cancel = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) cancel.abort();
    });
    res.type(RESULT_MEDIA_TYPES[format]);
    if (format === 'csv') {
      res.setHeader(
        MASKED_COLUMNS_HEADER,
        maskedColumnsHeader(prepared.masked),
      );
    }
    if (prepared.queryId) {
      res.setHeader(QUERY_ID_HEADER, prepared.queryId);
    }
    await queries.run(
      prepared,
      { limit: parsed.data.limit, signal: cancel.signal },
      createResultSink(format, res, {
        masked: prepared.masked,
        queryId: prepared.queryId,
        spreadsheetSafe: parsed.data.spreadsheetSafe,
      }),
    );
  });

  return router;
}
