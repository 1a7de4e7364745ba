import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/** The id of the action. */
export const PORTAL_INFO_ACTION_ID = 'akili:portal:info';

const examples = [
  {
    description:
      "Give a new product's CI the portal's URL (AKILI_URL) once the project exists",
    example: `steps:
  - id: portal
    action: akili:portal:info
  - id: ci-url
    action: gitlab:projectVariable:create
    input:
      repoUrl: gitlab.example.com?owner=data-products/acme&repo=daily-orders
      projectId: \${{ steps.publish.output.projectId }}
      key: AKILI_URL
      value: \${{ steps.portal.output.url }}
      variableType: env_var`,
  },
];

/**
 * `akili:portal:info`: the portal's base URL (`backend.baseUrl`, where the `akili` CLI and the
 * API are reached), for the CI/CD variables of a new product's project. Templates cannot read
 * config themselves; the URL is not a secret.
 */
export function createPortalInfoAction(options: { config: Config }) {
  const url = options.config.getString('backend.baseUrl').replace(/\/+$/, '');
  return createTemplateAction({
    id: PORTAL_INFO_ACTION_ID,
    description:
      "Gives the portal's base URL (the API the akili CLI calls), e.g. for a project's AKILI_URL CI/CD variable.",
    examples,
    supportsDryRun: true,
    schema: {
      output: {
        url: z =>
          z.string().describe("The portal's base URL (backend.baseUrl)"),
      },
    },
    async handler(ctx) {
      ctx.output('url', url);
    },
  });
}
