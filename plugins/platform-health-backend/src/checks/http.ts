import { Agent, fetch } from 'undici';

/** An HTTP answer, read whole within the check's time. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  text: string;
}

/**
 * One HTTP request of a check: the signal covers the connection and the body, so a server that
 * sends headers and then stalls is still cut off at the check's timeout.
 */
export async function httpRequest(
  url: string,
  options: {
    signal: AbortSignal;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** TLS for private clusters (Kubernetes' CA, or no verification when configured so). */
    tls?: { ca?: string; rejectUnauthorized?: boolean };
  },
): Promise<HttpAnswer> {
  const dispatcher = options.tls
    ? new Agent({ connect: { ...options.tls } })
    : undefined;
  try {
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      signal: options.signal,
      redirect: 'manual',
      dispatcher,
    });
    const text = await response.text();
    return { status: response.status, statusText: response.statusText, text };
  } catch (error) {
    throw withCause(error);
  } finally {
    await dispatcher?.close().catch(() => undefined);
  }
}

/**
 * undici's "fetch failed" hides the reason (ECONNREFUSED, a TLS or DNS error) in its cause:
 * bring it into the message. An abort keeps its own reason.
 */
function withCause(error: unknown): unknown {
  const cause = (error as { cause?: { message?: unknown; code?: unknown } })
    ?.cause;
  const message = (error as { message?: unknown })?.message;
  if (typeof message !== 'string' || !cause) {
    return error;
  }
  const detail =
    typeof cause.message === 'string' && cause.message
      ? cause.message
      : cause.code;
  return typeof detail === 'string' && !message.includes(detail)
    ? new Error(`${message}: ${detail}`)
    : error;
}

/** Throws unless the answer is a 2xx, naming the system and the status (never the body). */
export function expectOk(system: string, answer: HttpAnswer): void {
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(
      `${system} answered HTTP ${answer.status}${
        answer.statusText ? ` ${answer.statusText}` : ''
      }`,
    );
  }
}

/** The answer's body as JSON, or an error naming the system. */
export function jsonOf(system: string, answer: HttpAnswer): any {
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new Error(`${system} answered with a body that is not JSON`);
  }
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
