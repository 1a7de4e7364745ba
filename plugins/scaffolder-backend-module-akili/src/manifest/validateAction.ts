import { ManifestParserService } from '@akili/plugin-akili-node';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { StepTenantGuard } from '../gitlab/StepTenantGuard';
import {
  invalidManifestMessage,
  manifestInputSchema,
  readManifestInput,
} from './manifestInput';

/** The id of the action. */
export const MANIFEST_VALIDATE_ACTION_ID = 'akili:manifest:validate';

const examples = [
  {
    description:
      'Validate the manifest a previous step wrote into the workspace',
    example: `steps:
  - id: fetch
    action: fetch:template
    input:
      url: ./skeleton
      values:
        tenant: \${{ parameters.tenant }}
        name: \${{ parameters.name }}
  - id: validate
    action: akili:manifest:validate
    input:
      path: dataproduct.yaml`,
  },
  {
    description:
      'Check a manifest without failing the step, and use the answer in a later step',
    example: `steps:
  - id: validate
    action: akili:manifest:validate
    input:
      manifest: \${{ parameters.manifestText }}
      failOnInvalid: false
  - id: log
    action: debug:log
    input:
      message: 'valid: \${{ steps.validate.output.valid }}'`,
  },
];

/**
 * `akili:manifest:validate`: validates a data product manifest (Akili, ODPS or ODCS; YAML or
 * JSON) with the control plane's parser (`ManifestParserService` of `@akili/plugin-akili-node`,
 * `parseManifest` of `@akili/plugin-akili-common`).
 *
 * @remarks
 *
 * The manifest is given as text or object (`manifest`) or as a file of the workspace (`path`).
 * A product's namespace must be the task's tenant (in a dry run: a tenant where the user is a
 * developer or operator): the tenant comes from the task, never from an input. The step fails
 * on an invalid manifest, naming the first problems with their paths and lines, unless
 * `failOnInvalid` is false. Nothing leaves the workspace, so it runs in dry runs too.
 */
export function createManifestValidateAction(options: {
  parser: ManifestParserService;
  guard: StepTenantGuard;
}) {
  const { parser, guard } = options;
  return createTemplateAction({
    id: MANIFEST_VALIDATE_ACTION_ID,
    description:
      "Validates a data product manifest with the control plane's rules (schema, semantics, ODPS and ODCS); its namespace must be the task's tenant.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...manifestInputSchema,
        failOnInvalid: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Fail the step when the manifest is invalid (default true). A manifest of another tenant always fails it.',
            ),
      },
      output: {
        valid: z => z.boolean().describe('Whether the manifest is valid'),
        kind: z =>
          z
            .enum(['akili', 'odps', 'odcs', 'unknown'])
            .describe('The format the document was read as'),
        errors: z =>
          z
            .array(
              z.object({
                path: z.string(),
                line: z.number().optional(),
                column: z.number().optional(),
                message: z.string(),
              }),
            )
            .describe(
              'The problems, in text order (line and column of the text; none for an object)',
            ),
      },
    },
    async handler(ctx) {
      const { failOnInvalid = true } = ctx.input;
      const { text, source, fromObject } = await readManifestInput(
        MANIFEST_VALIDATE_ACTION_ID,
        ctx.input,
        ctx.workspacePath,
      );

      const result = await parser.parse(text);
      // Lines of an object's JSON rendering would point nowhere the author can see.
      const errors = fromObject
        ? result.errors.map(({ path: p, message }) => ({ path: p, message }))
        : result.errors;

      const tenant = result.manifests[0]?.metadata.namespace;
      if (tenant !== undefined) {
        await guard.checkTenant(
          MANIFEST_VALIDATE_ACTION_ID,
          ctx as any,
          tenant,
          `The namespace of ${source}`,
        );
      }

      ctx.output('valid', result.valid);
      ctx.output('kind', result.kind);
      ctx.output('errors', errors);

      if (result.valid) {
        ctx.logger.info(`${source} is a valid ${result.kind} manifest`);
        return;
      }
      const message = invalidManifestMessage(source, errors);
      if (failOnInvalid) {
        throw new InputError(message);
      }
      ctx.logger.warn(message);
    },
  });
}
