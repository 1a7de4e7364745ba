import {
  isFinalDeploymentStatus,
  parseInputProductRef,
  ProductDeployment,
  ProductDeploymentPlan,
} from '@akili/plugin-akili-common';
import {
  InputError,
  isError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { StepTenantGuard } from '../gitlab/StepTenantGuard';
import { callControlPlaneAs, ControlPlaneDeps, sameKind } from './controlPlane';

/** The id of the action. */
export const PRODUCT_DEPLOY_ACTION_ID = 'akili:product:deploy';

/** How long `wait` waits for the pipeline when `timeoutMinutes` is not given. */
const DEFAULT_TIMEOUT_MINUTES = 30;
/** The longest `wait` may wait (the control plane follows a pipeline for two hours). */
const MAX_TIMEOUT_MINUTES = 120;
/** How often the deployment is read while waiting, unless configured. */
const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** Control plane errors in a row after which waiting stops (the deployment goes on). */
const MAX_READ_ERRORS = 5;

/** The `status` output of a dry run: nothing was triggered. */
export const PLANNED_STATUS = 'planned';

const examples = [
  {
    description:
      'Deploy the product a previous step registered, and wait for its pipeline to end',
    example: `steps:
  - id: register
    action: akili:product:register
    input:
      path: dataproduct.yaml
  - id: deploy
    action: akili:product:deploy
    input:
      product: \${{ steps.register.output.entityRef }}
      wait: true
      timeoutMinutes: 20
output:
  links:
    - title: Deployment pipeline
      url: \${{ steps.deploy.output.pipelineUrl }}`,
  },
  {
    description:
      'Start the deployment of an existing product of the tenant without waiting for it',
    example: `steps:
  - id: deploy
    action: akili:product:deploy
    input:
      product: dataproduct:\${{ parameters.tenant }}/\${{ parameters.name }}`,
  },
];

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** What to do after a deployment ended `status`, for the step's error. */
function nextStep(deployment: ProductDeployment): string {
  const where = deployment.pipelineUrl
    ? `the pipeline ${deployment.pipelineUrl}`
    : `the pipelines of ${deployment.gitlabProject}`;
  if (deployment.status === 'unknown') {
    return `the control plane no longer follows it${
      deployment.message ? ` (${deployment.message})` : ''
    }: see ${where} in GitLab`;
  }
  return `${
    deployment.message ?? `the GitLab pipeline ended ${deployment.status}`
  }: see the failed jobs of ${where}, fix the product and deploy it again`;
}

/**
 * `akili:product:deploy`: deploys a registered data product of the task's tenant through the
 * control plane (`POST /api/akili/v1/tenants/:tenant/products/:name/deploy`), as the task's user.
 *
 * @remarks
 *
 * The product is `dataproduct:<tenant>/<name>` (or `<tenant>/<name>`), e.g. the `entityRef`
 * output of `akili:product:register`; its tenant must be the task's (in a dry run of the
 * template editor: a tenant where the user develops or operates). The request carries the
 * user's credentials from the task (`ctx.getInitiatorCredentials()`), never an input, so the
 * control plane decides with the user's roles and starts the pipeline of the tenant's own
 * project. In a dry run the control plane only checks (the product is registered, the user may
 * deploy it, its GitLab project can run a pipeline) and nothing is triggered. The trigger runs
 * in a checkpoint: a retried task does not deploy twice. With `wait: true` the step follows the
 * deployment until it ends (logging each change) or `timeoutMinutes` pass, and fails unless the
 * pipeline succeeded. Refusals and GitLab being down fail the step with what to do.
 */
export function createProductDeployAction(
  options: ControlPlaneDeps & {
    guard: StepTenantGuard;
    /** How often the deployment is read while waiting (default 5 s). */
    pollIntervalMs?: number;
  },
) {
  const { guard } = options;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  return createTemplateAction({
    id: PRODUCT_DEPLOY_ACTION_ID,
    description:
      "Deploys a registered data product of the task's tenant (its GitLab pipeline) as the task's user, optionally waiting for the pipeline to end (a dry run only checks).",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        product: z =>
          z
            .string()
            .describe(
              'The product: dataproduct:<tenant>/<name> (e.g. the entityRef output of akili:product:register) or <tenant>/<name>',
            ),
        wait: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait for the pipeline to end, logging its progress; the step fails unless it succeeds (default false)',
            ),
        timeoutMinutes: z =>
          z
            .number()
            .min(1)
            .max(MAX_TIMEOUT_MINUTES)
            .optional()
            .describe(
              `With wait: how long to wait, in minutes (default ${DEFAULT_TIMEOUT_MINUTES}); the deployment goes on after it`,
            ),
      },
      output: {
        entityRef: z =>
          z.string().describe('The product: dataproduct:<tenant>/<name>'),
        deploymentId: z =>
          z.string().optional().describe('The deployment (none in a dry run)'),
        pipelineUrl: z =>
          z
            .string()
            .optional()
            .describe("The pipeline's page in GitLab (none in a dry run)"),
        status: z =>
          z
            .string()
            .describe(
              `pending, running, success, failed, canceled or unknown; ${PLANNED_STATUS} in a dry run`,
            ),
      },
    },
    async handler(ctx) {
      const { product, wait = false } = ctx.input;
      const ref = parseInputProductRef(product, '');
      if (!ref) {
        throw new InputError(
          `${PRODUCT_DEPLOY_ACTION_ID}: product '${product}' is not dataproduct:<tenant>/<name>`,
        );
      }
      const { namespace: tenant, name } = ref;
      const entityRef = `dataproduct:${tenant}/${name}`;
      await guard.checkTenant(
        PRODUCT_DEPLOY_ACTION_ID,
        ctx as any,
        tenant,
        `The tenant of ${entityRef}`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      const path = `/v1/tenants/${encodeURIComponent(
        tenant,
      )}/products/${encodeURIComponent(name)}`;
      const failed = (error: unknown, doing: string) => {
        ctx.logger.error('Data product deployment refused', {
          product: entityRef,
          dryRun: Boolean(ctx.isDryRun),
          reason: isError(error) ? error.name : String(error),
        });
        const reason = isError(error) ? error.message : String(error);
        const hint =
          error instanceof NotAllowedError
            ? ' (deploying needs the developer or operator role in the tenant)'
            : '';
        return sameKind(error, `${doing} ${entityRef}: ${reason}${hint}`);
      };
      ctx.output('entityRef', entityRef);

      if (ctx.isDryRun) {
        let plan: ProductDeploymentPlan;
        try {
          plan = await callControlPlaneAs<ProductDeploymentPlan>(
            options,
            credentials,
            { method: 'POST', path: `${path}/deploy?dryRun=true` },
          );
        } catch (error) {
          throw failed(error, 'Could not deploy');
        }
        ctx.output('status', PLANNED_STATUS);
        ctx.logger.info(
          `Would deploy ${entityRef} revision ${plan.revision} through a pipeline of ${plan.gitlabProject} on ${plan.ref} (dry run, nothing triggered)`,
        );
        return;
      }

      let deployment: ProductDeployment;
      try {
        // A retried task finds the deployment started instead of starting another one.
        deployment = (await ctx.checkpoint({
          key: `akili.product.deploy.${tenant}.${name}`,
          fn: async () =>
            JSON.parse(
              JSON.stringify(
                await callControlPlaneAs<ProductDeployment>(
                  options,
                  credentials,
                  { method: 'POST', path: `${path}/deploy` },
                ),
              ),
            ),
        })) as unknown as ProductDeployment;
      } catch (error) {
        throw failed(error, 'Could not deploy');
      }
      const report = (current: ProductDeployment) => {
        ctx.output('deploymentId', current.id);
        if (current.pipelineUrl) {
          ctx.output('pipelineUrl', current.pipelineUrl);
        }
        ctx.output('status', current.status);
      };
      report(deployment);
      ctx.logger.info(
        `Deploying ${deployment.entityRef} revision ${
          deployment.revision
        } through ${deployment.pipelineUrl ?? deployment.gitlabProject}: ${
          deployment.status
        }`,
      );
      if (!wait) {
        return;
      }

      deployment = await waitForEnd({
        deployment,
        read: () =>
          callControlPlaneAs<ProductDeployment>(options, credentials, {
            method: 'GET',
            path: `${path}/deployments/${encodeURIComponent(deployment.id)}`,
          }),
        timeoutMs:
          (ctx.input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES) * 60_000,
        pollIntervalMs,
        signal: ctx.signal,
        onChange: current => {
          report(current);
          ctx.logger.info(
            `Deployment of ${current.entityRef}: ${current.status}`,
          );
        },
      });
      if (deployment.status === 'success') {
        ctx.logger.info(`Deployed ${deployment.entityRef}`);
        return;
      }
      if (!isFinalDeploymentStatus(deployment.status)) {
        throw new ServiceUnavailableError(
          `The deployment of ${entityRef} did not end within ${
            ctx.input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES
          } minutes; it goes on: follow it at ${
            deployment.pipelineUrl ?? deployment.gitlabProject
          } or with akili deploy`,
        );
      }
      throw new Error(
        `The deployment of ${entityRef} ended ${deployment.status}: ${nextStep(
          deployment,
        )}`,
      );
    },
  });
}

