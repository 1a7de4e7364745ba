import { SweepFixture } from '../fixtures';
import { invokeCases, stepFailed, templateOf } from './actions';
import { RouteEntry, json } from './types';

const taskParam = (t: SweepFixture) => ({ taskId: t.taskId });
const taskGuard =
  "the Akili module's guard: answers 404 for a task the caller may not see, then passes on to the task routes, whose cases cover it";
const tasksAreTheirs =
  'tasks are visible to their creator and the tenant operators only';

/** The scaffolder's routes (@backstage/plugin-scaffolder-backend and its modules). */
export const SCAFFOLDER_ROUTES: Record<string, RouteEntry> = {
  'POST /api/scaffolder/.backstage/actions/v1/actions/:actionId/invoke': {
    cases: invokeCases('scaffolder', 1),
  },
  'POST /api/scaffolder/.backstage/actions/v2/actions/:actionId/invoke': {
    cases: invokeCases('scaffolder', 2),
  },
  'GET /api/scaffolder/openapi.json': { own: 200 },
  // @akili/plugin-scaffolder-backend-module-akili: in front of every task route
  'ALL /api/scaffolder/v2/tasks/:taskId': { passThrough: taskGuard },
  'ALL /api/scaffolder/v2/tasks/:taskId/*': { passThrough: taskGuard },
  'GET /api/scaffolder/v2/templates/:namespace/:kind/:name/parameter-schema': {
    params: t => ({ namespace: t.tenant, kind: 'template', name: t.template }),
    own: 200,
  },
  'GET /api/scaffolder/v2/actions': { own: 200 },
  'GET /api/scaffolder/v2/templating-extensions': { own: 200 },
  'POST /api/scaffolder/v2/tasks': {
    body: t =>
      json({
        templateRef: `template:${t.tenant}/${t.template}`,
        values: { name: 'sweep' },
      }),
    own: 201,
    consumer: 403,
    why: 'running templates is for developers and operators',
  },
  'GET /api/scaffolder/v2/tasks': {
    cases: [
      { name: 'all', own: 200 },
      {
        name: "created by the tenant's developer",
        query: t => ({ createdBy: `user:default/${t.developer}` }),
        own: 200,
        leaksOnly:
          'the list holds what the caller may see, whoever it names, and tasks the sweep starts meanwhile change it between two calls',
      },
    ],
  },
  'GET /api/scaffolder/v2/tasks/:taskId': {
    params: taskParam,
    own: 200,
    consumer: 404,
    why: tasksAreTheirs,
  },
  'GET /api/scaffolder/v2/tasks/:taskId/events': {
    params: taskParam,
    own: 200,
    consumer: 404,
    why: tasksAreTheirs,
  },
  'GET /api/scaffolder/v2/tasks/:taskId/eventstream': {
    params: taskParam,
    own: 200,
    consumer: 404,
    why: tasksAreTheirs,
  },
  'POST /api/scaffolder/v2/tasks/:taskId/cancel': {
    params: taskParam,
    own: 200,
    consumer: 404,
    why: tasksAreTheirs,
    destructive: true,
  },
  'POST /api/scaffolder/v2/tasks/:taskId/retry': {
    params: taskParam,
    body: () => json({}),
    own: 201,
    consumer: 404,
    why: tasksAreTheirs,
    destructive: true,
  },
  'POST /api/scaffolder/v2/dry-run': {
    cases: [
      {
        name: 'reads the tenant repository',
        body: t =>
          json({
            template: templateOf(t, 'repository'),
            values: {},
            directoryContents: [],
          }),
        own: 200,
        consumer: 403,
        why: 'running templates (dry runs too) is for developers and operators',
        missingStatus: stepFailed,
      },
      {
        name: 'reads the tenant catalog',
        body: t =>
          json({
            template: templateOf(t, 'catalog'),
            values: {},
            directoryContents: [],
          }),
        own: 200,
        consumer: 403,
        why: 'running templates (dry runs too) is for developers and operators',
        missingStatus: stepFailed,
      },
    ],
  },
  'POST /api/scaffolder/v2/autocomplete/:provider/:resource': {
    params: () => ({ provider: 'gitlab', resource: 'groups' }),
    body: () => json({ token: 'a-gitlab-token-of-the-caller', context: {} }),
    own: 400,
    why: 'no autocompletion provider is installed (the GitLab one came with the stock GitLab module)',
  },
};
