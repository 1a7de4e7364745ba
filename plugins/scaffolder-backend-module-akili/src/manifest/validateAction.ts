import fs from 'node:fs/promises';
import {
  MAX_MANIFEST_BYTES,
  ManifestProblem,
} from '@akili/plugin-akili-common';
import { ManifestParserService } from '@akili/plugin-akili-node';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { StepTenantGuard } from '../gitlab/StepTenantGuard';

/** The id of the action. */
export const MANIFEST_VALIDATE_ACTION_ID = 'akili:manifest:validate';

/** Problems named in the message of a failed step; the output lists them all. */
const PROBLEMS_IN_MESSAGE = 3;

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

function where(problem: ManifestProblem): string {
  return problem.line !== undefined
    ? `${problem.path} (line ${problem.line}${
        problem.column !== undefined ? `, column ${problem.column}` : ''
      })`
    : problem.path;
}

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
        manifest: z =>
          z
            .union([z.string(), z.record(z.unknown())])
            .optional()
            .describe(
              'The manifest: YAML or JSON text, or an object. Give this or path.',
            ),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'A manifest file in the workspace, relative to it (e.g. dataproduct.yaml). Give this or manifest.',
            ),
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
      const { manifest, path, failOnInvalid = true } = ctx.input;
      if ((manifest === undefined) === (path === undefined)) {
        throw new InputError(
          `${MANIFEST_VALIDATE_ACTION_ID}: give either 'manifest' (text or object) or 'path' (a file in the workspace)`,
        );
      }

      let text: string;
      let source: string;
      if (path !== undefined) {
        const file = resolveSafeChildPath(ctx.workspacePath, path);
        const stat = await fs.stat(file).catch(() => undefined);
        if (!stat?.isFile()) {
          throw new InputError(
            `${MANIFEST_VALIDATE_ACTION_ID}: no file '${path}' in the workspace`,
          );
        }
        if (stat.size > MAX_MANIFEST_BYTES) {
          throw new InputError(
            `${MANIFEST_VALIDATE_ACTION_ID}: '${path}' is larger than ${MAX_MANIFEST_BYTES} bytes`,
          );
        }
        text = await fs.readFile(file, 'utf8');
        source = path;
      } else if (typeof manifest === 'string') {
        text = manifest;
        source = 'the manifest';
      } else {
        text = JSON.stringify(manifest);
        source = 'the manifest';
      }

      const result = await parser.parse(text);
      // Lines of an object's JSON rendering would point nowhere the author can see.
      const errors =
        typeof manifest === 'object'
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
      const named = errors
        .slice(0, PROBLEMS_IN_MESSAGE)
        .map(problem => `${where(problem)}: ${problem.message}`)
        .join('; ');
      const more =
        errors.length > PROBLEMS_IN_MESSAGE
          ? ` (and ${errors.length - PROBLEMS_IN_MESSAGE} more)`
          : '';
      const message = `${source} is not a valid data product manifest: ${named}${more}`;
      if (failOnInvalid) {
        throw new InputError(message);
      }
      ctx.logger.warn(message);
    },
  });
}
