import { SubmitProductResponse } from '@akili/plugin-akili-common';
import { ManifestParserService } from '@akili/plugin-akili-node';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { StepTenantGuard } from '../gitlab/StepTenantGuard';
import {
  invalidManifestMessage,
  manifestInputSchema,
  readManifestInput,
} from '../manifest/manifestInput';
import { ControlPlaneDeps, sameKind } from './controlPlane';
import { submitProduct } from './submitProduct';

/** The id of the action. */
export const PRODUCT_REGISTER_ACTION_ID = 'akili:product:register';

const examples = [
  {
    description:
      'Check the registration before publishing, publish, then register: a refusal stops the run before GitLab is called',
    example: `steps:
  - id: check
    action: akili:product:register
    input:
      path: dataproduct.yaml
      dryRun: true
      expectNew: true
  - id: publish
    action: publish:gitlab
    input:
      repoUrl: gitlab.example.com?owner=data-products/\${{ parameters.tenant }}&repo=\${{ parameters.name }}
  - id: register
    action: akili:product:register
    input:
      path: dataproduct.yaml
      projectUrl: \${{ steps.publish.output.remoteUrl }}`,
  },
  {
    description:
      'Register a new major version whose breaking changes the user acknowledged in the form',
    example: `steps:
  - id: register
    action: akili:product:register
    input:
      manifest: \${{ parameters.manifest }}
      acknowledgeBreaking: \${{ parameters.acknowledgeBreaking }}`,
  },
];

/** A name that another source than the registry holds in the catalog already. */
class NameInCatalogError extends ConflictError {}
/** The catalog could not say whether a name is free. */
class CatalogUnreadableError extends ServiceUnavailableError {}

/**
 * Refuses a new product's name that the catalog has already as a data product of the tenant,
 * though the registry does not (e.g. discovered from a GitLab project), read as the task's user.
 */
async function checkNameFreeInCatalog(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  tenant: string,
  name: string,
): Promise<void> {
  const entityRef = `dataproduct:${tenant}/${name}`;
  let existing;
  try {
    existing = await catalog.getEntityByRef(
      { kind: 'DataProduct', namespace: tenant, name },
      { credentials },
    );
  } catch (error) {
    throw new CatalogUnreadableError(
      `The catalog could not be read to check that ${entityRef} is a free name (${
        isError(error) ? error.message : String(error)
      }): try again later`,
    );
  }
  if (existing) {
    const location =
      existing.metadata.annotations?.['backstage.io/managed-by-location'];
    throw new NameInCatalogError(
      `${entityRef} is in the catalog already${
        location ? ` (from ${location})` : ''
      }, though not in the registry: choose another name, or submit that product's own manifest from its project (akili submit) instead of creating it again`,
    );
  }
}

/** `3 changes (1 breaking)`, `no changes`, `new product`. */
export function diffSummary(answer: SubmitProductResponse): string {
  const { changes } = answer.diff;
  if (answer.product.revision === 1) {
    return 'new product';
  }
  if (changes.length === 0) {
    return 'no changes';
  }
  const breaking = changes.filter(change => change.breaking).length;
  return `${changes.length} change${changes.length === 1 ? '' : 's'}${
    breaking > 0 ? ` (${breaking} breaking)` : ''
  }`;
}

/**
 * `akili:product:register`: submits the task's manifest to the product registry of the control
 * plane, as the task's user, in the task's tenant.
 *
 * @remarks
 *
 * The manifest is given as text or object (`manifest`) or as a file of the workspace (`path`),
 * as for `akili:manifest:validate`; its namespace must be the task's tenant (in a dry run of the
 * template editor: a tenant where the user develops or operates), and it is submitted to that
 * tenant's registry. The request carries the user's credentials from the task
 * (`ctx.getInitiatorCredentials()`), never this plugin's and never an input, so the control
 * plane decides with the user's roles. In a dry run, or with `dryRun: true`, the registry only
 * answers what it would do (`dryRun=true`) and stores nothing. With `expectNew`, the name must be
 * free in the registry and in the catalog (read as the task's user: a product another source such
 * as the GitLab discovery put there counts as taken). A registration the registry would refuse
 * (breaking changes without acknowledgement and a major version) fails the step, in a dry run
 * too.
 * A real registration runs in a checkpoint, so a retried task does not register twice. The step
 * fails on a refusal (400 invalid, 409 breaking change, 403/404 not allowed) with the registry's
 * reason and, after a publish (`projectUrl`), what to do with the project that now exists.
 */
