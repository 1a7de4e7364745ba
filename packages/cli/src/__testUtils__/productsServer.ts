import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the stand-in received, as it came over the wire. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the stand-in answers: a status and a JSON body, or no answer at all. */
export type CannedAnswer = { status: number; body: unknown } | 'hang';

/**
 * A real HTTP server standing in for the control plane's product submission route
 * (`POST /api/akili/v1/tenants/:tenant/products`) while it is being built: it answers the
 * documented shapes (201/200 `{ product, diff, warnings, impact }`, 400, 409 `{ error, diff }`,
 * 403, 404, 5xx), answers 404 for any other path, and records every request.
 */
export async function startProductsServer(answer: () => CannedAnswer) {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url!, 'http://localhost');
      requests.push({
        method: req.method!,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      });
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (
        req.method !== 'POST' ||
        !/^\/api\/akili\/v1\/tenants\/[^/]+\/products$/.test(url.pathname)
      ) {
        reply(404, {
          error: { name: 'NotFoundError', message: 'Not found' },
        });
        return;
      }
      const canned = answer();
      if (canned === 'hang') {
        hanging.add(res);
        return;
      }
      reply(canned.status, canned.body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      for (const res of hanging) {
        res.destroy();
      }
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
