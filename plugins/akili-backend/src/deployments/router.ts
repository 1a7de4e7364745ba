import express from 'express';
import Router from 'express-promise-router';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  akiliProductDeployPermission,
  akiliProductReadPermission,
  isFinalDeploymentStatus,
  NAME_PATTERN,
  ProductDeploymentList,
  ProductDeploymentPlan,
} from '@akili/plugin-akili-common';
import { TenancyService } from '@akili/plugin-akili-node';
import { ProductStore } from '../products/ProductStore';
import { flag } from '../products/router';
import { DeploymentStore } from './DeploymentStore';
import { DeploymentTracker } from './DeploymentTracker';
import {
  deploymentStatusOf,
  GitlabDeployConfig,
  GitlabNotConfiguredError,
  GitlabPipelines,
} from './GitlabPipelines';

const NAME = new RegExp(NAME_PATTERN);

/** Refuses (400) a route name that is not a data product name. */
export function checkName(name: string) {
  if (!NAME.test(name)) {
    throw new InputError(
      `"${name}" is not a data product name: lowercase letters, digits and dashes`,
    );
  }
}

/**
 * Deployments of registered products: trigger the product's GitLab pipeline (on the tenant's own
 * project, never one named by the request), follow it, list what was deployed.
 */
export function createDeploymentsRouter(options: {
  logger: LoggerService;
  tenancy: TenancyService;
  products: ProductStore;
  store: DeploymentStore;
  tracker: DeploymentTracker;
  /** Where GitLab is, or why deployments cannot reach it. */
  gitlab: GitlabDeployConfig | string;
}): express.Router {
  const { logger, tenancy, products, store, tracker } = options;
  const gitlab =
    typeof options.gitlab === 'string'
      ? undefined
      : new GitlabPipelines(options.gitlab);
  const router = Router();
  const notFound = (tenant: string, name: string) =>
    `No data product dataproduct:${tenant}/${name} in the registry`;

  /**
   * Deploys the product's current revision: a pipeline of `<rootGroup>/<tenant>/<name>` on its
   * default branch with `AKILI_PRODUCT` and `AKILI_VERSION`; 202 with the deployment, followed
   * in the background. Takes no body. `dryRun=true` checks the same (the registry, the caller's
   * permission, the GitLab project) and answers 200 with what would run, triggering nothing.
   */
  router.post('/v1/tenants/:tenant/products/:name/deploy', async (req, res) => {
    const { tenant, name } = req.params;
    const authorization = await tenancy.authorize(req, {
      tenant,
      permission: akiliProductDeployPermission,
      notFoundMessage: notFound(tenant, name),
    });
    checkName(name);
    const dryRun = flag(req, 'dryRun');
    const current = await products.current(tenant, name);
    if (!current) {
      throw new NotFoundError(
        `${notFound(tenant, name)}: submit its manifest before deploying it`,
      );
    }
    if (!gitlab) {
      throw new GitlabNotConfiguredError(
        `Deployments need GitLab, which is not configured: ${options.gitlab}`,
      );
    }
    // The tenant's own project, from the route's tenant and the registry's name only.
    const projectPath = `${gitlab.config.rootGroup}/${tenant}/${name}`;
    const project = await gitlab.project(projectPath);
    // GitLab answers for a moved project by its former path: deploy only where the path is now.
    if (
      project.path_with_namespace.toLowerCase() !== projectPath.toLowerCase()
    ) {
      throw new ConflictError(
        `The GitLab project ${projectPath} has moved to ${project.path_with_namespace}; move it back into the tenant's group to deploy it`,
      );
    }
    if (!project.default_branch) {
      throw new ConflictError(
        `The GitLab project ${projectPath} has no default branch (an empty repository): push the product's code first`,
      );
    }
    const version = current.manifest.spec.version;
    const entityRef = `dataproduct:${tenant}/${name}`;
    if (dryRun) {
      const plan: ProductDeploymentPlan = {
        dryRun: true,
        entityRef,
        tenant,
        name,
        revision: current.revision,
        ...(version !== undefined ? { version } : {}),
        gitlabProject: projectPath,
        ref: project.default_branch,
      };
      res.status(200).json(plan);
      return;
    }
    const pipeline = await gitlab.createPipeline(
      project.id,
      projectPath,
      project.default_branch,
      {
        AKILI_PRODUCT: entityRef,
        AKILI_VERSION: version ?? `revision-${current.revision}`,
      },
    );
    let deployment = await store.create(tenant, {
      name,
      revision: current.revision,
      ...(version !== undefined ? { version } : {}),
      requestedBy: authorization.actorRef,
      gitlabProject: projectPath,
      ref: project.default_branch,
      pipelineId: pipeline.id,
      pipelineUrl: pipeline.web_url,
      status: 'pending',
    });
    const status = deploymentStatusOf(pipeline.status);
    if (status !== 'pending') {
      deployment =
        (await store.update(tenant, deployment.id, { status })) ?? deployment;
    }
    if (!isFinalDeploymentStatus(deployment.status)) {
      tracker.follow(gitlab, {
        tenant,
        id: deployment.id,
        projectId: project.id,
        projectPath,
        pipelineId: pipeline.id,
      });
    }
    logger.info('Data product deployment started', {
      tenant,
      product: entityRef,
      revision: current.revision,
      deploymentId: deployment.id,
      pipelineId: pipeline.id,
      actor: authorization.actorRef,
    });
    res.status(202).json(deployment);
  });

  /** A product's deployments, newest first. */
  router.get(
    '/v1/tenants/:tenant/products/:name/deployments',
    async (req, res) => {
      const { tenant, name } = req.params;
      await tenancy.authorize(req, {
        tenant,
        permission: akiliProductReadPermission,
        notFoundMessage: notFound(tenant, name),
      });
      checkName(name);
      if (!(await products.current(tenant, name))) {
        throw new NotFoundError(notFound(tenant, name));
      }
      const body: ProductDeploymentList = {
        items: await store.list(tenant, name),
      };
      res.json(body);
    },
  );

  /** One deployment of a product (what `akili deploy` polls). */
  router.get(
    '/v1/tenants/:tenant/products/:name/deployments/:id',
    async (req, res) => {
      const { tenant, name, id } = req.params;
      await tenancy.authorize(req, {
        tenant,
        permission: akiliProductReadPermission,
        notFoundMessage: notFound(tenant, name),
      });
      checkName(name);
      const deployment = await store.get(tenant, id);
      if (!deployment || deployment.name !== name) {
        throw new NotFoundError(
          `No deployment ${id} of dataproduct:${tenant}/${name}`,
        );
      }
      res.json(deployment);
    },
  );

  return router;
}
