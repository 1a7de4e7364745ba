/*
 * bench/manifest-parse: `parseManifest` (read, locate, validate) on adversarial manifests of
 * every shape (many keys, duplicate keys, deep nesting, long strings, anchors and aliases, many
 * documents, long lines, big flow collections, many problems; YAML and JSON; Akili, ODPS,
 * ODCS) at 64 KiB to 1 MiB, against a baseline reading the same bytes in the same run:
 * `JSON.parse` for JSON, js-yaml's plain `load` for YAML. Prints the time per shape and size
 * (the fastest of a few runs), the ratio t(1 MiB)/t(256 KiB) (linear: about 4), and the
 * overhead over the baseline at 1 MiB. Each shape runs in its own worker thread, stopped when
 * one parse takes longer than the time limit, so a quadratic shape shows as "> limit".
 *
 *   make bench NAME=manifest-parse
 *     AKILI_BENCH_SIZES=65536,262144,1048576   sizes in bytes (ratio needs 262144 and 1048576)
 *     AKILI_BENCH_SHAPES=yaml-many-keys,...    only these shapes
 *     AKILI_BENCH_LIMIT_MS=20000               time limit of one parse
 *     AKILI_BENCH_PARSER=/path/to/parse.ts     measure another parseManifest (e.g. an older one)
 */
import path from 'node:path';
import {
  Worker,
  isMainThread,
  parentPort,
  workerData,
} from 'node:worker_threads';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import {
  ADVERSARIAL_SHAPES,
  AdversarialShape,
} from '../../plugins/akili-common/src/manifest/__testUtils__/adversarial';

const KIB = 1024;
const SIZES = (
  process.env.AKILI_BENCH_SIZES ??
  `${64 * KIB},${128 * KIB},${256 * KIB},${512 * KIB},${1024 * KIB}`
)
  .split(',')
  .map(Number);
const LIMIT_MS = Number(process.env.AKILI_BENCH_LIMIT_MS ?? 20_000);
const PARSER = process.env.AKILI_BENCH_PARSER
  ? path.resolve(process.env.AKILI_BENCH_PARSER)
  : path.resolve(__dirname, '../../plugins/akili-common/src/manifest/parse');
/** Runs per measurement; the fastest counts (the machine is shared and noisy). */
const RUNS = 3;

interface Measurement {
  size: number;
  ms: number;
  baselineMs: number;
  outcome: string;
}

type ParseFn = (text: string) => {
  valid: boolean;
  errors: Array<{ message: string }>;
};

function baseline(shape: AdversarialShape, text: string) {
  try {
    if (shape.format === 'json') {
      JSON.parse(text);
    } else {
      loadAll(text, null, { schema: CORE_SCHEMA, json: true });
    }
  } catch {
    // Failing to read is an answer too: the baseline's time to find the problem.
  }
}

function fastest(run: () => void, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Worker: measures one shape at every size, smallest first, posting each measurement. */
function measureShape() {
  const { name, sizes, parser } = workerData as {
    name: string;
    sizes: number[];
    parser: string;
  };
  const shape = ADVERSARIAL_SHAPES.find(s => s.name === name)!;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const parseManifest: ParseFn = require(parser).parseManifest;
  // Warm up: compile the schemas and let the JIT see the code.
  const warmUp = shape.generate(sizes[0]);
  for (let i = 0; i < 3; i++) {
    parseManifest(warmUp);
    baseline(shape, warmUp);
  }
  for (const size of sizes) {
    const text = shape.generate(size);
    let outcome = '';
    const ms = fastest(
      () => {
        const result = parseManifest(text);
        outcome = result.valid
          ? 'valid'
          : `${result.errors.length} problem(s): ${result.errors[0]?.message}`;
      },
      size <= 256 * KIB ? RUNS : 2,
    );
    const baselineMs = fastest(() => baseline(shape, text), RUNS);
    parentPort!.postMessage({ size, ms, baselineMs, outcome } as Measurement);
  }
}

function runShape(name: string): Promise<Array<Measurement | 'timeout'>> {
  return new Promise(resolve => {
    const results: Array<Measurement | 'timeout'> = [];
    const worker = new Worker(__filename, {
      workerData: { name, sizes: SIZES, parser: PARSER },
    });
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      // A generous limit for the first message: the worker loads and warms up first.
      const limit = results.length === 0 ? LIMIT_MS * 2 + 30_000 : LIMIT_MS * 4;
      timer = setTimeout(() => {
        results.push('timeout');
        void worker.terminate();
      }, limit);
    };
    arm();
    worker.on('message', (m: Measurement) => {
      results.push(m);
      arm();
    });
    worker.on('error', error => {
      console.error(`${name}: ${error}`);
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      resolve(results);
    });
  });
}

