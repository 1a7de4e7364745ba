import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DagsterFailedError,
  DagsterNoAnswerError,
  DagsterNotConfiguredError,
  DagsterUnavailableError,
} from './errors';

/** Connection errors that mean the request never reached Dagster. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Default time Dagster has to answer one request: a down or stuck Dagster is a 503 within 5 s. */
export const DEFAULT_DAGSTER_TIMEOUT_MS = 4500;

/** `dagster` in app-config. */
export interface DagsterClientConfig {
  /** The webserver's base URL; GraphQL is served at `<baseUrl>/graphql`. */
  baseUrl: string;
  /** Extra request headers, e.g. the auth header of a proxy or a Dagster+ API token. */
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Reads `dagster`; undefined when `dagster.baseUrl` is not set. A bad value names its key. */
export function readDagsterClientConfig(
  config: Config,
): DagsterClientConfig | undefined {
  const dagster = config.getOptionalConfig('dagster');
  const baseUrl = dagster?.getOptionalString('baseUrl');
  if (!dagster || !baseUrl) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`dagster.baseUrl is not a URL: "${baseUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`dagster.baseUrl must be an http(s) URL, not "${baseUrl}"`);
  }
  const timeoutMs =
    dagster.getOptionalNumber('timeoutMs') ?? DEFAULT_DAGSTER_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    throw new Error(
      `dagster.timeoutMs must be a whole number of milliseconds between 100 and 120000, not ${timeoutMs}`,
    );
  }
  const headersConfig = dagster.getOptionalConfig('headers');
  const headers: Record<string, string> = {};
  for (const key of headersConfig?.keys() ?? []) {
    headers[key] = headersConfig!.getString(key);
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), headers, timeoutMs };
}

/** A GraphQL answer: `data`, or top-level `errors`. */
interface GraphqlAnswer<T> {
  data?: T;
  errors?: Array<{ message?: string }>;
}

/** Longest part of Dagster's own error text that goes into the log. */
const MAX_LOGGED_TEXT = 4000;

/** What one request cost, for the benchmark and the logs. */
export interface DagsterRequestTiming {
  operationName: string;
  durationMs: number;
}

/**
 * Sends GraphQL operations to the Dagster webserver: `POST <baseUrl>/graphql` with
 * `{ query, variables, operationName }`.
 *
 * Every failure becomes an error the portal can answer with: not configured (503), no answer
 * within `timeoutMs` or a connection refused (503, in seconds, never a hang), a server error or
 * an answer that is not GraphQL (503), a query Dagster rejected (502: a bug of ours, named).
 * Typed failures inside the data (`PythonError`, `RunNotFoundError`, ...) are the caller's to map.
 *
 * Dagster's own error text (a resolver's exception, a validation message quoting variables) can
 * name other tenants' code locations, jobs or config, so it goes to the log, never into the
 * error a user gets.
 */
export class DagsterGraphqlClient {
  readonly #config: DagsterClientConfig | undefined;
  readonly #logger: LoggerService | undefined;
  #requests = 0;

  constructor(
    config: DagsterClientConfig | undefined,
    options: { logger?: LoggerService } = {},
  ) {
    this.#config = config;
    this.#logger = options.logger;
  }

  /** Whether `dagster.baseUrl` is set. */
  get configured(): boolean {
    return this.#config !== undefined;
  }

  /** How long Dagster has to answer one request, when configured. */
  get timeoutMs(): number | undefined {
    return this.#config?.timeoutMs;
  }

  /** How many requests were sent (the benchmark counts round trips with it). */
  get requestCount(): number {
    return this.#requests;
  }

  async request<T>(
    operationName: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const config = this.#config;
    if (!config) {
      throw new DagsterNotConfiguredError(
        'Dagster is not configured: set dagster.baseUrl in the app-config of the backend',
      );
    }
    const url = `${config.baseUrl}/graphql`;
    this.#requests += 1;
    let response: Response;
    let text: string;
    try {
      // The timeout covers the body too: a server that sends headers and then stalls must not
      // hold a request for longer than the configured time either.
      const signal = AbortSignal.timeout(config.timeoutMs);
      response = await fetch(url, {
        method: 'POST',
        headers: {
          ...config.headers,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ query, variables, operationName }),
        signal,
      });
      text = await response.text();
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        // Dagster may have received the request (and launched a run): the outcome is unknown.
        throw new DagsterNoAnswerError(
          `Dagster at ${config.baseUrl} did not answer within ${
            config.timeoutMs / 1000
          } s (${operationName})`,
        );
      }
      const cause = describeCause(error);
      const ErrorClass = NOT_SENT_CODES.has(cause)
        ? DagsterUnavailableError
        : DagsterNoAnswerError;
      throw new ErrorClass(
        `Dagster at ${config.baseUrl} could not be reached (${operationName}): ${cause}`,
      );
    }
    let answer: GraphqlAnswer<T> | undefined;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    const messages = (answer?.errors ?? [])
      .map(e => e?.message)
      .filter((m): m is string => typeof m === 'string');
    const failed =
      response.status >= 500 || !answer || typeof answer !== 'object';
    if (failed || messages.length > 0 || !answer?.data) {
      this.#logger?.warn('Dagster failed a request', {
        operation: operationName,
        status: response.status,
        dagsterErrors: (messages.length > 0 ? messages.join('; ') : text).slice(
          0,
          MAX_LOGGED_TEXT,
        ),
      });
    }
    if (failed || !answer) {
      throw new DagsterUnavailableError(
        `Dagster at ${config.baseUrl} failed (${operationName}): HTTP ${
          response.status
        }${answer ? '' : ', not a GraphQL answer'}`,
      );
    }
    if (messages.length > 0 || !answer.data) {
      throw new DagsterFailedError(
        `Dagster rejected the ${operationName} operation (HTTP ${
          response.status
        })${messages.length > 0 ? '' : ': no data in the answer'}`,
      );
    }
    return answer.data;
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  return (
    cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)
  );
}
