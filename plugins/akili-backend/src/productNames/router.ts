import express from 'express';
import Router from 'express-promise-router';
import { LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  akiliProductSubmitPermission,
  ProductNameAvailability,
} from '@akili/plugin-akili-common';
import { TenancyService } from '@akili/plugin-akili-node';
import { checkName } from '../deployments/router';
import {
  GitlabPipelines,
  GitlabRefusedError,
} from '../deployments/GitlabPipelines';
import { ProductStore } from '../products/ProductStore';

/**
 * Whether a new data product may take a name in a tenant (what the scaffolder's form field asks
 * before a run): free in the registry, in the catalog as the caller sees it, and in GitLab.
 */
export function createProductNamesRouter(options: {
  logger: LoggerService;
  tenancy: TenancyService;
  products: ProductStore;
  catalog: CatalogService;
  /** The tenants' GitLab, when deployments reach it; otherwise GitLab is not asked. */
  gitlab?: GitlabPipelines;
}): express.Router {
  const { logger, tenancy, products, catalog, gitlab } = options;
  const router = Router();

  /** 200 with {@link ProductNameAvailability} for a valid name; 400 for an invalid one. */
  router.get('/v1/tenants/:tenant/product-names/:name', async (req, res) => {
    const { tenant, name } = req.params;
    // Those who may create products in the tenant (developers, operators, their tokens).
    const authorization = await tenancy.authorize(req, {
      tenant,
      permission: akiliProductSubmitPermission,
    });
    checkName(name);
    const entityRef = `dataproduct:${tenant}/${name}`;
    const taken = (
      takenBy: NonNullable<ProductNameAvailability['takenBy']>,
      message: string,
      unchecked?: ProductNameAvailability['unchecked'],
    ): ProductNameAvailability => ({
      tenant,
      name,
      available: false,
      takenBy,
      message: `${message}: choose another name`,
      ...(unchecked ? { unchecked } : {}),
    });

    const current = await products.current(tenant, name);
    if (current) {
      res.json(
        taken(
          'registry',
          `${entityRef} is registered already (revision ${current.revision})`,
        ),
      );
      return;
    }
    const entity = await catalog.getEntityByRef(
      { kind: 'DataProduct', namespace: tenant, name },
      {
        credentials: await tenancy.catalogCredentials(authorization, {
          namespace: tenant,
        }),
      },
    );
    if (entity) {
      const location =
        entity.metadata.annotations?.['backstage.io/managed-by-location'];
      res.json(
        taken(
          'catalog',
          `${entityRef} is in the catalog already${
            location ? ` (from ${location})` : ''
          }`,
        ),
      );
      return;
    }
    let unchecked: ProductNameAvailability['unchecked'];
    if (gitlab) {
      const path = `${gitlab.config.rootGroup}/${tenant}/${name}`;
      try {
        await gitlab.project(path);
        res.json(taken('gitlab', `The GitLab project ${path} exists already`));
        return;
      } catch (error) {
        if (
          !(error instanceof GitlabRefusedError && error.gitlabStatus === 404)
        ) {
          // The registry and the catalog still answer; publishing will tell about GitLab.
          logger.warn('Could not check a product name in GitLab', {
            tenant,
            name,
            error: (error as Error).message,
          });
          unchecked = ['gitlab'];
        }
      }
    } else {
      unchecked = ['gitlab'];
    }
    const body: ProductNameAvailability = {
      tenant,
      name,
      available: true,
      ...(unchecked ? { unchecked } : {}),
    };
    res.json(body);
  });

  return router;
}
