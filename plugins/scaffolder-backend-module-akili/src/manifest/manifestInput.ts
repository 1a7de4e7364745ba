import fs from 'node:fs/promises';
import {
  MAX_MANIFEST_BYTES,
  ManifestProblem,
} from '@akili/plugin-akili-common';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/** The manifest inputs shared by the Akili manifest actions: text or object, or a workspace file. */
export interface ManifestInput {
  /** Text or an object (anything else is refused). */
  manifest?: unknown;
  path?: string;
}

/**
 * The zod the scaffolder passes to an action's schema functions, as
 * `@backstage/plugin-scaffolder-node` types it (its own copy of zod: a schema typed with this
 * package's `zod` would not fit).
 */
type ScaffolderZod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

/**
 * The input schema of {@link ManifestInput}, for `createTemplateAction`'s
 * `schema: { input: { ...manifestInputSchema, ... } }`.
 *
 * @remarks
 *
 * Typed through {@link ScaffolderZod} so its declaration names no zod of its own: `manifest`
 * reads as `any` to TypeScript (the scaffolder checks the value against the JSON schema of the
 * union before the action runs, and {@link readManifestInput} tells text from object).
 */
export const manifestInputSchema: {
  manifest: (zImpl: ScaffolderZod) => InstanceType<ScaffolderZod['ZodType']>;
  path: (
    zImpl: ScaffolderZod,
  ) => ReturnType<ReturnType<ScaffolderZod['string']>['optional']>;
} = {
  manifest: zImpl =>
    zImpl
      .union([zImpl.string(), zImpl.record(zImpl.unknown())])
      .optional()
      .describe(
        'The manifest: YAML or JSON text, or an object. Give this or path.',
      ),
  path: zImpl =>
    zImpl
      .string()
      .optional()
      .describe(
        'A manifest file in the workspace, relative to it (e.g. dataproduct.yaml). Give this or manifest.',
      ),
};

/** A manifest read from an action's input. */
export interface ManifestText {
  text: string;
  /** How messages name it: the workspace path, or `the manifest`. */
  source: string;
  /** Given as an object: line numbers of its JSON rendering point nowhere the author sees. */
  fromObject: boolean;
}

/**
 * Reads the manifest of an action's input: `manifest` (YAML or JSON text, or an object) or
 * `path` (a file of the workspace, which may not leave it and is capped at the control plane's
 * manifest size). Exactly one of them; `InputError` naming the action otherwise.
 */
export async function readManifestInput(
  actionId: string,
  input: ManifestInput,
  workspacePath: string,
): Promise<ManifestText> {
  const { manifest, path } = input;
  if ((manifest === undefined) === (path === undefined)) {
    throw new InputError(
      `${actionId}: give either 'manifest' (text or object) or 'path' (a file in the workspace)`,
    );
  }
  if (path !== undefined) {
    const file = resolveSafeChildPath(workspacePath, path);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) {
      throw new InputError(`${actionId}: no file '${path}' in the workspace`);
    }
    if (stat.size > MAX_MANIFEST_BYTES) {
      throw new InputError(
        `${actionId}: '${path}' is larger than ${MAX_MANIFEST_BYTES} bytes`,
      );
    }
    return {
      text: await fs.readFile(file, 'utf8'),
      source: path,
      fromObject: false,
    };
  }
  if (typeof manifest === 'string') {
    return { text: manifest, source: 'the manifest', fromObject: false };
  }
  if (typeof manifest !== 'object' || manifest === null) {
    throw new InputError(
      `${actionId}: 'manifest' must be YAML or JSON text or an object`,
    );
  }
  return {
    text: JSON.stringify(manifest),
    source: 'the manifest',
    fromObject: true,
  };
}

/** Problems named in the message of a failed step; the output lists them all. */
const PROBLEMS_IN_MESSAGE = 3;

function where(problem: ManifestProblem): string {
  return problem.line !== undefined
    ? `${problem.path} (line ${problem.line}${
        problem.column !== undefined ? `, column ${problem.column}` : ''
      })`
    : problem.path;
}

/** The message of an invalid manifest: its first problems with path and line, the rest counted. */
export function invalidManifestMessage(
  source: string,
  errors: readonly ManifestProblem[],
): string {
  const named = errors
    .slice(0, PROBLEMS_IN_MESSAGE)
    .map(problem => `${where(problem)}: ${problem.message}`)
    .join('; ');
  const more =
    errors.length > PROBLEMS_IN_MESSAGE
      ? ` (and ${errors.length - PROBLEMS_IN_MESSAGE} more)`
      : '';
  return `${source} is not a valid data product manifest: ${named}${more}`;
}