export function createProductRegisterAction(
  options: ControlPlaneDeps & {
    parser: ManifestParserService;
    guard: StepTenantGuard;
    catalog: CatalogService;
  },
) {
  const { parser, guard, discovery, auth, catalog } = options;
  return createTemplateAction({
    id: PRODUCT_REGISTER_ACTION_ID,
    description:
      "Registers a data product manifest in the control plane's product registry of the task's tenant, as the task's user (a dry run stores nothing).",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...manifestInputSchema,
        dryRun: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Only ask the registry what it would do, storing nothing (always so in a dry run of the template)',
            ),
        acknowledgeBreaking: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Accept breaking changes for consumers (they also need a new major spec.version)',
            ),
        expectNew: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Fail when the product is already registered, or in the catalog from another source (for templates that create a product)',
            ),
        projectUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The GitLab project an earlier step published the manifest to: a failure says what to do with it',
            ),
      },
      output: {
        entityRef: z =>
          z.string().describe('The product: dataproduct:<tenant>/<name>'),
        revision: z =>
          z
            .number()
            .describe(
              'The registry revision stored (in a dry run: the one that would be)',
            ),
        version: z =>
          z.string().optional().describe("The manifest's spec.version"),
        status: z =>
          z.string().describe('The product status: registered, deprecated'),
        stored: z =>
          z
            .boolean()
            .describe('Whether the registry stored it (not a dry run)'),
        breaking: z =>
          z.boolean().describe('Whether the changes break consumers'),
        diffSummary: z =>
          z
            .string()
            .describe(
              'What changed against the current revision: new product, no changes, 3 changes (1 breaking)',
            ),
      },
    },
    async handler(ctx) {
      const {
        acknowledgeBreaking = false,
        expectNew = false,
        projectUrl,
      } = ctx.input;
      const dryRun = ctx.isDryRun || ctx.input.dryRun === true;
      const { text, source, fromObject } = await readManifestInput(
        PRODUCT_REGISTER_ACTION_ID,
        ctx.input,
        ctx.workspacePath,
      );
      const next = projectUrl
        ? ` The GitLab project ${projectUrl} was created, but the product is not registered: fix its dataproduct.yaml there and submit it (akili submit dataproduct.yaml --tenant <tenant>, or the project's pipeline); nothing needs to be deleted.`
        : ` Nothing was ${dryRun ? 'published or ' : ''}registered.`;

      const parsed = await parser.parse(text);
      if (!parsed.valid) {
        const errors = fromObject
          ? parsed.errors.map(({ path: p, message }) => ({ path: p, message }))
          : parsed.errors;
        throw new InputError(
          `${invalidManifestMessage(source, errors)}.${next}`,
        );
      }
      const tenant = parsed.manifests[0]?.metadata.namespace;
      if (parsed.manifests.length !== 1 || tenant === undefined) {
        throw new InputError(
          `${source} must hold exactly one data product to register (it has ${parsed.manifests.length}).${next}`,
        );
      }
      // The task's tenant (checked when the task was created); the registry checks the user again.
      await guard.checkTenant(
        PRODUCT_REGISTER_ACTION_ID,
        ctx as any,
        tenant,
        `The namespace of ${source}`,
      );
      const name = parsed.manifests[0].metadata.name;
      const credentials = await ctx.getInitiatorCredentials();

      const ask = async (askDryRun: boolean) => {
        const answer = await submitProduct({ discovery, auth }, credentials, {
          tenant,
          text,
          dryRun: askDryRun,
          acknowledgeBreaking,
        });
        if (answer.conflict) {
          throw new ConflictError(answer.conflict);
        }
        if (expectNew && answer.product.revision > 1) {
          throw new ConflictError(
            `${answer.product.entityRef} is already registered (revision ${
              answer.product.revision - 1
            }): choose another name`,
          );
        }
        return answer;
      };
      // A product expected to be new is checked before anything is stored: a real submission
      // would otherwise add a revision to a product someone else registered meanwhile.
      // A new product's name must be free in the catalog too, whatever source holds it there.
      const submit = async () => {
        if (expectNew) {
          const check = await ask(true);
          await checkNameFreeInCatalog(catalog, credentials, tenant, name);
          if (dryRun) {
            return check;
          }
        }
        return ask(dryRun);
      };

      let answer: SubmitProductResponse;
      try {
        answer = dryRun
          ? await submit()
          : // A retried task finds the registration done instead of submitting it again.
            ((await ctx.checkpoint({
              key: `akili.product.register.${tenant}.${name}`,
              fn: async () => JSON.parse(JSON.stringify(await submit())),
            })) as unknown as SubmitProductResponse);
      } catch (error) {
        ctx.logger.error('Data product registration refused', {
          product: `dataproduct:${tenant}/${name}`,
          dryRun,
          reason: isError(error) ? error.name : String(error),
        });
        const reason = isError(error) ? error.message : String(error);
        const message =
          error instanceof NameInCatalogError ||
          error instanceof CatalogUnreadableError
            ? `${reason}.${next}`
            : `${
                dryRun ? 'The registry would refuse' : 'The registry refused'
              } dataproduct:${tenant}/${name}: ${reason}.${next}`;
        throw sameKind(error, message);
      }

      for (const warning of answer.warnings) {
        ctx.logger.warn(warning);
      }
      const summary = diffSummary(answer);
      ctx.output('entityRef', answer.product.entityRef);
      ctx.output('revision', answer.product.revision);
      if (answer.product.version !== undefined) {
        ctx.output('version', answer.product.version);
      }
      ctx.output('status', answer.product.status);
      ctx.output('stored', answer.stored);
      ctx.output('breaking', answer.diff.breaking);
      ctx.output('diffSummary', summary);
      ctx.logger.info(
        answer.stored
          ? `Registered ${answer.product.entityRef} revision ${answer.product.revision}: ${summary}`
          : `The registry would register ${answer.product.entityRef} revision ${answer.product.revision}: ${summary} (dry run, nothing stored)`,
      );
    },
  });
}
