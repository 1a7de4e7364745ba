/*
 * The static server both apps are served by, the same way: every file of the dist held in
 * memory, gzip-compressed once at start (text types), index.html for any other path (the
 * single-page app's routes), and 404 for /api/* (no backend: the measurement is the frontend's
 * own cost, and both apps meet the same answers).
 */
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = /^(text\/|application\/(javascript|json)|image\/svg)/;

interface Asset {
  type: string;
  body: Buffer;
  gzip?: Buffer;
}

function loadAssets(dist: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(abs);
        continue;
      }
      const type =
        TYPES[path.extname(entry.name)] ?? 'application/octet-stream';
      const body = fs.readFileSync(abs);
      assets.set(`/${path.relative(dist, abs).split(path.sep).join('/')}`, {
        type,
        body,
        gzip: COMPRESSIBLE.test(type) ? zlib.gzipSync(body) : undefined,
      });
    }
  };
  walk(dist);
  return assets;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dist` on a free port of 127.0.0.1. */
export async function serveDist(dist: string): Promise<StaticServer> {
  const assets = loadAssets(dist);
  const index = assets.get('/index.html');
  if (!index) throw new Error(`${dist} has no index.html: not a built app`);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(
      new URL(req.url ?? '/', 'http://x').pathname,
    );
    if (pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: `no backend: ${pathname}` },
          request: { method: req.method, url: req.url },
          response: { statusCode: 404 },
        }),
      );
      return;
    }
    const asset = assets.get(pathname) ?? index;
    const gzip =
      asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding']));
    res.writeHead(200, {
      'content-type': asset.type,
      'cache-control': 'no-cache',
      ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
    });
    res.end(gzip ? asset.gzip : asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The gzip size of `file`. */
export function gzipSize(file: string): number {
  return zlib.gzipSync(fs.readFileSync(file)).length;
}
