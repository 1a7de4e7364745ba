import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { BackendRequester, queryString } from '@akili/plugin-akili-react';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  QueryAuditPage,
  QueryCellValue,
  QueryRequestBody,
  QueryResultColumn,
  SchemaResponse,
} from '@akili/plugin-starrocks-common';
import type {
  QueryAuditListOptions,
  QueryStreamOptions,
  QueryStreamSummary,
  StarrocksQueryApi,
} from './StarrocksQueryApi';

/**
 * {@link StarrocksQueryApi} over HTTP: the `starrocks` backend plugin's `/v1` routes (and the
 * akili backend's `/v1/me` and `/v1/tenants`), called with the user's token through `fetchApi`.
 *
 * @public
 */
export class StarrocksQueryClient implements StarrocksQueryApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;
  readonly #requester: BackendRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
    this.#requester = new BackendRequester(options);
  }

  getSchema(tenant: string): Promise<SchemaResponse> {
    return this.#requester.request('starrocks', `${tenantPath(tenant)}/schema`);
  }

  async streamQuery(
    tenant: string,
    request: QueryRequestBody,
    options: QueryStreamOptions = {},
  ): Promise<QueryStreamSummary> {
    const started = Date.now();
    const response = await this.#post(
      tenant,
      request,
      'application/x-ndjson',
      options.signal,
    );
    if (!response.body) {
      throw new Error('The query answer has no body to read');
    }
    const reader = response.body.getReader();
    // Cancelling the reader closes the connection even where an aborted fetch leaves its body
    // open; the server then kills the query.
    const cancel = () => {
      reader.cancel().catch(() => {});
    };
    options.signal?.addEventListener('abort', cancel);
    const decoder = new TextDecoder();
    let pending = '';
    let bytesReceived = 0;
    let columnsSeen = false;
    let header: Record<string, unknown> = {};
    let summary: Record<string, unknown> | undefined;

    const readLines = (lines: string[]) => {
      const rows: QueryCellValue[][] = [];
      for (const line of lines) {
        if (!line.trim()) continue;
        const value = JSON.parse(line);
        if (Array.isArray(value)) {
          rows.push(value);
        } else if (!columnsSeen && Array.isArray(value?.columns)) {
          columnsSeen = true;
          const { columns, ...rest } = value;
          header = rest;
          options.onColumns?.(columns as QueryResultColumn[]);
        } else if (value && typeof value.error === 'object') {
          // A query that fails after its first rows ends its stream with the error.
          throw new Error(
            String(value.error.message ?? 'The query failed midway'),
          );
        } else {
          summary = value;
        }
      }
      if (rows.length > 0) options.onRows?.(rows, bytesReceived);
    };

    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (options.signal?.aborted) throw aborted();
        if (done) break;
        bytesReceived += value.byteLength;
        pending += decoder.decode(value, { stream: true });
        const end = pending.lastIndexOf('\n');
        if (end >= 0) {
          readLines(pending.slice(0, end).split('\n'));
          pending = pending.slice(end + 1);
        }
      }
      readLines([pending + decoder.decode()]);
    } catch (error) {
      // How an aborted body read fails differs between browsers and fetch implementations.
      throw options.signal?.aborted ? aborted() : error;
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      reader.releaseLock();
    }
    if (!summary) {
      throw new Error(
        'The result stopped before its end: the server closed the stream (the query failed or was stopped)',
      );
    }
    const merged = { ...header, ...summary } as Partial<QueryStreamSummary>;
    return {
      ...merged,
      rowCount: Number(merged.rowCount ?? 0),
      truncated: Boolean(merged.truncated),
      bytes: merged.bytes ?? bytesReceived,
      durationMs: merged.durationMs ?? Date.now() - started,
    };
  }

  async downloadCsv(
    tenant: string,
    request: QueryRequestBody,
    options: { signal?: AbortSignal } = {},
  ): Promise<Blob> {
    const response = await this.#post(
      tenant,
      request,
      'text/csv',
      options.signal,
    );
    return response.blob();
  }

  listAudit(
    tenant: string,
    options: QueryAuditListOptions = {},
  ): Promise<QueryAuditPage> {
    const { limit, cursor, actor, outcome } = options;
    return this.#requester.request(
      'starrocks',
      `${tenantPath(tenant)}/audit${queryString({
        limit,
        cursor,
        actor,
        outcome,
      })}`,
    );
  }

  getIdentity(): Promise<AkiliIdentityInfo> {
    return this.#requester.request('akili', '/v1/me');
  }

  async listTenantNames(): Promise<string[]> {
    const { items } = await this.#requester.request<{
      items: Array<{ name: string }>;
    }>('akili', '/v1/tenants');
    return items.map(tenant => tenant.name);
  }

  async #post(
    tenant: string,
    request: QueryRequestBody,
    accept: string,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('starrocks');
    const response = await this.#fetchApi.fetch(
      `${baseUrl}${tenantPath(tenant)}/query`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: accept },
        body: JSON.stringify(request),
        signal,
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function aborted(): Error {
  return new DOMException('The query was cancelled', 'AbortError');
}

function tenantPath(tenant: string): string {
  return `/v1/tenants/${encodeURIComponent(tenant)}`;
}
