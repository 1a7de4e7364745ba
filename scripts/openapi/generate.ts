/*
 * Generates each Akili backend plugin's typed OpenAPI router from its spec, the way Backstage's
 * `backstage-repo-tools package schema openapi generate --server` does for Backstage's plugins:
 * `plugins/<plugin>/src/schema/openapi.yaml` becomes
 * `plugins/<plugin>/src/schema/openapi/generated/router.ts`, which exports the spec as a `const`
 * (so `createValidatedOpenApiRouter` types each route's parameters, body and answer from it) and
 * `createOpenApiRouter`. The repo-tools command itself is not used: it runs openapi-generator's
 * Java jar, downloaded from Maven, which this project's machines cannot reach.
 *
 * It also writes `catalog/apis.yaml`: one catalog API entity per spec (`api:akili-<pluginId>-api`,
 * type openapi, with the spec as its definition and `servers` set to `/api/<pluginId>`), which the
 * portal's Component provides and the CLI's consumes (catalog-info.yaml); the api-docs plugin
 * renders them. The spec is inlined rather than read with `$text`, so the catalog needs nothing but
 * that one file (it is in the image) and no file outside its location is read.
 *
 * Each spec is checked on the way: OpenAPI 3.0.x, every operation has an operationId, a summary
 * and at least one response, and every path parameter is declared. A problem names the file and
 * the operation, and nothing is written.
 *
 * Usage (from the repository root):
 *   node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *     scripts/openapi/generate.ts [--check]
 * With --check nothing is written; the run fails when a generated file differs from its spec
 * (the docs step of `make test` runs it so).
 */

import fs from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';
import { parse, stringify } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Operation = {
  operationId?: string;
  summary?: string;
  parameters?: Array<{ $ref?: string; in?: string; name?: string }>;
  responses?: Record<string, unknown>;
};

/** The problems of one spec, each naming the operation. */
export function checkSpec(spec: any, file: string): string[] {
  const problems: string[] = [];
  if (typeof spec?.openapi !== 'string' || !spec.openapi.startsWith('3.0.')) {
    problems.push(`${file}: 'openapi' must be 3.0.x (found ${spec?.openapi})`);
  }
  if (!spec?.info?.title || !spec?.info?.version) {
    problems.push(`${file}: 'info' needs a title and a version`);
  }
  const seen = new Set<string>();
  for (const [route, item] of Object.entries<any>(spec?.paths ?? {})) {
    const pathParams = [...route.matchAll(/\{([^}]+)\}/g)].map(m => m[1]);
    for (const method of METHODS) {
      const op: Operation | undefined = item?.[method];
      if (!op) continue;
      const where = `${file}: ${method.toUpperCase()} ${route}`;
      if (!op.operationId) problems.push(`${where} has no operationId`);
      else if (seen.has(op.operationId)) {
        problems.push(`${where}: operationId ${op.operationId} is used twice`);
      } else seen.add(op.operationId);
      if (!op.summary) problems.push(`${where} has no summary`);
      if (!op.responses || Object.keys(op.responses).length === 0) {
        problems.push(`${where} has no responses`);
      }
      const declared = [...(item.parameters ?? []), ...(op.parameters ?? [])]
        .map(p => resolveParameter(spec, p))
        .filter(p => p?.in === 'path')
        .map(p => p.name);
      for (const name of pathParams) {
        if (!declared.includes(name)) {
          problems.push(`${where}: path parameter '${name}' is not declared`);
        }
      }
    }
  }
  return problems;
}

function resolveParameter(spec: any, parameter: any): any {
  const ref: string | undefined = parameter?.$ref;
  if (!ref) return parameter;
  const name = ref.replace('#/components/parameters/', '');
  return spec?.components?.parameters?.[name];
}

/** The TypeScript module generated from one spec. */
export function renderRouter(spec: unknown, yamlFile: string): string {
  return `//
// Generated from ${yamlFile} by scripts/openapi/generate.ts: do not edit.
// Regenerate with \`make openapi\` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

/**
 * A router that validates each request against the spec (a 400 naming the field otherwise) and
 * serves the spec at \`/openapi.json\`. The spec's security schemes document who may call; the
 * checking is Backstage's (the credentials barrier, auth policies, the routes' permissions), so
 * the validator does not check them (it would answer a missing header with a 400, not a 401).
 */
export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) =>
  createValidatedOpenApiRouter<typeof spec>(spec, {
    ...options,
    validatorOptions: { validateSecurity: false, ...options?.validatorOptions },
  });
`;
}

