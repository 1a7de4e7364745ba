import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AkiliAuthentication, TenancyService } from '@akili/plugin-akili-node';
import { SchemaTable } from '@akili/plugin-starrocks-common';
import { createMemorySink } from '../engine/formats';
import { QueryService } from '../service/QueryService';

/** Rows an assistant gets by default, and at most: results go into a model's context. */
export const ACTION_DEFAULT_ROWS = 100;
export const ACTION_MAX_ROWS = 1000;

/**
 * The caller of an action, as Akili knows them. Actions act for a signed-in user only (the MCP
 * client's user): a plugin or a service token has no tenant to query in.
 */
async function callerOf(
  tenancy: TenancyService,
  credentials: BackstageCredentials,
): Promise<AkiliAuthentication> {
  if ((credentials.principal as { type?: string }).type !== 'user') {
    throw new NotAllowedError(
      'The query actions act for a signed-in user only; call them with a user token',
    );
  }
  return tenancy.authenticateUser(
    credentials as BackstageCredentials<BackstageUserPrincipal>,
  );
}

function portSummary(table: SchemaTable) {
  return {
    port: table.port,
    title: table.portTitle,
    description: table.description,
    qualifiedName: table.qualifiedName,
    columns: table.columns.length,
    maskedColumns: table.columns.filter(c => c.masked).map(c => c.name),
  };
}

/**
 * Registers the query API's capabilities as actions in Backstage's actions registry, for AI
 * assistants connected through the MCP actions plugin: list the data products the user may
 * query, describe one (ports, columns, classifications, masking, contract, rules), and run a
 * query. Each acts as the calling user through the same path as the HTTP routes: the user's
 * tenants and roles, the guard, the masking, the quotas and the audit trail.
 */