const fmt = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;

async function main() {
  const only = process.env.AKILI_BENCH_SHAPES?.split(',');
  const shapes = ADVERSARIAL_SHAPES.filter(s => !only || only.includes(s.name));
  console.log(
    `manifest-parse: ${shapes.length} shapes at ${SIZES.map(
      s => `${s / KIB} KiB`,
    ).join(', ')}; parser ${path.relative(process.cwd(), PARSER)}`,
  );
  console.log(
    `${'shape'.padEnd(30)}${SIZES.map(s => `${s / KIB} KiB`.padStart(11)).join(
      '',
    )}   ratio  baseline@max  overhead  outcome at max`,
  );
  let worstTime = { ms: 0, shape: '' };
  let worstRatio = { ratio: 0, shape: '' };
  let timeouts = 0;
  for (const shape of shapes) {
    const results = await runShape(shape.name);
    const bySize = new Map<number, Measurement>();
    for (const r of results) {
      if (r !== 'timeout') {
        bySize.set(r.size, r);
      }
    }
    const cells = SIZES.map(size => {
      const m = bySize.get(size);
      if (m) {
        return fmt(m.ms).padStart(11);
      }
      return (
        results.includes('timeout') ? `> ${LIMIT_MS / 1000} s` : '-'
      ).padStart(11);
    });
    const max = SIZES[SIZES.length - 1];
    const atMax = bySize.get(max);
    const quarter = bySize.get(max / 4);
    let ratio = '    -';
    if (atMax && quarter) {
      const r = atMax.ms / Math.max(quarter.ms, 0.1);
      ratio = r.toFixed(1).padStart(5);
      if (r > worstRatio.ratio) {
        worstRatio = { ratio: r, shape: shape.name };
      }
    }
    if (atMax && atMax.ms > worstTime.ms) {
      worstTime = { ms: atMax.ms, shape: shape.name };
    }
    if (!atMax) {
      timeouts++;
    }
    console.log(
      `${shape.name.padEnd(30)}${cells.join('')}   ${ratio}  ${(atMax
        ? fmt(atMax.baselineMs)
        : '-'
      ).padStart(12)}  ${(atMax
        ? `${(atMax.ms / Math.max(atMax.baselineMs, 0.1)).toFixed(1)}x`
        : '-'
      ).padStart(8)}  ${atMax?.outcome.slice(0, 70) ?? 'timed out'}`,
    );
  }
  console.log(
    `manifest-parse: ${shapes.length} shapes, worst at ${
      max(SIZES) / KIB
    } KiB ${fmt(worstTime.ms)} (${worstTime.shape}), worst ratio t(${
      max(SIZES) / KIB
    } KiB)/t(${max(SIZES) / 4 / KIB} KiB) ${worstRatio.ratio.toFixed(1)} (${
      worstRatio.shape
    }), ${timeouts} over ${LIMIT_MS / 1000} s (goals: <= 1 s, ratio ~4)`,
  );
}

function max(values: number[]) {
  return Math.max(...values);
}

if (isMainThread) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
} else {
  measureShape();
}
