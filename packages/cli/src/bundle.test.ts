import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The CLI image (Dockerfile) holds Node.js and the single-file bundle, nothing else. This runs
// that bundle from an empty directory outside the repository, so a dependency left out of the
// bundle (resolved from node_modules only in the monorepo) fails here rather than in a CI job.
describe('the single-file bundle (the CLI image contents)', () => {
  const packageDir = resolve(__dirname, '..');
  const example = resolve(
    packageDir,
    '../../examples/data-products/acme/customers/dataproduct.yaml',
  );
  let dir: string;
  let bundle: string;

  beforeAll(() => {
    const buildDir = mkdtempSync(join(tmpdir(), 'akili-bundle-build-'));
    execFileSync(process.execPath, [
      join(packageDir, 'scripts/bundle.mjs'),
      join(buildDir, 'akili.cjs'),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'akili-bundle-run-'));
    bundle = join(dir, 'akili.cjs');
    copyFileSync(join(buildDir, 'akili.cjs'), bundle);
    rmSync(buildDir, { recursive: true, force: true });
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bundle, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
    });

  it('prints its version and help with no node_modules around it', () => {
    const { version } = require('../package.json');
    const result = run('--version');
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(version);
    expect(run('validate', '--help').stdout).toContain('akili validate');
  });

  it('validates a good manifest (exit 0) and names what is wrong in a bad one (exit 1)', () => {
    const good = run('validate', example);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'apiVersion: akili.io/v1alpha1',
        'kind: DataProduct',
        'metadata:',
        '  name: Not A Valid Name',
        'spec: {}',
        '',
      ].join('\n'),
    );
    const result = run('validate', bad);
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toMatch(
      /bad\.yaml:4:\d+.*metadata\.name/,
    );
  });
});
