import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ManifestParserService } from '@akili/plugin-akili-node';
import { readGitlabDeployConfig } from '../deployments/GitlabPipelines';
import { ProductStore } from '../products/ProductStore';
import { GitlabMergeRequestNotes } from './GitlabMergeRequestNotes';
import { MergeRequestReviewer } from './MergeRequestReviewer';
import { createReviewsRouter, readReviewsConfig } from './router';

export { GITLAB_WEBHOOK_PATH } from './router';

/**
 * The merge-request review: the GitLab webhook's router (mount it with an unauthenticated auth
 * policy for {@link GITLAB_WEBHOOK_PATH}; the webhook's secret decides) and its reviewer, on
 * the GitLab of deployments.
 */
export function createGitlabReviewRouter(options: {
  config: Config;
  logger: LoggerService;
  auth: AuthService;
  catalog: CatalogService;
  products: ProductStore;
  manifestParser: ManifestParserService;
  tenantNames: () => Promise<string[]>;
}) {
  const reviews = readReviewsConfig(options.config);
  const gitlab = readGitlabDeployConfig(options.config);
  const logger = options.logger.child({ component: 'reviews' });
  return createReviewsRouter({
    logger,
    config: reviews,
    reviewer:
      typeof gitlab === 'string'
        ? gitlab
        : new MergeRequestReviewer({
            gitlab: new GitlabMergeRequestNotes(gitlab),
            tenantNames: options.tenantNames,
            products: options.products,
            parser: options.manifestParser,
            catalog: options.catalog,
            auth: options.auth,
            logger,
            manifestPath: reviews.manifestPath,
          }),
  });
}
