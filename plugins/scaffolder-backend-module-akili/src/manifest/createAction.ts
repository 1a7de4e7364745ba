import fs from 'node:fs/promises';
import path from 'node:path';
import {
  PRODUCT_TEMPLATE_KINDS,
  ProductTemplateKind,
  ProductTemplateValues,
  templateManifestYaml,
} from '@akili/plugin-akili-common';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/** The id of the action. */
export const MANIFEST_CREATE_ACTION_ID = 'akili:manifest:create';

const examples = [
  {
    description:
      "Write the manifest of a new SQL product from the template's form, then validate it",
    example: `steps:
  - id: manifest
    action: akili:manifest:create
    input:
      template: sql
      values: \${{ parameters }}
  - id: validate
    action: akili:manifest:validate
    input:
      path: dataproduct.yaml`,
  },
];

/**
 * `akili:manifest:create`: writes the DataProduct manifest of a new-product template into the
 * workspace, from the template's form values.
 *
 * @remarks
 *
 * The text is `templateManifestYaml` of `@akili/plugin-akili-common`, the function the form's
 * `AkiliManifestPreview` field shows: the manifest the user reviewed is the one the run writes.
 * It only writes into the workspace, so it runs in dry runs; a later `akili:manifest:validate`
 * step checks the manifest and its tenant.
 */
export function createManifestCreateAction() {
  return createTemplateAction({
    id: MANIFEST_CREATE_ACTION_ID,
    description:
      "Writes the data product manifest of a new-product template (sql, python or ingestion) from the form's values, as the form's manifest preview shows it.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        template: z =>
          z
            .enum(PRODUCT_TEMPLATE_KINDS as [ProductTemplateKind])
            .describe('The kind of product: sql, python or ingestion'),
        values: z =>
          z
            .record(z.unknown())
            .describe(
              "The template's form values (tenant, name, title, domain, owner, description, productType, outputPorts, sourceSystem, sourceLocation)",
            ),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write it in the workspace (default dataproduct.yaml)',
            ),
      },
      output: {
        path: z =>
          z.string().describe('The manifest file, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const { template, values, path: target = 'dataproduct.yaml' } = ctx.input;
      const file = resolveSafeChildPath(ctx.workspacePath, target);
      const text = templateManifestYaml(
        template,
        values as ProductTemplateValues,
      );
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text, 'utf8');
      ctx.logger.info('Data product manifest written', {
        path: target,
        template,
      });
      ctx.output('path', target);
    },
  });
}
