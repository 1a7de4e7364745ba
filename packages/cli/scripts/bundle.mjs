#!/usr/bin/env node
/*
 * Bundles the akili CLI into one self-contained file (dist-bundle/akili.cjs) with every
 * dependency inside, so the CLI image (Dockerfile) and any machine with Node.js 22 run it
 * without node_modules or the monorepo's workspace packages.
 *
 * Usage: node scripts/bundle.mjs [outfile]
 */
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(
  process.argv[2] ?? resolve(packageDir, 'dist-bundle/akili.cjs'),
);

await build({
  entryPoints: [resolve(packageDir, 'src/index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'linked',
  logLevel: 'warning',
});
process.stdout.write(`${outfile}\n`);