export function registerQueryActions(options: {
  actionsRegistry: ActionsRegistryService;
  tenancy: TenancyService;
  queries: QueryService;
}): void {
  const { actionsRegistry, tenancy, queries } = options;

  actionsRegistry.register({
    name: 'list-data-products',
    title: 'List the data products I may query',
    description:
      'Lists the data products whose tables the signed-in user may query with SQL, per tenant: ' +
      'each product with its table output ports (fully qualified table names to use in SQL) ' +
      'and the columns masked for this user. Pass a tenant to list only that tenant.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          tenant: z
            .string()
            .optional()
            .describe('Only this tenant (default: every tenant of the user)'),
        }),
      output: z =>
        z.object({
          products: z.array(
            z.object({
              tenant: z.string(),
              entityRef: z.string(),
              title: z.string().optional(),
              ports: z.array(
                z.object({
                  port: z.string(),
                  title: z.string().optional(),
                  description: z.string().optional(),
                  qualifiedName: z.string(),
                  columns: z.number(),
                  maskedColumns: z.array(z.string()),
                }),
              ),
            }),
          ),
        }),
    },
    examples: [
      {
        title: 'Every product the user may query',
        input: {},
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = await callerOf(tenancy, credentials);
      // callerOf answers users only; their tenants are where they hold a role.
      const memberOf =
        caller.principal.type === 'user'
          ? Object.keys(caller.principal.tenants)
          : [];
      const tenants = input.tenant ? [input.tenant] : memberOf;
      const products: Array<{
        tenant: string;
        entityRef: string;
        title?: string;
        ports: ReturnType<typeof portSummary>[];
      }> = [];
      for (const tenant of tenants) {
        let schema;
        try {
          const { authorization, unmask } = await queries.authorize(
            caller,
            tenant,
          );
          schema = await queries.schema(authorization, unmask);
        } catch (error) {
          // A tenant the user may not query is left out when listing all; asked by name, it
          // answers as the HTTP route does.
          if (input.tenant) throw error;
          continue;
        }
        const byProduct = new Map<string, (typeof products)[number]>();
        for (const table of schema.tables) {
          let product = byProduct.get(table.entityRef);
          if (!product) {
            product = {
              tenant,
              entityRef: table.entityRef,
              title: table.productTitle,
              ports: [],
            };
            byProduct.set(table.entityRef, product);
            products.push(product);
          }
          product.ports.push(portSummary(table));
        }
      }
      return { output: { products } };
    },
  });

  actionsRegistry.register({
    name: 'describe-data-product',
    title: 'Describe a data product for querying',
    description:
      "Describes a data product's table output ports for writing SQL: fully qualified table " +
      'names, columns with types, descriptions and classifications, which columns are masked ' +
      "for the signed-in user (they read as NULL), the port's data contract and its quality rules.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The data product, dataproduct:<tenant>/<name> (from list-data-products)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          title: z.string().optional(),
          ports: z.array(
            z.object({
              port: z.string(),
              title: z.string().optional(),
              description: z.string().optional(),
              qualifiedName: z.string(),
              contract: z
                .object({
                  id: z.string().optional(),
                  version: z.string(),
                  status: z.string().optional(),
                  usage: z.string().optional(),
                  limitations: z.string().optional(),
                })
                .optional(),
              columns: z.array(
                z.object({
                  name: z.string(),
                  type: z.string(),
                  physicalType: z.string().optional(),
                  description: z.string().optional(),
                  classification: z.string().optional(),
                  masked: z.boolean(),
                  rules: z.array(z.string()),
                }),
              ),
              rules: z.array(
                z.object({
                  name: z.string(),
                  description: z.string().optional(),
                  column: z.string().optional(),
                  dimension: z.string().optional(),
                  severity: z.string(),
                }),
              ),
            }),
          ),
        }),
    },
    examples: [
      {
        title: 'The ports and columns of a product',
        input: { entityRef: 'dataproduct:your-tenant/your-product' },
      },
    ],
    action: async ({ input, credentials }) => {
      let ref;
      try {
        ref = parseEntityRef(input.entityRef, { defaultKind: 'dataproduct' });
      } catch (error) {
        throw new InputError(
          `entityRef '${input.entityRef}' is not an entity ref: ${
            (error as Error).message
          }`,
        );
      }
      const entityRef = `dataproduct:${ref.namespace}/${ref.name}`;
      const missing = new NotFoundError(
        `No data product ${entityRef} you may query`,
      );
      if (ref.kind.toLocaleLowerCase('en-US') !== 'dataproduct') throw missing;
      const caller = await callerOf(tenancy, credentials);
      // The tenant is where the product lives: its namespace.
      const { authorization, unmask } = await queries
        .authorize(caller, ref.namespace)
        .catch(error => {
          throw error instanceof NotFoundError ? missing : error;
        });
      const schema = await queries.schema(authorization, unmask);
      const tables = schema.tables.filter(
        t =>
          t.entityRef.toLocaleLowerCase('en-US') ===
          entityRef.toLocaleLowerCase('en-US'),
      );
      if (tables.length === 0) throw missing;
      return {
        output: {
          entityRef: tables[0].entityRef,
          title: tables[0].productTitle,
          ports: tables.map(t => ({
            port: t.port,
            title: t.portTitle,
            description: t.description,
            qualifiedName: t.qualifiedName,
            contract: t.contract,
            columns: t.columns.map(c => ({
              name: c.name,
              type: c.type,
              physicalType: c.physicalType,
              description: c.description,
              classification: c.classification,
              masked: c.masked,
              rules: c.rules,
            })),
            rules: t.rules.map(r => ({
              name: r.name,
              description: r.description,
              column: r.column,
              dimension: r.dimension,
              severity: r.severity,
            })),
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'run-query',
    title: 'Run a read-only SQL query on data products',
    description:
      "Runs one read-only SQL statement (SELECT, WITH ... SELECT, SHOW, DESCRIBE, EXPLAIN) over a tenant's " +
      'data product tables as the signed-in user, with the same guard, masking, quotas and audit trail ' +
      `as the portal: masked columns read as NULL. Answers at most ${ACTION_MAX_ROWS} rows ` +
      `(default ${ACTION_DEFAULT_ROWS}); a refused statement names the reason and position.`,
    attributes: { readOnly: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          tenant: z
            .string()
            .describe('The tenant whose products the statement reads'),
          sql: z.string().min(1).max(100_000).describe('One statement'),
          limit: z
            .number()
            .int()
            .positive()
            .max(ACTION_MAX_ROWS)
            .optional()
            .describe(`Rows wanted (default ${ACTION_DEFAULT_ROWS})`),
        }),
      output: z =>
        z.object({
          columns: z.array(z.object({ name: z.string(), type: z.string() })),
          rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
          rowCount: z.number(),
          truncated: z.boolean(),
          durationMs: z.number(),
          masked: z.array(
            z.object({
              table: z.string(),
              column: z.string(),
              classification: z.string(),
            }),
          ),
          queryId: z.string().optional(),
        }),
    },
    examples: [
      {
        title: 'Ten rows of a product table',
        input: {
          tenant: 'your-tenant',
          sql: 'SELECT * FROM your_catalog.your_database.your_table LIMIT 10',
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = await callerOf(tenancy, credentials);
      const { authorization, unmask } = await queries.authorize(
        caller,
        input.tenant,
      );
      const prepared = await queries.prepare(authorization, input.sql, {
        unmask,
      });
      const sink = createMemorySink();
      const summary = await queries.run(
        prepared,
        { limit: input.limit ?? ACTION_DEFAULT_ROWS },
        sink,
      );
      return {
        output: {
          columns: sink.result.columns,
          rows: sink.result.rows,
          rowCount: summary.rowCount,
          truncated: summary.truncated,
          durationMs: summary.durationMs,
          masked: prepared.masked,
          ...(prepared.queryId ? { queryId: prepared.queryId } : {}),
        },
      };
    },
  });
}
