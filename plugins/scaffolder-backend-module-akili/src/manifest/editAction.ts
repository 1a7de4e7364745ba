import fs from 'node:fs/promises';
import {
  COLUMN_CLASSIFICATIONS,
  LOGICAL_TYPES,
  parseManifest,
} from '@akili/plugin-akili-common';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { StepTenantGuard } from '../gitlab/StepTenantGuard';
import { editManifest } from './editManifest';
import { readManifestInput } from './manifestInput';

/** The id of the action. */
export const MANIFEST_EDIT_ACTION_ID = 'akili:manifest:edit';

const examples = [
  {
    description:
      "Add an output port to a product's manifest fetched from its GitLab project, and raise the minor version",
    example: `steps:
  - id: fetch
    action: akili:fetch:plain:file
    input:
      url: https://gitlab.example.com/data-products/\${{ parameters.tenant }}/\${{ parameters.name }}/-/blob/main/dataproduct.yaml
      targetPath: repo/dataproduct.yaml
  - id: edit
    action: akili:manifest:edit
    input:
      path: repo/dataproduct.yaml
      entityRef: \${{ parameters.product }}
      addOutputPorts:
        - name: line-items
          columns:
            - { name: line_id, type: string }
            - { name: contact_email, type: string, classification: pii }
      bump: minor`,
  },
  {
    description:
      'Remove an output port: a breaking change, which needs a major bump and an acknowledgement',
    example: `steps:
  - id: edit
    action: akili:manifest:edit
    input:
      path: repo/dataproduct.yaml
      entityRef: \${{ parameters.product }}
      removeOutputPorts: [legacy-port]
      bump: major
      acknowledgeBreaking: \${{ parameters.acknowledgeBreaking }}`,
  },
];

/**
 * `akili:manifest:edit`: changes a data product manifest of the workspace in place (adds or
 * removes output ports, raises `spec.version`), keeping its comments and layout, so a merge
 * request shows only the change.
 *
 * @remarks
 *
 * The file must be the manifest of `entityRef` (its name and namespace), and that product's
 * tenant must be the task's (in a dry run: one the user develops or operates): the tenant is
 * where the product lives, never a form value. Removing a port breaks its consumers, so it needs
 * `bump: major` and `acknowledgeBreaking: true`. Only the workspace changes, so it runs in dry
 * runs too. The pure edit is {@link editManifest}.
 */
export function createManifestEditAction(options: { guard: StepTenantGuard }) {
  const { guard } = options;
  return createTemplateAction({
    id: MANIFEST_EDIT_ACTION_ID,
    description:
      "Edits a data product manifest in the workspace: adds or removes output ports and raises the version, keeping comments; the product must be of the task's tenant.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe(
              'The manifest file in the workspace, relative to it (e.g. repo/dataproduct.yaml); edited in place',
            ),
        entityRef: z =>
          z
            .string()
            .describe(
              'The product the file is the manifest of: dataproduct:<tenant>/<name>',
            ),
        addOutputPorts: z =>
          z
            .array(
              z.object({
                name: z.string(),
                description: z.string().optional(),
                kind: z
                  .enum(['table', 'view', 'topic', 'files', 'api'])
                  .optional(),
                columns: z.array(
                  z.object({
                    name: z.string(),
                    type: z.enum(LOGICAL_TYPES as [string, ...string[]]),
                    classification: z
                      .enum(COLUMN_CLASSIFICATIONS as [string, ...string[]])
                      .optional(),
                    description: z.string().optional(),
                  }),
                ),
              }),
            )
            .optional()
            .describe('Output ports to add, each a table with its columns'),
        removeOutputPorts: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Output ports to remove by name (breaking: needs bump major and acknowledgeBreaking)',
            ),
        bump: z =>
          z
            .enum(['major', 'minor', 'patch'])
            .optional()
            .describe('Raise spec.version (semver)'),
        acknowledgeBreaking: z =>
          z
            .boolean()
            .optional()
            .describe('The user accepts breaking changes for consumers'),
      },
      output: {
        previousVersion: z =>
          z.string().optional().describe('spec.version before the edit'),
        version: z =>
          z.string().optional().describe('spec.version after the edit'),
        summary: z =>
          z
            .string()
            .describe(
              'The changes applied, one per line (for a merge request)',
            ),
        breaking: z =>
          z
            .boolean()
            .describe('Whether the edit removes something consumers read'),
      },
    },
    async handler(ctx) {
      const { path, entityRef, acknowledgeBreaking = false } = ctx.input;
      const removeOutputPorts = ctx.input.removeOutputPorts ?? [];
      let ref;
      try {
        ref = parseEntityRef(entityRef, { defaultKind: 'dataproduct' });
      } catch {
        ref = undefined;
      }
      if (ref?.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
        throw new InputError(
          `${MANIFEST_EDIT_ACTION_ID}: entityRef '${entityRef}' is not a data product (dataproduct:<tenant>/<name>)`,
        );
      }
      // Where the product lives decides the tenant, before anything is read.
      await guard.checkTenant(
        MANIFEST_EDIT_ACTION_ID,
        ctx as any,
        ref.namespace,
        `The tenant of ${entityRef}`,
      );

      const { text } = await readManifestInput(
        MANIFEST_EDIT_ACTION_ID,
        { path },
        ctx.workspacePath,
      );
      const [current] = parseManifest(text).manifests;
      if (
        current?.metadata.name !== ref.name ||
        current.metadata.namespace !== ref.namespace
      ) {
        throw new InputError(
          `${path} is not the manifest of dataproduct:${ref.namespace}/${
            ref.name
          } (it names ${
            current
              ? `dataproduct:${current.metadata.namespace}/${current.metadata.name}`
              : 'no data product'
          })`,
        );
      }

      const breaking = removeOutputPorts.length > 0;
      if (breaking && (ctx.input.bump !== 'major' || !acknowledgeBreaking)) {
        throw new InputError(
          `Removing output ports (${removeOutputPorts.join(
            ', ',
          )}) breaks their consumers: it needs bump 'major' and acknowledgeBreaking`,
        );
      }

      const result = editManifest(
        text,
        {
          addOutputPorts: ctx.input.addOutputPorts as any,
          removeOutputPorts,
          bump: ctx.input.bump,
        },
        path,
      );
      await fs.writeFile(
        resolveSafeChildPath(ctx.workspacePath, path),
        result.text,
        'utf8',
      );
      for (const line of result.summary) {
        ctx.logger.info(`${entityRef}: ${line}`);
      }
      if (result.previousVersion !== undefined) {
        ctx.output('previousVersion', result.previousVersion);
      }
      if (result.version !== undefined) {
        ctx.output('version', result.version);
      }
      ctx.output('summary', result.summary.join('\n'));
      ctx.output('breaking', breaking);
    },
  });
}
