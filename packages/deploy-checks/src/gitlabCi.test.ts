import { parse } from 'yaml';
import { gitlabCiProblems, PIPELINES, simulatePipeline } from './gitlabCi';
import { evaluateIf } from './gitlabRules';

describe('rules:if expressions', () => {
  const vars = {
    CI_PIPELINE_SOURCE: 'push',
    CI_COMMIT_BRANCH: 'main',
    CI_DEFAULT_BRANCH: 'main',
  };
  it.each([
    ['$CI_PIPELINE_SOURCE == "push"', true],
    ['$CI_PIPELINE_SOURCE == "merge_request_event"', false],
    ['$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', true],
    ['$CI_MERGE_REQUEST_IID', false],
    ['$CI_MERGE_REQUEST_IID == null', true],
    ['$CI_COMMIT_BRANCH != "main"', false],
    ['$CI_COMMIT_BRANCH =~ /^ma/', true],
    ['$CI_COMMIT_BRANCH !~ /^ma/', false],
    [
      '$CI_MERGE_REQUEST_IID || $CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "push"',
      true,
    ],
    [
      '($CI_MERGE_REQUEST_IID || $CI_COMMIT_BRANCH == "main") && $CI_PIPELINE_SOURCE == "web"',
      false,
    ],
  ])('%s is %s', (expr, expected) => {
    expect(evaluateIf(expr, vars)).toBe(expected);
  });
  it('refuses what it cannot read', () => {
    expect(() => evaluateIf('$A === "x"', {})).toThrow(/cannot read/);
    expect(() => evaluateIf('($A == "x"', {})).toThrow(/missing \)/);
  });
});

const ci = parse(`
stages: [test, build, deploy]
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
.default-only:
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
test:
  stage: test
  script: [make test]
build:
  extends: .default-only
  stage: build
  needs: [test]
  script: [docker build .]
deploy:
  stage: deploy
  needs: [build]
  script: [echo]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
`);

describe('.gitlab-ci.yml structure and pipelines', () => {
  it('accepts a consistent file', () => {
    expect(gitlabCiProblems(ci)).toEqual([]);
  });
  it('reports unknown keywords, stages, needs and jobs without script', () => {
    const bad = {
      ...ci,
      lint: { stage: 'check', scripts: ['x'], needs: ['tset'] },
    };
    expect(gitlabCiProblems(bad)).toEqual([
      '.gitlab-ci.yml: job lint has an unknown keyword scripts',
      '.gitlab-ci.yml: job lint uses stage check, which stages does not declare',
      '.gitlab-ci.yml: job lint has no script',
      '.gitlab-ci.yml: job lint needs tset, which is not a job',
    ]);
    expect(
      gitlabCiProblems({ ...ci, build: { ...ci.build, extends: '.nope' } }),
    ).toEqual(['.gitlab-ci.yml: build extends unknown job .nope']);
  });
  it('simulates which jobs run', () => {
    expect(simulatePipeline(ci, PIPELINES.mergeRequest)).toEqual({
      test: 'on_success',
    });
    expect(simulatePipeline(ci, PIPELINES.defaultBranch)).toEqual({
      test: 'on_success',
      build: 'on_success',
      deploy: 'manual',
    });
    expect(simulatePipeline(ci, PIPELINES.otherBranch)).toBeNull();
  });
});
