import { GitLabIntegrationConfig } from '@backstage/integration';
import { ServiceUnavailableError } from '@backstage/errors';

/** How long GitLab has to answer one call of this module (not of the official actions). */
const GITLAB_TIMEOUT_MS = 10_000;

/**
 * One call of GitLab's REST v4 API at `apiPath` (below `apiBaseUrl`), with the given token
 * (a user's OAuth token as `Bearer`) or the integration's. A GitLab that does not answer within
 * seconds, or a missing token, is a `ServiceUnavailableError` saying what the call was for.
 */
export async function gitlabApiCall(
  integration: GitLabIntegrationConfig,
  apiPath: string,
  options: {
    /** What the call is for, in the error messages ("the tenant check of a step's target"). */
    purpose: string;
    method?: 'GET' | 'DELETE';
    /** A user's OAuth token; the integration's token otherwise. */
    oauthToken?: string;
    fetch?: typeof fetch;
  },
): Promise<Response> {
  const { purpose, oauthToken } = options;
  if (!oauthToken && !integration.token) {
    throw new ServiceUnavailableError(
      `The GitLab integration for '${integration.host}' has no token for ${purpose}`,
    );
  }
  try {
    return await (options.fetch ?? fetch)(
      `${integration.apiBaseUrl}${apiPath}`,
      {
        method: options.method ?? 'GET',
        headers: oauthToken
          ? { authorization: `Bearer ${oauthToken}` }
          : { 'private-token': integration.token! },
        signal: AbortSignal.timeout(GITLAB_TIMEOUT_MS),
      },
    );
  } catch (error) {
    throw new ServiceUnavailableError(
      `GitLab at '${integration.host}' did not answer ${purpose}`,
      error,
    );
  }
}
