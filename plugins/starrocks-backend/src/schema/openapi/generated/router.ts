//
// Generated from plugins/starrocks-backend/src/schema/openapi.yaml by scripts/openapi/generate.ts: do not edit.
// Regenerate with `make openapi` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'starrocks',
    version: '1',
    description:
      'The query API: read-only SQL over a tenant\'s data products (StarRocks, or the embedded\nDuckDB engine of `make dev`), the tables and columns the tenant may read, and the tenant\'s\nquery audit trail. Served under `/api/starrocks`.\n\nA query is one read-only statement (`SELECT`, `WITH`, `SHOW`, `DESCRIBE`, `EXPLAIN`) over the\ntenant\'s own data product tables (and the agreed columns of other tenants\' ports under an\naccess agreement). The SQL guard refuses anything else with a 400 that names the reason and\nposition, before the server sees it. Columns classified `pii` or `confidential` read as NULL\nunless the caller may unmask them; the answer lists what was masked. Rows are capped by the\ntenant\'s row quota (`queryRowLimit`) and the platform\'s; at most `maxConcurrentQueries`\nqueries of a tenant run at once (429 above it). Every query, refused ones included, is in the\ntenant\'s audit trail. A tenant the caller may not see answers 404 like a missing one.\n\n```sh\ncurl -H "Authorization: Bearer $AKILI_TOKEN" -H \'Content-Type: application/json\' \\\n  -d \'{"sql": "SELECT invoice_id, net_amount FROM default_catalog.northwind_finance.invoices", "limit": 100}\' \\\n  "$PORTAL/api/starrocks/v1/tenants/northwind/query"\n```\n\nThe CLI does the same: `akili query --tenant northwind "SELECT ..."`.\n',
    license: {
      name: 'UNLICENSED',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  tags: [
    {
      name: 'Query',
      description: "Run read-only SQL over the tenant's data products.",
    },
    {
      name: 'Schema',
      description: 'What the tenant may query.',
    },
    {
      name: 'Audit',
      description: 'Who ran which query.',
    },
  ],
  security: [
    {
      backstageToken: [],
    },
    {
      akiliApiToken: [],
    },
  ],
  components: {
    securitySchemes: {
      backstageToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          "A Backstage user token (the portal's session, or `akili login` for the CLI). The caller acts\nas that person, with the roles their tenants give them.\n",
      },
      akiliApiToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'akili_<payload>.<signature>',
        description:
          'A tenant-scoped Akili API token (issued on the Tenants page, `POST\n/api/akili/v1/tenants/{tenant}/api-tokens`): one tenant and the permissions it was issued\nwith.\n',
      },
    },
    parameters: {
      tenant: {
        name: 'tenant',
        in: 'path',
        required: true,
        description:
          'The tenant (catalog namespace). Another tenant answers 404 like a missing one.',
        schema: {
          type: 'string',
        },
        example: 'northwind',
      },
    },
    headers: {
      QueryId: {
        description:
          "The query's audit entry id (`queryId`), when the audit trail is on.",
        schema: {
          type: 'string',
        },
        example: '1842',
      },
    },
    responses: {
      Error: {
        description: "An error, in Backstage's error format.",
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        additionalProperties: false,
        description:
          "Backstage's error answer (`@backstage/errors`' serialized error).",
        properties: {
          error: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: {
                type: 'string',
                example: 'InputError',
              },
              message: {
                type: 'string',
                example:
                  "Query refused: table 'default_catalog.contoso_finance.ledger' is not readable by this tenant (line 1, column 15)",
              },
            },
            required: ['name', 'message'],
          },
          request: {
            type: 'object',
            additionalProperties: false,
            properties: {
              method: {
                type: 'string',
              },
              url: {
                type: 'string',
              },
            },
          },
          response: {
            type: 'object',
            additionalProperties: false,
            properties: {
              statusCode: {
                type: 'integer',
              },
            },
          },
        },
        required: ['error'],
      },
      Classification: {
        type: 'string',
        enum: ['public', 'internal', 'confidential', 'pii', 'sensitive-pii'],
      },
      QueryCellValue: {
        description:
          'A value of a row. BIGINT, DECIMAL, dates and times are strings; NULL is null.',
        anyOf: [
          {
            type: 'string',
            nullable: true,
          },
          {
            type: 'number',
          },
        ],
      },
      QueryResultColumn: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          type: {
            type: 'string',
            description:
              'The MySQL-protocol type name (`LONGLONG`, `VAR_STRING`, `DATETIME`, ...).',
          },
        },
        required: ['name', 'type'],
      },
      MaskedColumn: {
        type: 'object',
        additionalProperties: false,
        description:
          'A column masked for the caller (its values reached the statement as NULL).',
        properties: {
          table: {
            type: 'string',
            description:
              '`catalog.database.table`, as the statement resolved it.',
          },
          column: {
            type: 'string',
          },
          classification: {
            $ref: '#/components/schemas/Classification',
          },
        },
        required: ['table', 'column', 'classification'],
      },
      QueryResult: {
        type: 'object',
        additionalProperties: false,
        description: 'The answer with `Accept: application/json`.',
        properties: {
          columns: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/QueryResultColumn',
            },
          },
          rows: {
            type: 'array',
            items: {
              type: 'array',
              items: {
                $ref: '#/components/schemas/QueryCellValue',
              },
            },
          },
          rowCount: {
            type: 'integer',
          },
          truncated: {
            type: 'boolean',
            description:
              'The result had more rows than the row cap and was cut.',
          },
          bytes: {
            type: 'integer',
            description: 'UTF-8 bytes of the rows as the answer carries them.',
          },
          durationMs: {
            type: 'number',
          },
          masked: {
            type: 'array',
            description:
              'Columns masked for the caller in the tables the statement read.',
            items: {
              $ref: '#/components/schemas/MaskedColumn',
            },
          },
          queryId: {
            type: 'string',
            description: "The query's audit entry, when the audit trail is on.",
          },
        },
        required: [
          'columns',
          'rows',
          'rowCount',
          'truncated',
          'bytes',
          'durationMs',
          'masked',
        ],
      },
      DataContract: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          status: {
            type: 'string',
            enum: ['draft', 'active', 'deprecated', 'retired'],
          },
          usage: {
            type: 'string',
          },
          limitations: {
            type: 'string',
          },
        },
        required: ['version'],
      },
      QualityRule: {
        type: 'object',
        additionalProperties: false,
        description: "A quality rule of the product's manifest.",
        properties: {
          name: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          type: {
            type: 'string',
            enum: [
              'completeness',
              'uniqueness',
              'freshness',
              'volume',
              'validity',
              'custom',
            ],
          },
          port: {
            type: 'string',
          },
          column: {
            type: 'string',
          },
          metric: {
            type: 'string',
          },
          query: {
            type: 'string',
          },
          operator: {
            type: 'string',
            enum: ['<', '<=', '=', '!=', '>=', '>', 'between'],
          },
          threshold: {
            oneOf: [
              {
                type: 'number',
              },
              {
                type: 'array',
                items: {
                  type: 'number',
                },
                minItems: 2,
                maxItems: 2,
              },
            ],
          },
          engine: {
            type: 'string',
          },
          implementation: {
            type: 'string',
          },
          dimension: {
            type: 'string',
            enum: [
              'accuracy',
              'completeness',
              'conformity',
              'consistency',
              'coverage',
              'timeliness',
              'uniqueness',
            ],
          },
          severity: {
            type: 'string',
            enum: ['error', 'warning', 'info'],
          },
        },
        required: ['name', 'type', 'severity'],
      },
      SchemaColumn: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          type: {
            type: 'string',
            description: 'The logical type of the manifest.',
            enum: [
              'string',
              'integer',
              'number',
              'decimal',
              'boolean',
              'date',
              'timestamp',
              'time',
              'array',
              'object',
              'binary',
            ],
          },
          physicalType: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          classification: {
            $ref: '#/components/schemas/Classification',
          },
          required: {
            type: 'boolean',
          },
          primaryKey: {
            type: 'boolean',
          },
          unique: {
            type: 'boolean',
          },
          masked: {
            type: 'boolean',
            description:
              'Whether the query API masks this column for the caller.',
          },
          rules: {
            type: 'array',
            description: "Names of the product's quality rules on this column.",
            items: {
              type: 'string',
            },
          },
        },
        required: ['name', 'type', 'masked', 'rules'],
      },
      SchemaTable: {
        type: 'object',
        additionalProperties: false,
        description:
          'A table the tenant may query, one output port of a data product.',
        properties: {
          entityRef: {
            type: 'string',
            description:
              "The product's entity ref, `dataproduct:<tenant>/<name>`.",
          },
          productTitle: {
            type: 'string',
          },
          port: {
            type: 'string',
          },
          portTitle: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          catalog: {
            type: 'string',
          },
          database: {
            type: 'string',
          },
          table: {
            type: 'string',
          },
          qualifiedName: {
            type: 'string',
            description:
              '`catalog.database.table`, as the guard resolves names.',
          },
          contract: {
            $ref: '#/components/schemas/DataContract',
          },
          columns: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/SchemaColumn',
            },
          },
          rules: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/QualityRule',
            },
          },
        },
        required: [
          'entityRef',
          'port',
          'database',
          'table',
          'qualifiedName',
          'columns',
          'rules',
        ],
      },
      QueryOutcome: {
        type: 'string',
        enum: ['succeeded', 'refused', 'failed', 'cancelled', 'timeout'],
      },
      QueryAuditEntry: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
          },
          tenant: {
            type: 'string',
          },
          actorRef: {
            type: 'string',
            description: '`user:<namespace>/<name>` or `token:<id>`.',
          },
          statement: {
            type: 'string',
          },
          statementTruncated: {
            type: 'boolean',
            description:
              'The statement was longer than the trail keeps and is cut.',
          },
          products: {
            type: 'array',
            description:
              'Entity refs of the products whose tables the statement read.',
            items: {
              type: 'string',
            },
          },
          tables: {
            type: 'array',
            description: 'Tables read, `catalog.database.table`.',
            items: {
              type: 'string',
            },
          },
          outcome: {
            $ref: '#/components/schemas/QueryOutcome',
          },
          message: {
            type: 'string',
            description: 'The refusal or error message.',
          },
          rowCount: {
            type: 'integer',
          },
          bytes: {
            type: 'integer',
          },
          durationMs: {
            type: 'number',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'id',
          'tenant',
          'actorRef',
          'statement',
          'products',
          'tables',
          'outcome',
          'rowCount',
          'bytes',
          'durationMs',
          'startedAt',
        ],
      },
    },
  },
  paths: {
    '/v1/tenants/{tenant}/query': {
      post: {
        operationId: 'RunQuery',
        tags: ['Query'],
        summary:
          "Run one read-only SQL statement over the tenant's data products.",
        description:
          'Needs `akili.query.run` in the tenant (consumers, developers, operators, and API tokens\nissued with it). The answer\'s format follows the `Accept` header (the first supported\ntype in it; anything else answers JSON):\n\n- `application/json` (default): one JSON document, `columns`, `rows` and the summary.\n- `application/x-ndjson` (or `application/ndjson`): streamed; the first line is\n  `{"columns": [...]}`, then one JSON array per row, then a last line with the summary\n  (`rowCount`, `truncated`, `bytes`, `durationMs`, `masked`, `queryId`). A stream without\n  its last line is incomplete: the query failed or was stopped midway.\n- `text/csv`: streamed RFC 4180 CSV with a header row; the masked columns are in the\n  `Akili-Masked-Columns` header (JSON).\n\nThe query is killed on the server when the client goes away. `limit` asks for fewer\nrows than the tenant\'s row quota; asking for more does not lift it (`truncated` tells\nthe result was cut).\n',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  sql: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 100000,
                    description:
                      'One read-only statement (at most 100,000 characters).',
                  },
                  limit: {
                    type: 'integer',
                    minimum: 1,
                    description:
                      "Rows wanted; capped by the tenant's row quota.",
                  },
                  spreadsheetSafe: {
                    type: 'boolean',
                    description:
                      "With `Accept: text/csv`: text a spreadsheet would run as a formula (starting\nwith `=`, `+`, `-`, `@`, tab or CR, and not a number) gets a leading `'`. For\nfiles people open.\n",
                  },
                },
                required: ['sql'],
              },
              examples: {
                rows: {
                  summary: 'The first rows of a product table',
                  value: {
                    sql: 'SELECT invoice_id, customer_name, billing_email, net_amount, issued_at FROM default_catalog.northwind_finance.invoices ORDER BY issued_at DESC',
                    limit: 100,
                  },
                },
                aggregate: {
                  summary: 'An aggregate over a port',
                  value: {
                    sql: "SELECT customer_name, COUNT(*) AS invoices, SUM(net_amount) AS total\nFROM default_catalog.northwind_finance.invoices\nWHERE issued_at >= '2026-12-01'\nGROUP BY customer_name\nORDER BY total DESC\n",
                    limit: 20,
                  },
                },
                csv: {
                  summary:
                    'A CSV file for a spreadsheet (with Accept: text/csv)',
                  value: {
                    sql: 'SELECT * FROM default_catalog.northwind_finance.invoices',
                    spreadsheetSafe: true,
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The result, in the format `Accept` asked for.',
            headers: {
              'Akili-Query-Id': {
                $ref: '#/components/headers/QueryId',
              },
              'Akili-Masked-Columns': {
                description:
                  'CSV answers only: the masked columns (the JSON `masked` list, characters outside\nASCII written as `\\uXXXX`).\n',
                schema: {
                  type: 'string',
                },
                example:
                  '[{"table":"default_catalog.northwind_finance.invoices","column":"billing_email","classification":"pii"}]',
              },
            },
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QueryResult',
                },
                example: {
                  columns: [
                    {
                      name: 'invoice_id',
                      type: 'LONGLONG',
                    },
                    {
                      name: 'customer_name',
                      type: 'VAR_STRING',
                    },
                    {
                      name: 'billing_email',
                      type: 'VAR_STRING',
                    },
                    {
                      name: 'net_amount',
                      type: 'NEWDECIMAL',
                    },
                    {
                      name: 'issued_at',
                      type: 'DATETIME',
                    },
                  ],
                  rows: [
                    [
                      '1042',
                      'Contoso Ltd',
                      null,
                      '129.90',
                      '2026-12-03 22:41:07',
                    ],
                    ['1041', 'Fabrikam', null, '18.50', '2026-12-03 21:02:55'],
                  ],
                  rowCount: 2,
                  truncated: false,
                  bytes: 117,
                  durationMs: 38,
                  masked: [
                    {
                      table: 'default_catalog.northwind_finance.invoices',
                      column: 'billing_email',
                      classification: 'pii',
                    },
                  ],
                  queryId: '1842',
                },
              },
              'application/x-ndjson': {
                schema: {
                  type: 'string',
                  description:
                    'Lines: `{"columns": [...]}`, one JSON array per row, then the summary object.\n',
                },
                example:
                  '{"columns":[{"name":"invoice_id","type":"LONGLONG"},{"name":"net_amount","type":"NEWDECIMAL"}]}\n["1042","129.90"]\n["1041","18.50"]\n{"rowCount":2,"truncated":false,"bytes":34,"durationMs":38,"masked":[],"queryId":"1842"}\n',
              },
              'text/csv': {
                schema: {
                  type: 'string',
                },
                example:
                  'invoice_id,net_amount\r\n1042,129.90\r\n1041,18.50\r\n',
              },
            },
          },
          '400': {
            description:
              'The body is malformed (`request/body/sql must NOT have more than 100000\ncharacters`), the guard refused the statement (`Query refused: ...`, with the reason\nand position; nothing reached the server), or the server refused it (`StarRocks\nrefused the query: ...`, e.g. an unknown column).\n',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
                examples: {
                  refused: {
                    summary: 'The guard refused a write',
                    value: {
                      error: {
                        name: 'InputError',
                        message:
                          'Query refused: DELETE statements are not allowed; only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN (line 1, column 1)',
                      },
                      request: {
                        method: 'POST',
                        url: '/api/starrocks/v1/tenants/northwind/query',
                      },
                      response: {
                        statusCode: 400,
                      },
                    },
                  },
                  malformed: {
                    summary: 'A field the API does not know',
                    value: {
                      error: {
                        name: 'InputError',
                        message:
                          'request/body must NOT have additional properties',
                      },
                      response: {
                        statusCode: 400,
                      },
                    },
                  },
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            description:
              "The caller's role may not query (`akili.query.run`), or the server refused the\ntenant's user access to a table.\n",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '404': {
            description: 'No such tenant, or one the caller may not see.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
                example: {
                  error: {
                    name: 'NotFoundError',
                    message: "No tenant 'contoso'",
                  },
                },
              },
            },
          },
          '429': {
            description:
              'The tenant already runs as many queries as its quota `maxConcurrentQueries` allows:\ntry again when one has finished.\n',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
                example: {
                  error: {
                    name: 'TooManyQueriesError',
                    message:
                      'Tenant northwind already runs 4 queries, its quota maxConcurrentQueries is 4: try again when one has finished',
                  },
                  request: {
                    method: 'POST',
                    url: '/api/starrocks/v1/tenants/northwind/query',
                  },
                  response: {
                    statusCode: 429,
                  },
                },
              },
            },
          },
          '499': {
            description:
              'The client went away (or cancelled) and the query was killed on the server.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '503': {
            description:
              'StarRocks cannot be reached, or the tenant has no `starrocks.tenants.<tenant>`\nconfiguration (`StarrocksTenantNotConfiguredError`, naming what to configure).\n',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '504': {
            description:
              'The query ran longer than its timeout and was killed (`QueryTimeoutError`).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
        },
      },
    },
    '/v1/tenants/{tenant}/schema': {
      get: {
        operationId: 'GetQuerySchema',
        tags: ['Schema'],
        summary:
          'The tables and columns the tenant may query, with what is masked for the caller.',
        description:
          "One table per output port of the tenant's data products (and the agreed columns of\nother tenants' ports under an access agreement), from their manifests: columns with\ntypes, classifications, quality rules and whether the query API masks them for the\ncaller. Needs `akili.query.run` in the tenant.\n",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            description: 'The readable tables.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenant: {
                      type: 'string',
                    },
                    tables: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/SchemaTable',
                      },
                    },
                    unmaskedClassifications: {
                      type: 'array',
                      description: 'Classifications the caller sees unmasked.',
                      items: {
                        $ref: '#/components/schemas/Classification',
                      },
                    },
                  },
                  required: ['tenant', 'tables', 'unmaskedClassifications'],
                },
                example: {
                  tenant: 'northwind',
                  unmaskedClassifications: ['public', 'internal'],
                  tables: [
                    {
                      entityRef: 'dataproduct:northwind/invoices',
                      productTitle: 'Invoices',
                      port: 'invoices',
                      database: 'northwind_finance',
                      table: 'invoices',
                      catalog: 'default_catalog',
                      qualifiedName:
                        'default_catalog.northwind_finance.invoices',
                      contract: {
                        version: '1.2.0',
                        status: 'active',
                      },
                      columns: [
                        {
                          name: 'invoice_id',
                          type: 'integer',
                          primaryKey: true,
                          masked: false,
                          rules: ['invoice_id_unique'],
                        },
                        {
                          name: 'billing_email',
                          type: 'string',
                          classification: 'pii',
                          masked: true,
                          rules: [],
                        },
                      ],
                      rules: [
                        {
                          name: 'invoice_id_unique',
                          type: 'uniqueness',
                          column: 'invoice_id',
                          metric: 'duplicate_ratio',
                          operator: '=',
                          threshold: 0,
                          severity: 'error',
                        },
                      ],
                    },
                  ],
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/audit': {
      get: {
        operationId: 'ListQueryAudit',
        tags: ['Audit'],
        summary: "The tenant's query audit trail, newest first (operators).",
        description:
          'Every query of the tenant, refused ones included: who ran which statement over which\nproducts, how it ended, rows and bytes. Needs `akili.query.audit.read` (operators).\n',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'Entries per page (1 to 200; 50 by default).',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 200,
              default: 50,
            },
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description: 'The `nextCursor` of the previous page.',
            schema: {
              type: 'string',
              pattern: '^[1-9][0-9]{0,17}$',
            },
          },
          {
            name: 'actor',
            in: 'query',
            required: false,
            description:
              'Only queries of this user (`user:<namespace>/<name>`) or API token (`token:<id>`).',
            allowReserved: true,
            schema: {
              type: 'string',
              maxLength: 255,
              pattern: '^(user:[^/\\s]+/[^\\s]+|token:[^\\s]+)$',
            },
            example: 'user:default/alice',
          },
          {
            name: 'outcome',
            in: 'query',
            required: false,
            description: 'Only queries that ended so.',
            schema: {
              $ref: '#/components/schemas/QueryOutcome',
            },
          },
        ],
        responses: {
          '200': {
            description: 'A page of the trail.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/QueryAuditEntry',
                      },
                    },
                    nextCursor: {
                      type: 'string',
                      description:
                        'Pass as `cursor` for the next (older) page.',
                    },
                  },
                  required: ['items'],
                },
                example: {
                  items: [
                    {
                      id: '1842',
                      tenant: 'northwind',
                      actorRef: 'user:default/alice',
                      statement:
                        'SELECT invoice_id, net_amount FROM default_catalog.northwind_finance.invoices',
                      products: ['dataproduct:northwind/invoices'],
                      tables: ['default_catalog.northwind_finance.invoices'],
                      outcome: 'succeeded',
                      rowCount: 100,
                      bytes: 2310,
                      durationMs: 38,
                      startedAt: '2026-12-04T01:12:09.000Z',
                    },
                  ],
                  nextCursor: '1842',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
  },
} as const;

/**
 * A router that validates each request against the spec (a 400 naming the field otherwise) and
 * serves the spec at `/openapi.json`. The spec's security schemes document who may call; the
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
