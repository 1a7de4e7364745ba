import express from 'express';
import { TenancyService } from '@akili/plugin-akili-node';
import { MaskedColumn } from '@akili/plugin-starrocks-common';
import { QueryAuditStore } from '../audit/QueryAuditStore';
import { addAuditRoute } from '../audit/router';
import {
  createResultSink,
  formatFromAccept,
  RESULT_MEDIA_TYPES,
} from '../engine/formats';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { QueryService } from './QueryService';

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
 * The query API, as `src/schema/openapi.yaml` describes it: each request is validated against
 * the spec first (the body's fields, types and the statement's length; the audit trail's
 * filters), and the spec is served at `/openapi.json`.
 *
 * `POST /v1/tenants/:tenant/query` with `{ sql, limit? }`: the caller is authorized in the
 * tenant (`akili.query.run`: consumers, developers, operators; another tenant answers as a
 * missing one), the SQL guard admits one read-only statement over the tenant's own data product
 * tables (refused: 400 with the reason and position, nothing sent to the server), columns the
 * caller may not see are masked by rewriting the statement, and the engine streams the rows from
 * the tenant's read-only user: JSON, or NDJSON or CSV as `Accept` asks. A client that goes away
 * kills the query on the server. `GET /v1/tenants/:tenant/schema`: the tables and columns the
 * tenant may read, with what is masked for the caller. `GET /v1/tenants/:tenant/audit`: the
 * tenant's query audit trail (see `addAuditRoute`).
 */
export async function createRouter(options: {
  queries: QueryService;
  tenancy: TenancyService;
  audit: QueryAuditStore;
}): Promise<express.Router> {
  const { queries, tenancy, audit } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' })],
  });

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
    // The spec has checked the body: `sql` (1 to 100,000 characters), `limit` and
    // `spreadsheetSafe`, nothing else.
    const { sql, limit, spreadsheetSafe } = req.body;
    const prepared = await queries.prepare(authorization, sql, { unmask });

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
      { limit, signal: cancel.signal },
      createResultSink(format, res, {
        masked: prepared.masked,
        queryId: prepared.queryId,
        spreadsheetSafe,
      }),
    );
  });

  addAuditRoute(router, { tenancy, store: audit });

  return router;
}
