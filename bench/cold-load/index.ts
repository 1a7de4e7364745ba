/*
 * bench/cold-load: the Akili app's cold load in headless Chromium against a stock Backstage app
 * of the same release (bench/cold-load/stock-app), both built with `backstage-cli package
 * build` and served by the same static server (gzip) in the same run. For each: the median of
 * AKILI_BENCH_LOADS (default 5) loads, alternating, each in a new browser with an empty cache,
 * of the time until the home page's content is rendered and of the script bytes transferred;
 * then the main entry's script bytes (what index.html loads before anything renders) and the
 * largest chunks. Goal: both ratios <= 1.2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { percentile } from '../lib/bench';
import { AppSource, builtDist, ROOT } from './build';
import { coldLoad, Load } from './measure';
import { gzipSize, serveDist } from './server';

const LOADS = Number(process.env.AKILI_BENCH_LOADS ?? 5);
const GOAL = 1.2;

interface Subject {
  source: AppSource;
  /** Text of the home page's content (rendered only once the home page is). */
  content: string;
}

const akili: Subject = {
  source: {
    name: 'akili',
    dir: path.join(ROOT, 'packages/app'),
    publicDir: path.join(ROOT, 'packages/app/public'),
    config: path.join(ROOT, 'app-config.yaml'),
    inputs: frontendPackages(),
  },
  content: 'Build, run and discover data products across your tenants',
};
const stock: Subject = {
  source: {
    name: 'stock',
    dir: path.join(__dirname, 'stock-app'),
    // The public folder create-app generates; the Akili app keeps it unchanged.
    publicDir: path.join(ROOT, 'packages/app/public'),
    config: path.join(__dirname, 'stock-app/app-config.yaml'),
    inputs: [],
    outside: true,
  },
  content: 'Welcome to the stock app',
};

