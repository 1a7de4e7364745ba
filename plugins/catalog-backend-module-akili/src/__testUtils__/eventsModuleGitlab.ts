import path from 'node:path';
import { BackendFeature } from '@backstage/backend-plugin-api';

/**
 * The two modules of `@backstage/plugin-events-backend-module-gitlab` (the `gitlab` webhook
 * ingress that checks `X-Gitlab-Token` against `events.modules.gitlab.webhookSecret`, and the
 * router that republishes to `gitlab.<object_kind>`), as Jest can load them. The package's
 * default export is a feature loader whose `import()`s Jest cannot run in backend packages
 * (no `--experimental-vm-modules`); these are the very modules it loads.
 */
export function eventsModuleGitlabFeatures(): BackendFeature[] {
  const dir = path.dirname(
    require.resolve(
      '@backstage/plugin-events-backend-module-gitlab/package.json',
    ),
  );
  return ['eventsModuleGitlabWebhook', 'eventsModuleGitlabEventRouter'].map(
    name =>
      // eslint-disable-next-line @backstage/no-relative-monorepo-imports
      require(path.join(dir, 'dist/service', `${name}.cjs.js`))
        .default as BackendFeature,
  );
}
