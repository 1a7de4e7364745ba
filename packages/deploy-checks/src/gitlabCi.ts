import { evaluateIf } from './gitlabRules';

const TOP_LEVEL = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'spec',
]);
const JOB_KEYS = new Set([
  'after_script',
  'allow_failure',
  'artifacts',
  'before_script',
  'cache',
  'coverage',
  'dast_configuration',
  'dependencies',
  'environment',
  'except',
  'extends',
  'hooks',
  'id_tokens',
  'identity',
  'image',
  'inherit',
  'interruptible',
  'manual_confirmation',
  'needs',
  'only',
  'pages',
  'parallel',
  'release',
  'resource_group',
  'retry',
  'rules',
  'script',
  'secrets',
  'services',
  'stage',
  'tags',
  'timeout',
  'trigger',
  'variables',
  'when',
  'run',
]);
const DEFAULT_STAGES = ['build', 'test', 'deploy'];

/** GitLab's `extends` merge: hashes deeply, everything else (arrays included) replaced. */
function deepMerge(base: any, over: any): any {
  const isHash = (v: any) => v && typeof v === 'object' && !Array.isArray(v);
  if (!isHash(base) || !isHash(over)) return over;
  const out: any = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** The jobs of a pipeline file, hidden templates (`.name`) merged in through `extends`. */
export function jobsOf(ci: any): Record<string, any> {
  const resolve = (name: string, seen: string[] = []): any => {
    if (seen.includes(name))
      throw new Error(
        `.gitlab-ci.yml: extends loop ${[...seen, name].join(' -> ')}`,
      );
    const job = ci[name];
    if (!job || typeof job !== 'object')
      throw new Error(
        `.gitlab-ci.yml: ${seen.pop()} extends unknown job ${name}`,
      );
    const parents = job.extends === undefined ? [] : [job.extends].flat();
    let merged: any = {};
    for (const p of parents)
      merged = deepMerge(merged, resolve(p, [...seen, name]));
    const { extends: _, ...own } = job;
    return deepMerge(merged, own);
  };
  const jobs: Record<string, any> = {};
  for (const name of Object.keys(ci)) {
    if (TOP_LEVEL.has(name) || name.startsWith('.')) continue;
    jobs[name] = resolve(name);
  }
  return jobs;
}

/**
 * Structural checks: known top-level keywords and job keywords, declared stages used by every job,
 * `needs` and `dependencies` naming existing jobs, a script (or trigger) in each job, and every
 * `rules:if` readable.
 */
export function gitlabCiProblems(ci: any, file = '.gitlab-ci.yml'): string[] {
  const problems: string[] = [];
  if (!ci || typeof ci !== 'object') return [`${file}: not a mapping`];
  let jobs: Record<string, any>;
  try {
    jobs = jobsOf(ci);
  } catch (e: any) {
    return [e.message];
  }
  const stages: string[] = ['.pre', ...(ci.stages ?? DEFAULT_STAGES), '.post'];
  if (Object.keys(jobs).length === 0) problems.push(`${file}: no jobs`);
  for (const [name, job] of Object.entries(jobs)) {
    if (!job || typeof job !== 'object' || Array.isArray(job)) {
      problems.push(
        `${file}: ${name} is not a job (unknown top-level keyword?)`,
      );
      continue;
    }
    for (const key of Object.keys(job)) {
      if (!JOB_KEYS.has(key))
        problems.push(`${file}: job ${name} has an unknown keyword ${key}`);
    }
    const stage = job.stage ?? 'test';
    if (!stages.includes(stage))
      problems.push(
        `${file}: job ${name} uses stage ${stage}, which stages does not declare`,
      );
    if (!job.script && !job.trigger)
      problems.push(`${file}: job ${name} has no script`);
    for (const key of ['needs', 'dependencies']) {
      for (const n of job[key] ?? []) {
        const target = typeof n === 'string' ? n : n.job;
        if (n.pipeline || n.project) continue;
        if (!jobs[target])
          problems.push(
            `${file}: job ${name} ${key} ${target}, which is not a job`,
          );
      }
    }
    for (const rule of job.rules ?? []) {
      if (rule.if !== undefined) {
        try {
          evaluateIf(rule.if, {});
        } catch (e: any) {
          problems.push(`${file}: job ${name}: ${e.message}`);
        }
      }
    }
  }
  for (const s of ci.stages ?? []) {
    if (!Object.values(jobs).some(j => (j.stage ?? 'test') === s)) {
      problems.push(`${file}: stage ${s} has no job`);
    }
  }
  return problems;
}

function firstMatch(rules: any[], vars: Record<string, string | undefined>) {
  return rules.find(r => r.if === undefined || evaluateIf(r.if, vars));
}

/**
 * The jobs a pipeline with these predefined variables would contain, with their `when`
 * (`on_success`, `manual`, ...), or null when `workflow:rules` create no pipeline. Supports
 * `rules` (first match wins, no match leaves the job out) and `only`/`except` with
 * `merge_requests`, `branches` and branch names.
 */
export function simulatePipeline(
  ci: any,
  vars: Record<string, string | undefined>,
): Record<string, string> | null {
  const all = { ...(ci.variables ?? {}), ...vars };
  if (ci.workflow?.rules) {
    const r = firstMatch(ci.workflow.rules, all);
    if (!r || r.when === 'never') return null;
  }
  const out: Record<string, string> = {};
  for (const [name, job] of Object.entries(jobsOf(ci))) {
    const jobVars = { ...all, ...(job.variables ?? {}) };
    let when: string | undefined = job.when ?? 'on_success';
    if (job.rules) {
      const r = firstMatch(job.rules, jobVars);
      when = r ? r.when ?? job.when ?? 'on_success' : undefined;
    } else if (job.only || job.except) {
      const refs = (x: any) => (Array.isArray(x) ? x : x?.refs ?? []);
      const isMr = vars.CI_PIPELINE_SOURCE === 'merge_request_event';
      const matches = (ref: string) => {
        if (ref === 'merge_requests') return isMr;
        if (ref === 'branches') return !isMr && !!vars.CI_COMMIT_BRANCH;
        return ref === vars.CI_COMMIT_BRANCH;
      };
      if (job.only && !refs(job.only).some(matches)) when = undefined;
      if (job.except && refs(job.except).some(matches)) when = undefined;
    }
    if (when && when !== 'never') out[name] = when;
  }
  return out;
}

/** The predefined variables of a merge request pipeline and of a push to the default branch. */
export const PIPELINES = {
  mergeRequest: {
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_DEFAULT_BRANCH: 'main',
    CI_MERGE_REQUEST_IID: '7',
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature',
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_COMMIT_REF_NAME: 'feature',
  },
  defaultBranch: {
    CI_PIPELINE_SOURCE: 'push',
    CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_BRANCH: 'main',
    CI_COMMIT_REF_NAME: 'main',
  },
  otherBranch: {
    CI_PIPELINE_SOURCE: 'push',
    CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_BRANCH: 'feature',
    CI_COMMIT_REF_NAME: 'feature',
  },
};