/** What each API is called in the catalog (the spec's own title is its plugin id, as Backstage's are). */
// Short: the API explorer's table gives the name a narrow column.
const API_TITLES: Record<string, string> = {
  akili: 'Control plane',
  dagster: 'Runs (Dagster)',
  starrocks: 'Query (StarRocks)',
  quality: 'Quality',
  lake: 'Lake and agreements',
  argocd: 'Deployments (Argo CD)',
  'platform-health': 'Platform health',
};

/** The catalog API entity of one plugin's spec. */
export function apiEntity(spec: any, pluginId: string): object {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: `akili-${pluginId}-api`,
      title: API_TITLES[pluginId] ?? `${spec.info.title} API`,
      description: String(spec.info.description ?? '')
        .split('\n\n')[0]
        .replace(/\s+/g, ' ')
        .trim(),
      tags: ['akili'],
      annotations: {
        'akili.io/openapi-source': `plugins/${spec['x-akili-plugin']}/src/schema/openapi.yaml`,
      },
    },
    spec: {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'akili-platform',
      system: 'akili-platform',
      definition: stringify(
        {
          ...Object.fromEntries(
            Object.entries(spec).filter(([k]) => k !== 'x-akili-plugin'),
          ),
          servers: [
            {
              url: `/api/${pluginId}`,
              description: "Relative to the portal backend's base URL",
            },
          ],
        },
        { lineWidth: 0 },
      ),
    },
  };
}

/** The header and entities of catalog/apis.yaml. */
export function renderApiEntities(entities: object[]): string {
  return `# Generated by scripts/openapi/generate.ts from the backend plugins' OpenAPI specs
# (plugins/*/src/schema/openapi.yaml): do not edit; regenerate with \`make openapi\`.
${entities.map(e => `---\n${stringify(e, { lineWidth: 0 })}`).join('')}`;
}

function checkOrWrite(
  file: string,
  text: string,
  check: boolean,
  stale: string[],
): void {
  const current = fs.existsSync(path.join(ROOT, file))
    ? fs.readFileSync(path.join(ROOT, file), 'utf8')
    : undefined;
  if (current === text) return;
  if (check) {
    stale.push(file);
    return;
  }
  fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
  fs.writeFileSync(path.join(ROOT, file), text);
  process.stdout.write(`wrote ${file}\n`);
}

function main() {
  const check = process.argv.includes('--check');
  const plugins = fs.readdirSync(path.join(ROOT, 'plugins')).sort();
  const problems: string[] = [];
  const stale: string[] = [];
  const entities: object[] = [];
  let count = 0;
  for (const plugin of plugins) {
    const yamlFile = path.join('plugins', plugin, 'src/schema/openapi.yaml');
    if (!fs.existsSync(path.join(ROOT, yamlFile))) continue;
    count += 1;
    let spec: unknown;
    try {
      spec = parse(fs.readFileSync(path.join(ROOT, yamlFile), 'utf8'));
    } catch (error) {
      problems.push(`${yamlFile}: not valid YAML: ${(error as Error).message}`);
      continue;
    }
    const found = checkSpec(spec, yamlFile);
    problems.push(...found);
    if (found.length > 0) continue;
    const pluginId: string | undefined = JSON.parse(
      fs.readFileSync(
        path.join(ROOT, 'plugins', plugin, 'package.json'),
        'utf8',
      ),
    ).backstage?.pluginId;
    if (!pluginId) {
      problems.push(`plugins/${plugin}/package.json has no backstage.pluginId`);
      continue;
    }
    entities.push(
      apiEntity({ ...(spec as object), 'x-akili-plugin': plugin }, pluginId),
    );
    const outFile = path.join(
      'plugins',
      plugin,
      'src/schema/openapi/generated/router.ts',
    );
    // Formatted as the repository's prettier config would, so a format run leaves it unchanged.
    const text = prettier.format(renderRouter(spec, yamlFile), {
      ...prettier.resolveConfig.sync(path.join(ROOT, outFile)),
      filepath: path.join(ROOT, outFile),
    });
    checkOrWrite(outFile, text, check, stale);
  }
  if (problems.length === 0) {
    checkOrWrite(
      'catalog/apis.yaml',
      renderApiEntities(entities),
      check,
      stale,
    );
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(1);
  }
  if (stale.length > 0) {
    process.stderr.write(
      `Stale files generated from the OpenAPI specs (regenerate with 'make openapi' and commit):\n  ${stale.join(
        '\n  ',
      )}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${count} OpenAPI spec(s) checked\n`);
}

if (require.main === module) {
  main();
}
