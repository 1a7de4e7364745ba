import { stringify } from 'yaml';
import type { SweepFixture } from '../fixtures';
import { portTable } from './portTable';
import { RouteCase, json } from './types';

/**
 * How to invoke one action of the actions registry, for tenant `t`. The sweep invokes every
 * action each plugin registers: through `/.backstage/actions/v1|v2/actions/:actionId/invoke`
 * of its plugin and as a tool of the MCP server (`/api/mcp-actions/v1`).
 */
export interface ActionCase {
  /** The action id, `<pluginId>:<name>`. */
  action: string;
  input: (t: SweepFixture) => object;
  /** The status a developer and operator of `t` gets (invoke routes). */
  own: number;
  consumer?: number;
  why?: string;
  destructive?: boolean;
  /** See {@link RouteCase.missingStatus}. */
  missingStatus?: RouteCase['missingStatus'];
  /** See {@link RouteCase.transient}. */
  transient?: RouteCase['transient'];
}

/**
 * A template as a dry run takes it, whose step reads the tenant's repository (a private file,
 * with the portal's GitLab token) or its catalog (its product, with the caller's credentials).
 */
export function templateOf(t: SweepFixture, reads: 'repository' | 'catalog') {
  const step =
    reads === 'repository'
      ? {
          id: 'read',
          name: 'Read',
          action: 'akili:fetch:plain:file',
          input: {
            url: `${t.gitlabProject}/-/blob/main/secret.txt`,
            targetPath: 'secret.txt',
          },
        }
      : {
          id: 'read',
          name: 'Read',
          action: 'catalog:fetch',
          input: { entityRef: `dataproduct:${t.tenant}/${t.product}` },
        };
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'sweep-dry-run', namespace: t.tenant },
    spec: {
      owner: `group:${t.tenant}/sweep-team`,
      type: 'service',
      steps: [step],
      output:
        reads === 'catalog'
          ? {
              text: [
                {
                  title: 'Entity',
                  content: '${{ steps.read.output.entity | dump }}',
                },
              ],
            }
          : {},
    },
  };
}

/** A dry run whose step fails answers 500 with the step's error. */
export const stepFailed = {
  status: 500,
  why: "a dry run whose step fails answers 500 with the step's error",
};

