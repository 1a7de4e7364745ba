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
  GitlabPipeline,
  GitlabPipelines,
  GitlabRefusedError,
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
 * What a deploy request may say: nothing (trigger a pipeline), or a pipeline of the product's
 * project to record (its CI deploying from the default branch), with the registered version it
 * deploys. Other fields are ignored: the project comes from the route and the registry. The
 * spec has checked the types (an object, `pipelineId` a positive integer, `version` a non-empty
 * string); what is left is the rule between them.
 */
function readDeployRequest(body: { pipelineId?: number; version?: string }): {
  pipelineId?: number;
  version?: string;
} {
  const { pipelineId, version } = body;
  if (version !== undefined && pipelineId === undefined) {
    throw new InputError(
      'version in the deploy request goes with pipelineId (a pipeline to record); a triggered deployment deploys the current version',
    );
  }
  return {
    ...(pipelineId !== undefined ? { pipelineId } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

/**
 * Deployments of registered products: trigger the product's GitLab pipeline, or record one its
 * CI runs on the default branch (on the tenant's own project, never one named by the request),
 * follow it, list what was deployed.
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
  // Bodies are read (JSON, 4 kB) and checked against the spec by the plugin's router.
  const router = Router();
  const notFound = (tenant: string, name: string) =>
    `No data product dataproduct:${tenant}/${name} in the registry`;

  /**
   * The pipeline `pipelineId` of the product's project, required to run on its default branch:
   * 404 when the project has no such pipeline (another project's id), 400 for another ref.
   */
  async function defaultBranchPipeline(
    client: GitlabPipelines,
    project: { id: number; path: string; defaultBranch: string },
    pipelineId: number,
  ): Promise<GitlabPipeline> {
    let pipeline: GitlabPipeline;
    try {
      pipeline = await client.pipeline(project.id, project.path, pipelineId);
    } catch (error) {
      if (error instanceof GitlabRefusedError && error.gitlabStatus === 404) {
        throw new NotFoundError(
          `No pipeline ${pipelineId} in the GitLab project ${project.path}: record a pipeline of the product's own project`,
        );
      }
      throw error;
    }
    if (pipeline.project_id !== project.id) {
      throw new NotFoundError(
        `Pipeline ${pipelineId} is not one of the GitLab project ${project.path}`,
      );
    }
    if (pipeline.tag || pipeline.ref !== project.defaultBranch) {
      throw new InputError(
        `Pipeline ${pipelineId} of ${project.path} runs on ${
          pipeline.tag ? 'the tag' : 'the branch'
        } '${pipeline.ref}', not on the default branch '${
          project.defaultBranch
        }': only the default branch deploys`,
      );
    }
    return pipeline;
  }

  /**
   * Deploys the product's current revision: a pipeline of `<rootGroup>/<tenant>/<name>` on its
   * default branch with `AKILI_PRODUCT` and `AKILI_VERSION`; 202 with the deployment, followed
   * in the background. With a body `{ pipelineId, version? }` it records that pipeline instead
   * (the product's CI deploying from its default branch): it must be one of the project's, on
   * the default branch; the deployment is of `version` (registered) or the current revision,
   * 202 and followed like a triggered one, or 200 with the deployment already recorded for that
   * pipeline. `dryRun=true` checks the same (the registry, the caller's permission, the GitLab
   * project, the pipeline) and answers 200 with what would run, triggering and recording nothing.
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
    const request = readDeployRequest(req.body ?? {});
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
    // The version deployed: the one named (recording a pipeline), else the current revision.
    let target: { revision: number; version?: string } = {
      revision: current.revision,
      ...(current.manifest.spec.version !== undefined
        ? { version: current.manifest.spec.version }
        : {}),
    };
    if (request.version !== undefined) {
      const entry = await products.get(tenant, name);
      const named = entry?.versions.find(v => v.version === request.version);
      if (!named) {
        throw new InputError(
          `Version ${
            request.version
          } of dataproduct:${tenant}/${name} is not registered: submit it first, or omit version to record the current one${
            entry?.version ? ` (${entry.version})` : ''
          }`,
        );
      }
      target = { revision: named.revision, version: request.version };
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
    const existing =
      request.pipelineId !== undefined
        ? await defaultBranchPipeline(
            gitlab,
            {
              id: project.id,
              path: projectPath,
              defaultBranch: project.default_branch,
            },
            request.pipelineId,
          )
        : undefined;
    const { version, revision } = target;
    const entityRef = `dataproduct:${tenant}/${name}`;
    if (dryRun) {
      const plan: ProductDeploymentPlan = {
        dryRun: true,
        entityRef,
        tenant,
        name,
        revision,
        ...(version !== undefined ? { version } : {}),
        gitlabProject: projectPath,
        ref: project.default_branch,
      };
      res.status(200).json(plan);
      return;
    }
    const pipeline =
      existing ??
      (await gitlab.createPipeline(
        project.id,
        projectPath,
        project.default_branch,
        {
          AKILI_PRODUCT: entityRef,
          AKILI_VERSION: version ?? `revision-${revision}`,
        },
      ));
    const recording = {
      name,
      revision,
      ...(version !== undefined ? { version } : {}),
      requestedBy: authorization.actorRef,
      gitlabProject: projectPath,
      ref: project.default_branch,
      pipelineId: pipeline.id,
      pipelineUrl: pipeline.web_url,
      status: 'pending' as const,
    };
    const recorded = existing
      ? await store.record(tenant, recording)
      : { deployment: await store.create(tenant, recording), created: true };
    if (!recorded.created) {
      // Recorded before (a retried CI job): that deployment, followed since.
      res.status(200).json(recorded.deployment);
      return;
    }
    let deployment = recorded.deployment;
    // Moved on through the store, which writes the event of a pipeline that already ended.
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
    logger.info(
      existing
        ? 'Data product deployment recorded'
        : 'Data product deployment started',
      {
        tenant,
        product: entityRef,
        revision,
        deploymentId: deployment.id,
        pipelineId: pipeline.id,
        actor: authorization.actorRef,
      },
    );
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
