/**
 * Where the GitLab test server of the end-to-end run listens and the token of the portal's
 * GitLab integration (app-config.e2e.yaml), shared by e2e-tests/support/gitlab.ts and the specs.
 */
export const E2E_GITLAB_URL = 'http://127.0.0.1:7193';

/** The token of `integrations.gitlab` in app-config.e2e.yaml. */
export const E2E_GITLAB_TOKEN = 'akili-e2e-gitlab-token';
