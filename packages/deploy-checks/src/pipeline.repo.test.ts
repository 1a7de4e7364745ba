import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { dockerfileProblems } from './dockerfile';
import {
  gitlabCiProblems,
  jobsOf,
  PIPELINES,
  simulatePipeline,
} from './gitlabCi';
import { repoRoot } from './repo';

const root = repoRoot();

describe('.gitlab-ci.yml', () => {
  const file = path.join(root, '.gitlab-ci.yml');
  let ci: any;
  let jobs: Record<string, any>;
  const stageOf = (job: string) => jobs[job].stage ?? 'test';
  const environmentOf = (job: string) => {
    const env = jobs[job].environment;
    return typeof env === 'string' ? env : env?.name;
  };

  beforeAll(() => {
    if (!fs.existsSync(file)) throw new Error('.gitlab-ci.yml is missing');
    ci = parse(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
    jobs = jobsOf(ci);
  });

  it('is structurally valid: keywords, stages, needs, rules', () => {
    expect(gitlabCiProblems(ci)).toEqual([]);
  });

  it('runs only the test jobs for a merge request', () => {
    const run = simulatePipeline(ci, PIPELINES.mergeRequest);
    expect(run).not.toBeNull();
    expect(Object.keys(run!).length).toBeGreaterThan(0);
    expect(Object.keys(run!).map(stageOf)).toEqual(
      Object.keys(run!).map(() => 'test'),
    );
  });

  it('runs test, build and staging on the default branch, production by hand', () => {
    const run = simulatePipeline(ci, PIPELINES.defaultBranch)!;
    expect(run).not.toBeNull();
    const stages: string[] = ci.stages;
    const byEnv = (env: string) =>
      Object.keys(run).filter(j => environmentOf(j) === env);
    const staging = byEnv('staging');
    const production = byEnv('production');
    expect(staging).toHaveLength(1);
    expect(production).toHaveLength(1);
    expect(run[staging[0]]).toBe('on_success');
    expect(run[production[0]]).toBe('manual');
    const testJobs = Object.keys(run).filter(j => stageOf(j) === 'test');
    const buildJobs = Object.keys(run).filter(j => stageOf(j) === 'build');
    expect(testJobs.length).toBeGreaterThan(0);
    expect(buildJobs.length).toBeGreaterThan(0);
    // Each runs after the one before it: later stage (or needs) than every job it depends on.
    const index = (j: string) => stages.indexOf(stageOf(j));
    for (const b of buildJobs)
      for (const t of testJobs) expect(index(b)).toBeGreaterThan(index(t));
    for (const b of buildJobs)
      expect(index(staging[0])).toBeGreaterThan(index(b));
    expect(index(production[0])).toBeGreaterThanOrEqual(index(staging[0]));
  });

  it('runs no deployment from another branch', () => {
    const run = simulatePipeline(ci, PIPELINES.otherBranch) ?? {};
    expect(Object.keys(run).filter(j => environmentOf(j))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  it('runs as non-root with a readiness HEALTHCHECK and starts the backend with the production config', () => {
    const text = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfileProblems(text)).toEqual([]);
  });
});
