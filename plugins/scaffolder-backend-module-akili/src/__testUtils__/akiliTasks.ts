import { testManifestYaml } from '@akili/plugin-akili-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { startScaffolder } from './startScaffolder';

/** `akili` config seeding the control plane's tenants acme and globex. */
export const TEST_TENANTS_CONFIG: JsonObject = {
  tenants: {
    seed: [
      { name: 'acme', title: 'ACME' },
      { name: 'globex', title: 'Globex' },
    ],
  },
};

/** An Akili manifest of `namespace`'s product (default `orders`, version 1.0.0, port `orders`). */
export const testManifest = (
  namespace: string,
  options: { name?: string; version?: string; columns?: string[] } = {},
) =>
  testManifestYaml(namespace, options.name ?? 'orders', {
    version: options.version,
    port: 'orders',
    columns: options.columns ?? ['order_id', 'amount'],
  });

/**
 * A template `default/<name>` of one step (`id: <step>`) running `action` with `input`, whose
 * parameters are free-form and whose output is the step's `outputs`.
 */
export function oneStepTemplate(options: {
  name: string;
  action: string;
  step: string;
  input: JsonObject;
  outputs: string[];
}): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: options.name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `url:https://example.test/${options.name}.yaml`,
      },
    },
    spec: {
      type: 'service',
      parameters: [{ properties: { tenant: { type: 'string' } } }],
      steps: [
        { id: options.step, action: options.action, input: options.input },
      ],
      output: Object.fromEntries(
        options.outputs.map(output => [
          output,
          `\${{ steps.${options.step}.output.${output} }}`,
        ]),
      ),
    },
  };
}

/** Runs a real task of `user` from `templateRef` (tenant acme unless given); its status, output and log. */
export async function runTask(
  scaffolder: Awaited<ReturnType<typeof startScaffolder>>,
  user: string,
  templateRef: string,
  values: Record<string, unknown>,
) {
  const create = await scaffolder.as(user).post('/v2/tasks', {
    templateRef,
    values: { tenant: 'acme', ...values },
  });
  if (create.status !== 201) {
    throw new Error(`creating a task of ${templateRef}: ${create.text}`);
  }
  const done = await scaffolder.finished(create.body.id);
  // The completion event carries the task's output.
  const events = await scaffolder
    .as('user:default/root')
    .get(`/v2/tasks/${create.body.id}/events`);
  const completion = (
    events.body as { type: string; body: { output?: JsonObject } }[]
  ).find(event => event.type === 'completion');
  return {
    ...done,
    taskId: create.body.id as string,
    output: completion?.body.output,
  };
}