/** The repository's packages a frontend can import: frontend plugins, web and common libraries. */
function frontendPackages(): string[] {
  const roles = ['frontend-plugin', 'web-library', 'common-library'];
  return fs
    .readdirSync(path.join(ROOT, 'plugins'))
    .map(dir => `plugins/${dir}`)
    .filter(dir => {
      const file = path.join(ROOT, dir, 'package.json');
      if (!fs.existsSync(file)) return false;
      const role = JSON.parse(fs.readFileSync(file, 'utf8')).backstage?.role;
      return roles.includes(role);
    });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const log = (line: string) => console.log(`  ${line}`);

interface Bundle {
  /** gzip bytes of the scripts index.html loads. */
  entryBytes: number;
  entryFiles: number;
  /** gzip bytes of every script of the dist. */
  allBytes: number;
  chunks: { file: string; gzip: number; entry: boolean }[];
}

/**
 * The source bytes of a chunk by package (or by folder of the repository), from its source map.
 */
function sourceSizes(file: string): Map<string, number> {
  const bySource = new Map<string, number>();
  const mapFile = `${file}.map`;
  if (!fs.existsSync(mapFile)) return bySource;
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as {
    sources: string[];
    sourcesContent?: (string | null)[];
  };
  map.sources.forEach((source, i) => {
    const modules = source.lastIndexOf('node_modules/');
    let key: string;
    if (modules >= 0) {
      const parts = source.slice(modules + 'node_modules/'.length).split('/');
      key = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    } else {
      key = source
        .replace(/^webpack:\/\/[^/]*\//, '')
        .replace(/^(\.\.\/)+/, '')
        .replace(/^\.\//, '')
        .split('/')
        .slice(0, 2)
        .join('/');
    }
    const size = map.sourcesContent?.[i]?.length ?? 0;
    bySource.set(key, (bySource.get(key) ?? 0) + size);
  });
  return bySource;
}

/** What a chunk holds: the three packages with the most source in it, largest first. */
function chunkContents(file: string): string {
  const bySource = sourceSizes(file);
  const total = [...bySource.values()].reduce((a, b) => a + b, 0) || 1;
  return [...bySource.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([key, size]) => `${key} ${Math.round((100 * size) / total)}%`)
    .join(', ');
}

/** The repository's own code (plugins/, the app's src/) in the main entry, in source bytes. */
function ownCodeInEntry(dist: string, b: Bundle): string {
  const own = new Map<string, number>();
  for (const c of b.chunks.filter(x => x.entry)) {
    for (const [key, size] of sourceSizes(path.join(dist, c.file))) {
      if (key.startsWith('plugins/') || key.startsWith('src/')) {
        own.set(key, (own.get(key) ?? 0) + size);
      }
    }
  }
  return [...own.entries()]
    .sort((a, b2) => b2[1] - a[1])
    .map(([key, size]) => `${key} ${kb(size)}`)
    .join(', ');
}

function bundle(dist: string): Bundle {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = new Set(
    [...html.matchAll(/<script[^>]*\ssrc="\/?([^"]+\.js)"/g)].map(m => m[1]),
  );
  const chunks = fs
    .readdirSync(path.join(dist, 'static'))
    .filter(f => f.endsWith('.js'))
    .map(f => ({
      file: `static/${f}`,
      gzip: gzipSize(path.join(dist, 'static', f)),
      entry: entry.has(`static/${f}`),
    }))
    .sort((a, b) => b.gzip - a.gzip);
  const inEntry = chunks.filter(c => c.entry);
  return {
    entryBytes: inEntry.reduce((a, c) => a + c.gzip, 0),
    entryFiles: inEntry.length,
    allBytes: chunks.reduce((a, c) => a + c.gzip, 0),
    chunks,
  };
}

async function main() {
  console.log(
    `cold-load: the Akili app vs a stock Backstage app, ${LOADS} cold loads each`,
  );
  const dists: Record<string, string> = {};
  for (const subject of [akili, stock]) {
    dists[subject.source.name] = await builtDist(subject.source, log);
  }
  const bundles = {
    akili: bundle(dists.akili),
    stock: bundle(dists.stock),
  };
  const servers = {
    akili: await serveDist(dists.akili),
    stock: await serveDist(dists.stock),
  };
  const loads: Record<string, Load[]> = { akili: [], stock: [] };
  try {
    // One unmeasured load each: the first Chromium start pays for the disk cache of its binary.
    await coldLoad(servers.akili.url, akili.content);
    await coldLoad(servers.stock.url, stock.content);
    for (let i = 0; i < LOADS; i++) {
      const order = i % 2 === 0 ? [akili, stock] : [stock, akili];
      for (const subject of order) {
        const name = subject.source.name as 'akili' | 'stock';
        const load = await coldLoad(servers[name].url, subject.content);
        loads[name].push(load);
        log(
          `load ${i + 1} ${name.padEnd(
            5,
          )}: content after ${load.contentMs.toFixed(0)} ms, ` +
            `${kb(load.scriptBytes)} of script in ${load.scripts} responses`,
        );
      }
    }
  } finally {
    await servers.akili.close();
    await servers.stock.close();
  }

  const median = (name: string, pick: (l: Load) => number) =>
    percentile(loads[name].map(pick), 50);
  const time = {
    akili: median('akili', l => l.contentMs),
    stock: median('stock', l => l.contentMs),
  };
  const bytes = {
    akili: median('akili', l => l.scriptBytes),
    stock: median('stock', l => l.scriptBytes),
  };
  const timeRatio = time.akili / time.stock;
  const bytesRatio = bytes.akili / bytes.stock;
  const entryRatio = bundles.akili.entryBytes / bundles.stock.entryBytes;

  console.log('');
  for (const name of ['akili', 'stock'] as const) {
    const b = bundles[name];
    console.log(
      `${name}: main entry ${kb(b.entryBytes)} gzip in ${
        b.entryFiles
      } scripts, ` +
        `all ${b.chunks.length} scripts ${kb(b.allBytes)} gzip; largest:`,
    );
    console.log(
      `  own code in the main entry (source bytes): ${
        ownCodeInEntry(dists[name], b) || 'none'
      }`,
    );
    for (const c of b.chunks.slice(0, 10)) {
      console.log(
        `    ${kb(c.gzip).padStart(10)}  ${c.file}${
          c.entry ? '  (main entry)' : ''
        }: ${chunkContents(path.join(dists[name], c.file))}`,
      );
    }
  }
  console.log('');
  console.log(
    `time to home content (median): akili ${time.akili.toFixed(
      0,
    )} ms vs stock ${time.stock.toFixed(0)} ms, ratio ${timeRatio.toFixed(2)}`,
  );
  // The fastest load is the one least disturbed by the machine's other work.
  const best = (name: string) => Math.min(...loads[name].map(l => l.contentMs));
  console.log(
    `time to home content (fastest): akili ${best('akili').toFixed(
      0,
    )} ms vs stock ${best('stock').toFixed(0)} ms, ratio ${(
      best('akili') / best('stock')
    ).toFixed(2)}`,
  );
  console.log(
    `script bytes transferred (median, gzip): akili ${kb(
      bytes.akili,
    )} vs stock ${kb(bytes.stock)}, ratio ${bytesRatio.toFixed(2)}`,
  );
  console.log(
    `main entry (gzip): akili ${kb(bundles.akili.entryBytes)} vs stock ${kb(
      bundles.stock.entryBytes,
    )}, ratio ${entryRatio.toFixed(2)}`,
  );
  const ok = timeRatio <= GOAL && bytesRatio <= GOAL;
  console.log(
    `cold-load: home content akili ${time.akili.toFixed(
      0,
    )} ms vs stock ${time.stock.toFixed(0)} ms, ratio ${timeRatio.toFixed(
      2,
    )}; script ${kb(bytes.akili)} vs ${kb(
      bytes.stock,
    )}, ratio ${bytesRatio.toFixed(2)} (goal <= ${GOAL}${
      ok ? ', met' : ', NOT met'
    })`,
  );
}

main().catch(e => {
  console.error(`cold-load: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
