/*
 * Builds an app package with `backstage-cli package build` from a copy in bench/cold-load/.cache
 * (inside the repository, so Node's resolution finds the repository's node_modules and the
 * workspace plugins), and keeps the dist keyed by a hash of everything the build reads.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const ROOT = path.resolve(__dirname, '../..');
export const CACHE = path.join(__dirname, '.cache');
const CLI = path.join(ROOT, 'node_modules/@backstage/cli/bin/backstage-cli');
const BENCH_CONFIG = path.join(__dirname, 'app-config.bench.yaml');

export interface AppSource {
  /** `akili` or `stock`. */
  name: string;
  /** The app package folder (package.json, src/, public/, config.d.ts). */
  dir: string;
  /** Its public/ folder, when it has none of its own. */
  publicDir: string;
  /** Its app-config.yaml. */
  config: string;
  /** Further folders (relative to the repository) whose files change the build. */
  inputs: string[];
  /**
   * Build outside the repository, in a folder whose node_modules links to the repository's:
   * for a package that is not a workspace (backstage-cli looks a package inside the repository
   * up among the workspaces, and the stock app must not become one).
   */
  outside?: boolean;
}

/** Files under `relDirs` that git tracks or would track, relative to the repository. */
function trackedFiles(relDirs: string[]): string[] {
  const out = execFileSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', '--', ...relDirs],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return out
    .split('\n')
    .filter(f => f && !/\.test\.tsx?$|__testUtils__|setupTests/.test(f))
    .sort();
}

/** A hash of every input of the app's build: sources, plugins, lockfile, configs. */
export function buildHash(app: AppSource): string {
  const hash = createHash('sha256');
  const rel = (p: string) => path.relative(ROOT, p);
  const files = trackedFiles([rel(app.dir), rel(app.publicDir), ...app.inputs]);
  for (const f of [...files, 'yarn.lock', rel(app.config), rel(BENCH_CONFIG)]) {
    const abs = path.join(ROOT, f);
    if (!fs.existsSync(abs)) continue;
    hash.update(f).update('\0').update(fs.readFileSync(abs)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[], cwd: string, log: string) {
  return new Promise<void>((resolve, reject) => {
    const out = fs.openSync(log, 'w');
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', out, out] });
    child.on('error', reject);
    child.on('exit', code => {
      fs.closeSync(out);
      if (code === 0) resolve();
      else {
        const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-30);
        reject(
          new Error(
            `${cmd} ${args.join(
              ' ',
            )} in ${cwd} exited with ${code} (log: ${log}):\n${tail.join(
              '\n',
            )}`,
          ),
        );
      }
    });
  });
}

/** The built dist of `app`, from the cache when its inputs have not changed. */
export async function builtDist(
  app: AppSource,
  log: (line: string) => void,
): Promise<string> {
  fs.mkdirSync(CACHE, { recursive: true });
  const hash = buildHash(app);
  const dist = path.join(CACHE, `dist-${app.name}-${hash}`);
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    log(`${app.name}: built dist cached (${path.relative(ROOT, dist)})`);
    return dist;
  }
  const work = app.outside
    ? path.join(os.tmpdir(), `akili-cold-load-build-${app.name}`)
    : path.join(CACHE, `build-${app.name}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  if (app.outside) {
    fs.symlinkSync(
      path.join(ROOT, 'node_modules'),
      path.join(work, 'node_modules'),
    );
  }
  for (const entry of ['package.json', 'src', 'config.d.ts']) {
    const from = path.join(app.dir, entry);
    if (fs.existsSync(from)) {
      fs.cpSync(from, path.join(work, entry), { recursive: true });
    }
  }
  fs.cpSync(
    fs.existsSync(path.join(app.dir, 'public'))
      ? path.join(app.dir, 'public')
      : app.publicDir,
    path.join(work, 'public'),
    { recursive: true },
  );
  const started = Date.now();
  log(`${app.name}: building (backstage-cli package build) in ${work}`);
  const buildLog = path.join(CACHE, `build-${app.name}.log`);
  await run(
    process.execPath,
    [CLI, 'package', 'build', '--config', app.config, '--config', BENCH_CONFIG],
    work,
    buildLog,
  );
  log(`${app.name}: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const old of fs.readdirSync(CACHE)) {
    if (old.startsWith(`dist-${app.name}-`)) {
      fs.rmSync(path.join(CACHE, old), { recursive: true, force: true });
    }
  }
  fs.cpSync(path.join(work, 'dist'), dist, { recursive: true });
  fs.rmSync(work, { recursive: true, force: true });
  return dist;
}