/** An entity of the tenant whose description is read from a private file of its repository. */
export function entityReadingSecretOf(t: SweepFixture) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'sweep-validate',
      namespace: t.tenant,
      description: { $text: './secret.txt' },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:${t.tenant}/sweep-team`,
    },
  };
}

const noEntity = {
  status: 400,
  why: "the catalog's actions answer an entity they cannot see with InputError",
};

const productRef = (t: SweepFixture) => ({
  kind: 'DataProduct',
  namespace: t.tenant,
  name: t.product,
});

export const ACTION_CASES: ActionCase[] = [
  // catalog
  {
    action: 'catalog:get-catalog-model-description',
    input: () => ({}),
    own: 200,
  },
  {
    action: 'catalog:get-catalog-entity',
    input: productRef,
    own: 200,
    missingStatus: noEntity,
  },
  {
    action: 'catalog:validate-entity',
    input: t => ({
      entity: stringify(entityReadingSecretOf(t)),
      location: `${t.gitlabProject}/-/blob/main/catalog-info.yaml`,
    }),
    own: 200,
  },
  {
    action: 'catalog:register-entity',
    input: t => ({
      locationUrl: `${t.gitlabProject}/-/blob/main/catalog-info.yaml`,
    }),
    own: 403,
    why: 'registering locations is for platform admins',
    destructive: true,
  },
  {
    action: 'catalog:unregister-entity',
    input: t => ({ type: { locationId: t.locationId } }),
    own: 403,
    why: 'unregistering locations is for platform admins',
    destructive: true,
  },
  {
    action: 'catalog:query-catalog-entities',
    input: t => ({ query: { 'metadata.namespace': t.tenant } }),
    own: 200,
  },
  {
    action: 'catalog:refresh-catalog-entity',
    input: productRef,
    own: 200,
    missingStatus: noEntity,
    consumer: 403,
    why: 'refreshing entities is for operators of their namespace',
  },
  // scaffolder
  {
    action: 'scaffolder:list-scaffolder-tasks',
    input: () => ({}),
    own: 200,
    transient: {
      answer: /Invalid output from action.*lastHeartbeatAt/s,
      why: 'the stock action fails its own output schema while a task the sweep just created waits for a worker (no heartbeat yet)',
    },
  },
  {
    action: 'scaffolder:dry-run-template',
    input: t => ({
      templateYaml: stringify(templateOf(t, 'repository')),
      values: {},
    }),
    own: 200,
    consumer: 404,
    why: 'the dry-run action is offered to developers and operators only',
  },
  { action: 'scaffolder:list-scaffolder-actions', input: () => ({}), own: 200 },
  // query (@akili/plugin-starrocks-backend): as the user, through the query API's own path
  { action: 'starrocks:list-data-products', input: () => ({}), own: 200 },
  {
    action: 'starrocks:describe-data-product',
    input: t => ({ entityRef: `dataproduct:${t.tenant}/${t.product}` }),
    own: 200,
  },
  {
    action: 'starrocks:run-query',
    input: t => ({ tenant: t.tenant, sql: `SELECT * FROM ${portTable(t)}` }),
    own: 200,
  },
  {
    action: 'scaffolder:execute-template',
    input: t => ({
      templateRef: `template:${t.tenant}/${t.template}`,
      values: { name: 'sweep' },
    }),
    own: 200,
    consumer: 500,
    why: "running templates is for developers and operators; the stock action wraps the scaffolder's 403 in a 500",
    missingStatus: {
      status: 500,
      why: "the stock action wraps the scaffolder's 404 for a template the caller cannot see in a 500",
    },
  },
  {
    action: 'scaffolder:get-scaffolder-task-logs',
    input: t => ({ taskId: t.taskId }),
    own: 200,
    consumer: 404,
    why: 'tasks are visible to their creator and the tenant operators only',
  },
];

/**
 * Actions swept through the MCP server and the v2 invoke route too. Both hand the call to the
 * same action as the v1 invoke route (the MCP server through it, with the caller's credentials;
 * v2 with the input wrapped), where every action is swept: a read naming a tenant's entity, a
 * read naming its task, and a list.
 */
const THROUGH_EVERY_ENTRY = [
  'catalog:get-catalog-entity',
  'scaffolder:get-scaffolder-task-logs',
  'scaffolder:list-scaffolder-tasks',
];

/**
 * The cases of an invoke route of `pluginId`: v1 (the input as body) for every action, v2
 * (the input wrapped) for {@link THROUGH_EVERY_ENTRY}.
 */
export function invokeCases(pluginId: string, version: 1 | 2): RouteCase[] {
  const cases: RouteCase[] = ACTION_CASES.filter(
    a =>
      a.action.startsWith(`${pluginId}:`) &&
      (version === 1 || THROUGH_EVERY_ENTRY.includes(a.action)),
  ).map(a => ({
    name: a.action,
    params: () => ({ actionId: a.action }),
    body: t => json(version === 1 ? a.input(t) : { input: a.input(t) }),
    own: a.own,
    consumer: a.consumer,
    why: a.why,
    destructive: a.destructive,
    missingStatus: a.missingStatus,
    transient: a.transient,
  }));
  return [
    ...cases,
    {
      name: 'no-such-action',
      params: () => ({ actionId: `${pluginId || 'sweep'}:no-such-action` }),
      body: () => json(version === 1 ? {} : { input: {} }),
      own: 404,
      why: 'no such action',
    },
  ];
}

/** The cases of the MCP server: list the tools, call {@link THROUGH_EVERY_ENTRY} as tools. */
export function mcpCases(): RouteCase[] {
  const rpc = (method: string, params: object) =>
    json({ jsonrpc: '2.0', id: 1, method, params });
  const headers = () => ({ accept: 'application/json, text/event-stream' });
  return [
    {
      name: 'tools/list',
      body: () => rpc('tools/list', {}),
      headers,
      own: 200,
    },
    ...ACTION_CASES.filter(a => THROUGH_EVERY_ENTRY.includes(a.action)).map(
      (a): RouteCase => ({
        name: `tools/call ${a.action}`,
        body: t =>
          rpc('tools/call', {
            name: a.action.replace(':', '.'),
            arguments: a.input(t),
          }),
        headers,
        // JSON-RPC over HTTP: a refused call is a 200 whose result is an error.
        own: 200,
        destructive: a.destructive,
        check: ({ text }, role) => {
          const expected =
            (role === 'consumer' ? a.consumer ?? a.own : a.own) < 300;
          const isError = /"isError"\s*:\s*true|"error"\s*:\s*\{/.test(text);
          return isError === !expected
            ? undefined
            : `the tool ${
                expected ? 'failed' : 'succeeded'
              }, the action's case says ${
                role === 'consumer' ? a.consumer ?? a.own : a.own
              }: ${text.slice(0, 300)}`;
        },
      }),
    ),
  ];
}
