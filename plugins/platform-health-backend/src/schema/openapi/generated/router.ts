//
// Generated from plugins/platform-health-backend/src/schema/openapi.yaml by scripts/openapi/generate.ts: do not edit.
// Regenerate with `make openapi` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'platform-health',
    version: '1',
    description:
      "Health of the Akili platform's dependencies (PostgreSQL, Redpanda, Dagster, StarRocks, Ceph S3,\nAuthentik, GitLab, Argo CD, Kubernetes): the latest check of each, its 24 h history, and the\nsummary every signed-in user may read. Served under `/api/platform-health`.\n",
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
      name: 'Health',
      description: "Checks of the platform's dependencies.",
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
      dependencyId: {
        name: 'id',
        in: 'path',
        required: true,
        description:
          "The dependency's id (postgresql, redpanda, dagster, starrocks, ceph-s3, authentik, gitlab,\nargocd, kubernetes); another id answers 404.\n",
        schema: {
          type: 'string',
        },
        example: 'postgresql',
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
                example: 'NotAllowedError',
              },
              message: {
                type: 'string',
                example: "You may not read the platform's health",
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
      PlatformDependencyId: {
        type: 'string',
        enum: [
          'postgresql',
          'redpanda',
          'dagster',
          'starrocks',
          'ceph-s3',
          'authentik',
          'gitlab',
          'argocd',
          'kubernetes',
        ],
      },
      PlatformDependencyState: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            $ref: '#/components/schemas/PlatformDependencyId',
          },
          title: {
            type: 'string',
            example: 'PostgreSQL',
          },
          status: {
            type: 'string',
            enum: ['up', 'degraded', 'down', 'not-configured', 'unknown'],
          },
          critical: {
            type: 'boolean',
            description:
              'Whether the portal cannot work without it (it is part of the readiness).',
          },
          latencyMs: {
            type: 'number',
            description: 'Latency of the last check (absent when not checked).',
          },
          checkedAt: {
            type: 'string',
            format: 'date-time',
          },
          lastError: {
            type: 'object',
            additionalProperties: false,
            description:
              'The last failed check in the history window, credentials removed.',
            properties: {
              message: {
                type: 'string',
              },
              at: {
                type: 'string',
                format: 'date-time',
              },
            },
            required: ['message', 'at'],
          },
          lastChangeAt: {
            type: 'string',
            format: 'date-time',
            description:
              'When the status last changed to the current one, within the history window.',
          },
        },
        required: ['id', 'title', 'status', 'critical'],
      },
      PlatformDependencyCheck: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: {
            type: 'string',
            enum: ['up', 'degraded', 'down'],
          },
          latencyMs: {
            type: 'number',
          },
          checkedAt: {
            type: 'string',
            format: 'date-time',
          },
          error: {
            type: 'string',
          },
        },
        required: ['status', 'checkedAt'],
      },
    },
  },
  paths: {
    '/v1/dependencies': {
      get: {
        operationId: 'ListDependencies',
        tags: ['Health'],
        summary: 'The current state of every dependency (platform operators).',
        description:
          "Each dependency's last check, latency, last error (credentials and tokens removed) and\nsince when it has had its status. Needs the platform-health read permission (operators).\n",
        responses: {
          '200': {
            description: 'Every dependency, in display order.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    dependencies: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/PlatformDependencyState',
                      },
                    },
                    frequencyMs: {
                      type: 'number',
                      description:
                        'How often the backend checks, in milliseconds.',
                    },
                  },
                  required: ['dependencies', 'frequencyMs'],
                },
                example: {
                  frequencyMs: 30000,
                  dependencies: [
                    {
                      id: 'postgresql',
                      title: 'PostgreSQL',
                      status: 'up',
                      critical: true,
                      latencyMs: 3,
                      checkedAt: '2026-12-04T01:00:00.000Z',
                    },
                  ],
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
        },
      },
    },
    '/v1/status': {
      get: {
        operationId: 'GetStatus',
        tags: ['Health'],
        summary:
          'Whether each configured dependency is up, for every signed-in user.',
        description:
          'The configured dependencies only, with their status and since when; no error text,\nlatency or address.\n',
        responses: {
          '200': {
            description: 'The configured dependencies, in display order.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    dependencies: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          id: {
                            $ref: '#/components/schemas/PlatformDependencyId',
                          },
                          title: {
                            type: 'string',
                          },
                          status: {
                            type: 'string',
                            enum: ['up', 'degraded', 'down', 'unknown'],
                          },
                          since: {
                            type: 'string',
                            format: 'date-time',
                          },
                        },
                        required: ['id', 'title', 'status'],
                      },
                    },
                  },
                  required: ['dependencies'],
                },
                example: {
                  dependencies: [
                    {
                      id: 'dagster',
                      title: 'Dagster',
                      status: 'down',
                      since: '2026-12-04T00:55:00.000Z',
                    },
                  ],
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
        },
      },
    },
    '/v1/dependencies/{id}/history': {
      get: {
        operationId: 'GetDependencyHistory',
        tags: ['Health'],
        summary:
          "One dependency's checks over the last hours, oldest first (platform operators).",
        parameters: [
          {
            $ref: '#/components/parameters/dependencyId',
          },
          {
            name: 'hours',
            in: 'query',
            required: false,
            description: 'How many hours back (1 to 24; 24 by default).',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 24,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The checks, oldest first.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    id: {
                      $ref: '#/components/schemas/PlatformDependencyId',
                    },
                    hours: {
                      type: 'integer',
                    },
                    checks: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/PlatformDependencyCheck',
                      },
                    },
                  },
                  required: ['id', 'hours', 'checks'],
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