/**
 * Reads a deployment until it ends, `timeoutMs` pass or `signal` aborts; the last state read.
 * Control plane errors are retried, up to {@link MAX_READ_ERRORS} in a row.
 */
async function waitForEnd(options: {
  deployment: ProductDeployment;
  read: () => Promise<ProductDeployment>;
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  onChange: (deployment: ProductDeployment) => void;
}): Promise<ProductDeployment> {
  const deadline = Date.now() + options.timeoutMs;
  let current = options.deployment;
  let errors = 0;
  while (
    !isFinalDeploymentStatus(current.status) &&
    Date.now() < deadline &&
    !options.signal?.aborted
  ) {
    await sleep(
      Math.min(options.pollIntervalMs, Math.max(0, deadline - Date.now())),
      options.signal,
    );
    let next: ProductDeployment;
    try {
      next = await options.read();
      errors = 0;
    } catch (error) {
      errors += 1;
      if (errors >= MAX_READ_ERRORS) {
        throw new ServiceUnavailableError(
          `Could not follow the deployment of ${current.entityRef} (${
            isError(error) ? error.message : String(error)
          }); it goes on: follow it at ${
            current.pipelineUrl ?? current.gitlabProject
          } or with akili deploy`,
        );
      }
      continue;
    }
    if (next.status !== current.status) {
      options.onChange(next);
    }
    current = next;
  }
  return current;
}
