/*
 * The GitLab of the end-to-end tests: the GitLab test server (GitLab's REST v4 endpoints the
 * portal calls, and git over smart HTTP through `git http-backend`), with the tenants' groups
 * below `data-products` and the shared `platform` group. A template run from the portal creates
 * its project here and pushes the repository. `make test` starts it before the portal;
 * app-config.e2e.yaml points `integrations.gitlab` at it.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/gitlab.ts <port>
 */
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { E2E_GITLAB_TOKEN } from './gitlabSettings';

const port = Number(process.argv[2] ?? 7193);

async function main() {
  const gitlab = new GitlabTestServer(E2E_GITLAB_TOKEN);
  for (const group of [
    'data-products/acme',
    'data-products/globex',
    'data-products/initech',
    'platform',
  ]) {
    gitlab.addGroup(group);
  }
  await gitlab.start(port);
  // eslint-disable-next-line no-console
  console.log(
    `GitLab test server at ${gitlab.baseUrl}, git in ${gitlab.git.root}`,
  );
  const stop = () => {
    gitlab.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
