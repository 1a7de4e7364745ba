//
// Generated from plugins/dagster-backend/src/schema/openapi.yaml by scripts/openapi/generate.ts: do not edit.
// Regenerate with `make openapi` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'dagster',
    version: '1',
    description:
      'The runs API: the Dagster runs of a tenant\'s data products, their logs, and launch,\nre-execute and terminate for those allowed. Served under `/api/dagster`.\n\nEvery run belongs to one tenant (its `akili/tenant` tag); a run, product or tenant the caller\nmay not see answers 404 exactly like one that does not exist. Developers and operators read\nruns, launch and re-execute them; operators terminate them and read the run audit trail.\nWithout `dagster.baseUrl` in the backend\'s configuration every route answers 503\n(`DagsterNotConfiguredError`); a Dagster that is down or slow answers 503\n(`DagsterUnavailableError`), a Dagster that answers with an error 502.\n\n```sh\ncurl -H "Authorization: Bearer $AKILI_TOKEN" \\\n  "$PORTAL/api/dagster/v1/products/northwind/invoices/runs?status=FAILURE&limit=10"\n```\n',
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
      name: 'Runs',
      description: "Runs of a tenant's data products and their logs.",
    },
    {
      name: 'Run control',
      description: 'Launch, re-execute and terminate runs.',
    },
    {
      name: 'Audit',
      description: 'Who launched, re-executed or terminated which run.',
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
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description: "The data product's tenant (its catalog namespace).",
        schema: {
          type: 'string',
        },
        example: 'northwind',
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        description: "The data product's name.",
        schema: {
          type: 'string',
        },
        example: 'invoices',
      },
      runId: {
        name: 'runId',
        in: 'path',
        required: true,
        description:
          'The Dagster run id (letters, digits and `-`, at most 64: another answers 400). A run of\nanother tenant answers 404 like a missing one.\n',
        schema: {
          type: 'string',
        },
        example: '5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e',
      },
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
      status: {
        name: 'status',
        in: 'query',
        required: false,
        description:
          'Only runs in these statuses, comma-separated (`status=FAILURE,CANCELED`).\n',
        style: 'form',
        explode: false,
        allowReserved: true,
        schema: {
          type: 'array',
          minItems: 1,
          items: {
            $ref: '#/components/schemas/DagsterRunStatus',
          },
        },
        example: ['FAILURE', 'CANCELED'],
      },
      createdAfter: {
        name: 'createdAfter',
        in: 'query',
        required: false,
        description:
          'Only runs created after this time (ISO 8601, `2026-12-04T00:00:00Z`, or a date).',
        allowReserved: true,
        schema: {
          $ref: '#/components/schemas/IsoTime',
        },
        example: '2026-12-03T00:00:00Z',
      },
      createdBefore: {
        name: 'createdBefore',
        in: 'query',
        required: false,
        description:
          'Only runs created before this time (ISO 8601, `2026-12-04T00:00:00Z`, or a date).',
        allowReserved: true,
        schema: {
          $ref: '#/components/schemas/IsoTime',
        },
      },
      runLimit: {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'Runs per page (1 to 200; 50 by default).',
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 200,
          default: 50,
        },
      },
      runCursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'The `nextCursor` of the previous page.',
        allowReserved: true,
        schema: {
          type: 'string',
          pattern: '^[A-Za-z0-9-]{1,64}$',
        },
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
      Unavailable: {
        description:
          'Dagster is not configured (`error.name` `DagsterNotConfiguredError`), does not answer in\ntime or refuses the connection (`DagsterUnavailableError`), or the tenant registry could\nnot be asked.\n',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
            example: {
              error: {
                name: 'DagsterUnavailableError',
                message: 'Dagster did not answer within 10000 ms',
              },
              request: {
                method: 'GET',
                url: '/api/dagster/v1/runs/5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e',
              },
              response: {
                statusCode: 503,
              },
            },
          },
        },
      },
      DagsterFailed: {
        description: 'Dagster answered with an error (`DagsterFailedError`).',
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
                example: 'NotFoundError',
              },
              message: {
                type: 'string',
                example: 'No run 5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e',
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
      IsoTime: {
        description:
          'An ISO 8601 time with its zone, or a date (midnight UTC).',
        anyOf: [
          {
            type: 'string',
            format: 'date-time',
          },
          {
            type: 'string',
            format: 'date',
          },
        ],
      },
      DagsterRunStatus: {
        type: 'string',
        description: "Dagster's `RunStatus`.",
        enum: [
          'QUEUED',
          'NOT_STARTED',
          'MANAGED',
          'STARTING',
          'STARTED',
          'SUCCESS',
          'FAILURE',
          'CANCELING',
          'CANCELED',
        ],
      },
      AssetKey: {
        type: 'array',
        description:
          'An asset key, its path parts (`["finance", "invoices"]`).',
        minItems: 1,
        maxItems: 20,
        items: {
          type: 'string',
          minLength: 1,
          maxLength: 255,
        },
        example: ['finance', 'invoices'],
      },
      RunSummary: {
        type: 'object',
        additionalProperties: false,
        description: 'One run in a list.',
        properties: {
          runId: {
            type: 'string',
          },
          jobName: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/DagsterRunStatus',
          },
          tenant: {
            type: 'string',
            description: "The run's tenant (its `akili/tenant` tag).",
          },
          product: {
            type: 'string',
            description:
              "The data product's entity ref (its `akili/product` tag), when set.",
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          endedAt: {
            type: 'string',
            format: 'date-time',
          },
          durationMs: {
            type: 'number',
            description:
              'From start to end, or to now while the run is in flight; absent before it starts.',
          },
          launchedBy: {
            type: 'string',
            description:
              "Who launched it: the `akili/requested-by` user entity ref (or `token:<id>`),\n`schedule:<name>` or `sensor:<name>` for Dagster's automation, else absent.\n",
          },
          assetSelection: {
            type: 'array',
            description:
              'Asset keys the run materializes, when it was launched with an asset selection.',
            items: {
              type: 'array',
              items: {
                type: 'string',
              },
            },
          },
          parentRunId: {
            type: 'string',
            description: 'The run this one re-executes.',
          },
          rootRunId: {
            type: 'string',
            description: 'The first run of the re-execution chain.',
          },
        },
        required: ['runId', 'jobName', 'status', 'tenant', 'createdAt'],
      },
      RunStep: {
        type: 'object',
        additionalProperties: false,
        description: "A step of a run, from Dagster's step stats.",
        properties: {
          stepKey: {
            type: 'string',
          },
          status: {
            type: 'string',
            description:
              "Dagster's `StepEventStatus` (`IN_PROGRESS`, `SUCCESS`, `FAILURE`, `SKIPPED`, `UP_FOR_RETRY`).",
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          endedAt: {
            type: 'string',
            format: 'date-time',
          },
          attempts: {
            type: 'integer',
          },
        },
        required: ['stepKey'],
      },
      RunDetail: {
        type: 'object',
        additionalProperties: false,
        description: 'One run with everything the run page shows.',
        properties: {
          runId: {
            type: 'string',
          },
          jobName: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/DagsterRunStatus',
          },
          tenant: {
            type: 'string',
            description: "The run's tenant (its `akili/tenant` tag).",
          },
          product: {
            type: 'string',
            description:
              "The data product's entity ref (its `akili/product` tag), when set.",
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          endedAt: {
            type: 'string',
            format: 'date-time',
          },
          durationMs: {
            type: 'number',
          },
          launchedBy: {
            type: 'string',
          },
          assetSelection: {
            type: 'array',
            items: {
              type: 'array',
              items: {
                type: 'string',
              },
            },
          },
          parentRunId: {
            type: 'string',
          },
          rootRunId: {
            type: 'string',
          },
          tags: {
            type: 'object',
            description: "The run's Dagster tags.",
            additionalProperties: {
              type: 'string',
            },
          },
          canTerminate: {
            type: 'boolean',
            description:
              'Whether Dagster would accept a terminate request now.',
          },
          runConfigYaml: {
            type: 'string',
            description: 'The run config as Dagster shows it (YAML).',
          },
          repositoryLocationName: {
            type: 'string',
          },
          repositoryName: {
            type: 'string',
          },
          stats: {
            type: 'object',
            additionalProperties: false,
            properties: {
              stepsSucceeded: {
                type: 'integer',
              },
              stepsFailed: {
                type: 'integer',
              },
              enqueuedAt: {
                type: 'string',
                format: 'date-time',
              },
              launchedAt: {
                type: 'string',
                format: 'date-time',
              },
              startedAt: {
                type: 'string',
                format: 'date-time',
              },
              endedAt: {
                type: 'string',
                format: 'date-time',
              },
            },
            required: ['stepsSucceeded', 'stepsFailed'],
          },
          steps: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/RunStep',
            },
          },
        },
        required: [
          'runId',
          'jobName',
          'status',
          'tenant',
          'createdAt',
          'tags',
          'canTerminate',
          'steps',
        ],
        example: {
          runId: '5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e',
          jobName: 'invoices_daily',
          status: 'FAILURE',
          tenant: 'northwind',
          product: 'dataproduct:northwind/invoices',
          createdAt: '2026-12-04T00:00:02.000Z',
          startedAt: '2026-12-04T00:00:05.000Z',
          endedAt: '2026-12-04T00:01:12.000Z',
          durationMs: 67000,
          launchedBy: 'user:default/alice',
          tags: {
            'akili/tenant': 'northwind',
            'akili/product': 'dataproduct:northwind/invoices',
            'akili/requested-by': 'user:default/alice',
          },
          canTerminate: false,
          repositoryLocationName: 'northwind__finance',
          repositoryName: '__repository__',
          stats: {
            stepsSucceeded: 1,
            stepsFailed: 1,
          },
          steps: [
            {
              stepKey: 'finance__invoices',
              status: 'FAILURE',
              startedAt: '2026-12-04T00:00:06.000Z',
              endedAt: '2026-12-04T00:01:11.000Z',
              attempts: 1,
            },
          ],
        },
      },
      RunListResponse: {
        type: 'object',
        additionalProperties: false,
        description: 'A page of runs, newest first.',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/RunSummary',
            },
          },
          nextCursor: {
            type: 'string',
            description:
              'Pass as `cursor` for the next page; absent on the last page.',
          },
        },
        required: ['items'],
      },
      ProductRunTarget: {
        type: 'object',
        additionalProperties: false,
        description: "What the product's manifest says about its Dagster runs.",
        properties: {
          product: {
            type: 'string',
            description: '`dataproduct:<tenant>/<name>`.',
          },
          tenant: {
            type: 'string',
          },
          codeLocation: {
            type: 'string',
          },
          repository: {
            type: 'string',
          },
          jobs: {
            type: 'array',
            description:
              "The product's jobs (its `transformation.dagster.job`), possibly none.",
            items: {
              type: 'string',
            },
          },
          assetKeys: {
            type: 'array',
            items: {
              type: 'array',
              items: {
                type: 'string',
              },
            },
          },
        },
        required: [
          'product',
          'tenant',
          'codeLocation',
          'repository',
          'jobs',
          'assetKeys',
        ],
      },
      RunLogEvent: {
        type: 'object',
        additionalProperties: false,
        properties: {
          timestamp: {
            type: 'string',
            format: 'date-time',
          },
          level: {
            $ref: '#/components/schemas/RunLogLevel',
          },
          message: {
            type: 'string',
          },
          stepKey: {
            type: 'string',
          },
          eventType: {
            type: 'string',
            description:
              "Dagster's `DagsterEventType`, e.g. `STEP_FAILURE`, when the event is one.",
          },
          error: {
            type: 'object',
            additionalProperties: false,
            properties: {
              message: {
                type: 'string',
              },
              stack: {
                type: 'string',
              },
            },
            required: ['message'],
          },
        },
        required: ['timestamp', 'level', 'message'],
      },
      RunLogLevel: {
        type: 'string',
        enum: ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'],
      },
      RunAuditEntry: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
          },
          tenant: {
            type: 'string',
          },
          action: {
            type: 'string',
            enum: ['run.launched', 'run.reexecuted', 'run.terminated'],
          },
          actor: {
            type: 'string',
            description: 'Who asked, a user entity ref or `token:<id>`.',
          },
          runId: {
            type: 'string',
            description:
              'The run launched, the new run of a re-execution, or the run terminated.',
          },
          product: {
            type: 'string',
          },
          details: {
            type: 'object',
            description:
              '`run.launched`: `{ job, assetKeys?, runConfig? }` (whether a run config was given);\n`run.reexecuted`: `{ parentRunId, strategy }`; `run.terminated`: `{ statusBefore }`.\n',
            additionalProperties: true,
          },
          at: {
            type: 'string',
            format: 'date-time',
            description:
              'When it was asked for (recorded before the portal asked Dagster).',
          },
          outcome: {
            type: 'string',
            enum: ['succeeded', 'failed', 'unknown'],
            description:
              '`unknown` while no outcome is recorded (in flight, or the portal stopped first).',
          },
          outcomeAt: {
            type: 'string',
            format: 'date-time',
          },
          error: {
            type: 'string',
            description: 'Why it failed, as the person who asked was told.',
          },
        },
        required: [
          'id',
          'tenant',
          'action',
          'actor',
          'details',
          'at',
          'outcome',
        ],
      },
    },
  },
  paths: {
    '/v1/products/{namespace}/{name}/runs': {
      get: {
        operationId: 'ListProductRuns',
        tags: ['Runs'],
        summary:
          "A data product's runs, newest first, and what can be launched.",
        description:
          "The runs tagged with the product, filtered and paged, with the product's Dagster target\n(code location, jobs, asset keys) from its manifest. Needs `akili.runs.read` (developers\nand operators of the tenant).\n",
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/status',
          },
          {
            $ref: '#/components/parameters/createdAfter',
          },
          {
            $ref: '#/components/parameters/createdBefore',
          },
          {
            $ref: '#/components/parameters/runLimit',
          },
          {
            $ref: '#/components/parameters/runCursor',
          },
        ],
        responses: {
          '200': {
            description: "A page of the product's runs.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/RunSummary',
                      },
                    },
                    nextCursor: {
                      type: 'string',
                      description:
                        'Pass as `cursor` for the next page; absent on the last page.',
                    },
                    target: {
                      $ref: '#/components/schemas/ProductRunTarget',
                    },
                  },
                  required: ['items', 'target'],
                },
                example: {
                  items: [
                    {
                      runId: '5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e',
                      jobName: 'invoices_daily',
                      status: 'FAILURE',
                      tenant: 'northwind',
                      product: 'dataproduct:northwind/invoices',
                      createdAt: '2026-12-04T00:00:02.000Z',
                      startedAt: '2026-12-04T00:00:05.000Z',
                      endedAt: '2026-12-04T00:01:12.000Z',
                      durationMs: 67000,
                      launchedBy: 'schedule:invoices_daily_schedule',
                    },
                  ],
                  nextCursor: '5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e',
                  target: {
                    product: 'dataproduct:northwind/invoices',
                    tenant: 'northwind',
                    codeLocation: 'northwind__finance',
                    repository: '__repository__',
                    jobs: ['invoices_daily'],
                    assetKeys: [['finance', 'invoices']],
                  },
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
          '502': {
            $ref: '#/components/responses/DagsterFailed',
          },
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
      post: {
        operationId: 'LaunchProductRun',
        tags: ['Run control'],
        summary:
          "Launch a data product's job, or materialize some of its assets.",
        description:
          "Launches one of the product's jobs (by default its only one) in the product's code\nlocation, tagged with its tenant, product and the caller. Needs `akili.runs.launch`\n(developers and operators). The launch is in the tenant's run audit trail; asking again\nwhile an earlier launch's outcome is unknown answers that run instead of a second one.\n",
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  job: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 255,
                    description:
                      "One of the product's jobs; by default its only job.",
                  },
                  assetKeys: {
                    type: 'array',
                    maxItems: 500,
                    description:
                      "A subset of the product's asset keys to materialize instead of the whole job.",
                    items: {
                      $ref: '#/components/schemas/AssetKey',
                    },
                  },
                  runConfig: {
                    type: 'object',
                    description:
                      "Dagster run config as JSON, validated by Dagster. Only `ops` may be set:\n`execution`, `resources` and `loggers` come from the product's code location\n(another section answers 400).\n",
                    additionalProperties: true,
                  },
                },
              },
              example: {
                job: 'invoices_daily',
                runConfig: {
                  ops: {
                    finance__invoices: {
                      config: {
                        since: '2026-12-01',
                      },
                    },
                  },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The run launched.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RunDetail',
                },
              },
            },
          },
          '400': {
            description:
              "The body is malformed, names a job or asset keys that are not the product's, sets\nrun config other than `ops`, or Dagster rejected the run config.\n",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
                example: {
                  error: {
                    name: 'InputError',
                    message:
                      'assetKeys: finance/ledger is not an asset of dataproduct:northwind/invoices',
                  },
                },
              },
            },
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
          '409': {
            description: "The product's manifest names no Dagster job.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '502': {
            $ref: '#/components/responses/DagsterFailed',
          },
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
    },
    '/v1/runs/{runId}': {
      get: {
        operationId: 'GetRun',
        tags: ['Runs'],
        summary: 'One run with its steps, tags and run config.',
        description:
          "Needs `akili.runs.read` in the run's tenant (developers and operators).",
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
        ],
        responses: {
          '200': {
            description: 'The run.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RunDetail',
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
          '502': {
            $ref: '#/components/responses/DagsterFailed',
          },
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
    },
    '/v1/runs/{runId}/logs': {
      get: {
        operationId: 'GetRunLogs',
        tags: ['Runs'],
        summary: "A page of a run's log, oldest first.",
        description:
          "Events after `cursor`. The answer's `cursor` reads on from there, also when `hasMore` is\nfalse: poll with it to follow a live run. Needs `akili.runs.read` in the run's tenant.\n",
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description:
              'The `cursor` of the previous page; from the start without one.',
            allowReserved: true,
            schema: {
              type: 'string',
              maxLength: 200,
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'Events per page (1 to 1000; 200 by default).',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              default: 200,
            },
          },
          {
            name: 'levels',
            in: 'query',
            required: false,
            description:
              'Only events of these levels, comma-separated (`levels=WARNING,ERROR`).',
            style: 'form',
            explode: false,
            allowReserved: true,
            schema: {
              type: 'array',
              minItems: 1,
              items: {
                $ref: '#/components/schemas/RunLogLevel',
              },
            },
          },
        ],
        responses: {
          '200': {
            description: 'A page of the log.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    events: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/RunLogEvent',
                      },
                    },
                    cursor: {
                      type: 'string',
                      description: 'Pass as `cursor` to read on from here.',
                    },
                    hasMore: {
                      type: 'boolean',
                      description:
                        'Whether more events were already there beyond this page.',
                    },
                  },
                  required: ['events', 'cursor', 'hasMore'],
                },
                example: {
                  events: [
                    {
                      timestamp: '2026-12-04T00:01:11.000Z',
                      level: 'ERROR',
                      message: 'Execution of step "finance__invoices" failed.',
                      stepKey: 'finance__invoices',
                      eventType: 'STEP_FAILURE',
                      error: {
                        message:
                          'duckdb.CatalogException: Table with name raw_invoices does not exist',
                      },
                    },
                  ],
                  cursor: '42',
                  hasMore: false,
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
          '502': {
            $ref: '#/components/responses/DagsterFailed',
          },
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
    },
    '/v1/runs/{runId}/reexecute': {
      post: {
        operationId: 'ReexecuteRun',
        tags: ['Run control'],
        summary: 'Re-execute a run, from its failure or all its steps.',
        description:
          "Starts a new run of the same job with the same tags (tenant, product) and the caller as\nrequester. Needs `akili.runs.launch` in the run's tenant (developers and operators).\n",
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  strategy: {
                    type: 'string',
                    enum: ['FROM_FAILURE', 'ALL_STEPS'],
                    default: 'FROM_FAILURE',
                    description:
                      'Re-run from the failed steps (default) or every step.',
                  },
                },
              },
              example: {
                strategy: 'FROM_FAILURE',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The new run.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RunDetail',
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
          '409': {
            description:
              '`FROM_FAILURE` of a run that did not fail (re-execute `ALL_STEPS` instead).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '502': {
            $ref: '#/components/responses/DagsterFailed',
          },
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
    },
    '/v1/runs/{runId}/terminate': {
      post: {
        operationId: 'TerminateRun',
        tags: ['Run control'],
        summary: 'Terminate a run that has not finished.',
        description:
          "Asks Dagster to stop the run. Needs `akili.runs.terminate` in the run's tenant\n(operators). A body, if sent, is ignored.\n",
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
        ],
        responses: {
          '200': {
            description:
              'The run as Dagster shows it after the request (usually `CANCELING`).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RunDetail',
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
          '409': {
            description:
              'Dagster would not terminate the run (it has finished, for one).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
                example: {
                  error: {
                    name: 'ConflictError',
                    message:
                      'Dagster did not terminate run 5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e (FAILURE)',
                  },
                },
              },
            },
          },
          '502': {
            $ref: '#/components/responses/DagsterFailed',
          },
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/runs': {
      get: {
        operationId: 'ListTenantRuns',
        tags: ['Runs'],
        summary: 'All runs of a tenant, newest first (the operations view).',
        description:
          'Every run tagged with the tenant, filtered by status, time, job or product, and paged.\nNeeds `akili.runs.read` in the tenant.\n',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/status',
          },
          {
            $ref: '#/components/parameters/createdAfter',
          },
          {
            $ref: '#/components/parameters/createdBefore',
          },
          {
            name: 'job',
            in: 'query',
            required: false,
            description: 'Only runs of this job.',
            allowReserved: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
            },
          },
          {
            name: 'product',
            in: 'query',
            required: false,
            description:
              'Only runs of this data product (`dataproduct:<tenant>/<name>`).',
            allowReserved: true,
            schema: {
              type: 'string',
              pattern:
                '^[Dd][Aa][Tt][Aa][Pp][Rr][Oo][Dd][Uu][Cc][Tt]:[A-Za-z0-9-]+/[A-Za-z0-9][A-Za-z0-9-]*$',
            },
            example: 'dataproduct:northwind/invoices',
          },
          {
            $ref: '#/components/parameters/runLimit',
          },
          {
            $ref: '#/components/parameters/runCursor',
          },
        ],
        responses: {
          '200': {
            description: "A page of the tenant's runs.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RunListResponse',
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
          '502': {
            $ref: '#/components/responses/DagsterFailed',
          },
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/run-permissions': {
      get: {
        operationId: 'GetRunPermissions',
        tags: ['Runs'],
        summary: "What the caller may do with the tenant's runs.",
        description:
          'So a client shows only the actions that will work. A tenant the caller may not see\nanswers all false.\n',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            description: "The caller's run permissions in the tenant.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenant: {
                      type: 'string',
                    },
                    read: {
                      type: 'boolean',
                    },
                    launch: {
                      type: 'boolean',
                      description: 'Launch and re-execute.',
                    },
                    terminate: {
                      type: 'boolean',
                    },
                  },
                  required: ['tenant', 'read', 'launch', 'terminate'],
                },
                example: {
                  tenant: 'northwind',
                  read: true,
                  launch: true,
                  terminate: false,
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
          '503': {
            $ref: '#/components/responses/Unavailable',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/run-audit': {
      get: {
        operationId: 'ListRunAudit',
        tags: ['Audit'],
        summary:
          "The tenant's run control audit trail, newest first (operators).",
        description:
          'Every launch, re-execution and termination asked through the portal, with who asked and\nwhat became of it. Needs `akili.runs.operate` in the tenant (operators).\n',
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
                        $ref: '#/components/schemas/RunAuditEntry',
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
                      id: '17',
                      tenant: 'northwind',
                      action: 'run.launched',
                      actor: 'user:default/alice',
                      runId: '5f2c1a9e-3b7d-4c1e-9a0b-2d4e6f8a1c3e',
                      product: 'dataproduct:northwind/invoices',
                      details: {
                        job: 'invoices_daily',
                      },
                      at: '2026-12-04T00:00:01.000Z',
                      outcome: 'succeeded',
                      outcomeAt: '2026-12-04T00:00:02.000Z',
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
            $ref: '#/components/responses/Unavailable',
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
