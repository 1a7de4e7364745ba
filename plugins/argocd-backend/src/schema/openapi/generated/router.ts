//
// Generated from plugins/argocd-backend/src/schema/openapi.yaml by scripts/openapi/generate.ts: do not edit.
// Regenerate with `make openapi` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'argocd',
    version: '1',
    description:
      "The Argo CD deployment of data products, tenant by tenant: a product's Application (looked up\nin its tenant's project and namespace only), its resources, drift from Git and sync history,\nand syncs started by the tenant's operators, each one audited. Served under `/api/argocd`.\n\nA product of another tenant answers exactly as a missing one (404). Without `argocd.baseUrl`\nin the portal's configuration the reads answer `status: not-configured` and a sync is a 503\n`ArgoCdNotConfiguredError`. Argo CD not answering is a 503 `ArgoCdUnavailableError` within\nseconds; Argo CD refusing the portal's account is a 502 `ArgoCdFailedError`.\n\nBad input is a 400 `InputError` naming the field; a query parameter an operation does not list\nand a body field it does not list are refused.\n",
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
      name: 'Deployments',
      description:
        "A data product's Argo CD Application, its drift and its syncs.",
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
        description:
          "The data product's tenant (its catalog namespace), a DNS label. Another tenant's product\nanswers 404 like a missing one.\n",
        schema: {
          type: 'string',
        },
        example: 'contoso',
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        description: "The data product's name, a DNS label.",
        schema: {
          type: 'string',
        },
        example: 'store-orders',
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
                example: 'ArgoCdConflictError',
              },
              message: {
                type: 'string',
                example:
                  'ArgoCD is already running an operation on contoso-store-orders',
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
      DeploymentStatus: {
        type: 'string',
        description:
          "`not-configured` (the portal has no Argo CD), `not-deployed` (no Application of the\nproduct in its tenant's project yet) or `deployed`.\n",
        enum: ['not-configured', 'not-deployed', 'deployed'],
      },
      SyncStatus: {
        type: 'string',
        description:
          "Whether the live state matches Git (Argo CD's own values).",
        enum: ['Synced', 'OutOfSync', 'Unknown'],
      },
      Health: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: {
            type: 'string',
            enum: [
              'Healthy',
              'Progressing',
              'Degraded',
              'Suspended',
              'Missing',
              'Unknown',
            ],
          },
          message: {
            type: 'string',
          },
        },
        required: ['status'],
      },
      Initiator: {
        type: 'object',
        additionalProperties: false,
        description: "A user (`username`) or Argo CD's automated sync policy.",
        properties: {
          username: {
            type: 'string',
          },
          automated: {
            type: 'boolean',
          },
        },
        required: ['automated'],
      },
      Operation: {
        type: 'object',
        additionalProperties: false,
        description: 'A sync operation, running now or the last one.',
        properties: {
          phase: {
            type: 'string',
            enum: ['Running', 'Terminating', 'Failed', 'Error', 'Succeeded'],
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            description: 'Absent while running.',
          },
          message: {
            type: 'string',
          },
          revision: {
            type: 'string',
          },
          initiatedBy: {
            $ref: '#/components/schemas/Initiator',
          },
        },
        required: ['phase', 'startedAt', 'initiatedBy'],
      },
      Application: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          project: {
            type: 'string',
            description: "The Argo CD project, always the product's tenant's.",
          },
          namespace: {
            type: 'string',
            description:
              "The destination namespace, always the product's tenant's.",
          },
          repoURL: {
            type: 'string',
            description: 'Git repository of the desired state.',
          },
          path: {
            type: 'string',
            description: 'Path of the manifests in the repository.',
          },
          targetRevision: {
            type: 'string',
            description: 'Branch, tag or commit the Application follows.',
          },
          revision: {
            type: 'string',
            description: 'The revision last compared with the cluster.',
          },
          syncStatus: {
            $ref: '#/components/schemas/SyncStatus',
          },
          health: {
            $ref: '#/components/schemas/Health',
          },
          operation: {
            $ref: '#/components/schemas/Operation',
          },
          lastSync: {
            $ref: '#/components/schemas/Operation',
          },
          resources: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                group: {
                  type: 'string',
                  description: "API group, `''` for the core group.",
                },
                kind: {
                  type: 'string',
                },
                namespace: {
                  type: 'string',
                },
                name: {
                  type: 'string',
                },
                syncStatus: {
                  $ref: '#/components/schemas/SyncStatus',
                },
                health: {
                  $ref: '#/components/schemas/Health',
                },
                requiresPruning: {
                  type: 'boolean',
                  description: 'In the cluster but no longer in Git.',
                },
              },
              required: ['group', 'kind', 'name', 'syncStatus'],
            },
          },
          history: {
            type: 'array',
            description:
              "Argo CD's sync history, oldest first (the last ten by default).",
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                id: {
                  type: 'integer',
                },
                revision: {
                  type: 'string',
                },
                deployStartedAt: {
                  type: 'string',
                  format: 'date-time',
                },
                deployedAt: {
                  type: 'string',
                  format: 'date-time',
                },
                initiatedBy: {
                  $ref: '#/components/schemas/Initiator',
                },
              },
              required: ['id', 'revision', 'deployedAt', 'initiatedBy'],
            },
          },
          url: {
            type: 'string',
            description:
              "The Application in Argo CD's UI, when `argocd.baseUrl` is configured.",
          },
        },
        required: [
          'name',
          'project',
          'namespace',
          'repoURL',
          'syncStatus',
          'health',
          'resources',
          'history',
        ],
      },
      AuditEntry: {
        type: 'object',
        additionalProperties: false,
        description:
          'One sync started from the portal, with its outcome (`unknown` until recorded).',
        properties: {
          id: {
            type: 'string',
          },
          tenant: {
            type: 'string',
          },
          actor: {
            type: 'string',
            description: 'A user entity ref, or `token:<id>`.',
          },
          product: {
            type: 'string',
            description: "The product's entity ref.",
          },
          application: {
            type: 'string',
          },
          revision: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
            description: 'When it was asked.',
          },
          outcome: {
            type: 'string',
            enum: ['succeeded', 'failed', 'unknown'],
          },
          outcomeAt: {
            type: 'string',
            format: 'date-time',
          },
          error: {
            type: 'string',
            description: 'What the caller was told when it failed.',
          },
        },
        required: [
          'id',
          'tenant',
          'actor',
          'product',
          'application',
          'revision',
          'at',
          'outcome',
        ],
      },
    },
  },
  paths: {
    '/v1/products/{namespace}/{name}/deployment': {
      get: {
        operationId: 'GetDeployment',
        tags: ['Deployments'],
        summary:
          "A data product's Argo CD Application, its resources and sync history.",
        description:
          '`curl -H "Authorization: Bearer $TOKEN" $PORTAL/api/argocd/v1/products/contoso/store-orders/deployment`.\n`status` tells the three cases apart; `not-deployed` names the project, namespace and\nlabels an Application must carry to be the product\'s. Needs `akili.deployment.read` in the\nproduct\'s tenant.\n',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: "The product's deployment.",
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        status: {
                          type: 'string',
                          enum: ['not-configured'],
                        },
                      },
                      required: ['status'],
                    },
                    {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        status: {
                          type: 'string',
                          enum: ['not-deployed'],
                        },
                        expectedApplication: {
                          type: 'object',
                          additionalProperties: false,
                          properties: {
                            project: {
                              type: 'string',
                            },
                            namespace: {
                              type: 'string',
                            },
                            labels: {
                              type: 'object',
                              additionalProperties: {
                                type: 'string',
                              },
                            },
                          },
                          required: ['project', 'namespace', 'labels'],
                        },
                      },
                      required: ['status', 'expectedApplication'],
                    },
                    {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        status: {
                          type: 'string',
                          enum: ['deployed'],
                        },
                        application: {
                          $ref: '#/components/schemas/Application',
                        },
                        canSync: {
                          type: 'boolean',
                          description:
                            'Whether you may start a sync (`akili.deployment.sync` in the tenant).',
                        },
                      },
                      required: ['status', 'application'],
                    },
                  ],
                },
                example: {
                  status: 'deployed',
                  canSync: true,
                  application: {
                    name: 'contoso-store-orders',
                    project: 'contoso',
                    namespace: 'contoso',
                    repoURL:
                      'https://gitlab.example.com/contoso/store-orders.git',
                    path: 'deploy',
                    targetRevision: 'main',
                    revision: '4f2a9c1',
                    syncStatus: 'Synced',
                    health: {
                      status: 'Healthy',
                    },
                    lastSync: {
                      phase: 'Succeeded',
                      startedAt: '2026-12-03T10:00:00Z',
                      finishedAt: '2026-12-03T10:00:12Z',
                      revision: '4f2a9c1',
                      initiatedBy: {
                        username: 'akili-portal',
                        automated: false,
                      },
                    },
                    resources: [
                      {
                        group: 'apps',
                        kind: 'Deployment',
                        namespace: 'contoso',
                        name: 'store-orders',
                        syncStatus: 'Synced',
                        health: {
                          status: 'Healthy',
                        },
                      },
                    ],
                    history: [
                      {
                        id: 7,
                        revision: '4f2a9c1',
                        deployedAt: '2026-12-03T10:00:12Z',
                        initiatedBy: {
                          username: 'akili-portal',
                          automated: false,
                        },
                      },
                    ],
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
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/products/{namespace}/{name}/deployment/drift': {
      get: {
        operationId: 'GetDeploymentDrift',
        tags: ['Deployments'],
        summary:
          'The resources whose live state differs from Git, field by field.',
        description:
          "Computed from Argo CD's managed resources. `resources` is empty unless `status` is\n`deployed`. Needs `akili.deployment.read` in the product's tenant.\n",
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The drift.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    status: {
                      $ref: '#/components/schemas/DeploymentStatus',
                    },
                    application: {
                      type: 'string',
                      description: "The Application's name, when deployed.",
                    },
                    resources: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          group: {
                            type: 'string',
                          },
                          kind: {
                            type: 'string',
                          },
                          namespace: {
                            type: 'string',
                          },
                          name: {
                            type: 'string',
                          },
                          changes: {
                            type: 'array',
                            items: {
                              type: 'object',
                              additionalProperties: false,
                              properties: {
                                path: {
                                  type: 'string',
                                  description:
                                    'JSON path of the field, e.g. `spec.replicas`.',
                                },
                                live: {
                                  description:
                                    'The live value; absent where the field is absent.',
                                },
                                desired: {
                                  description:
                                    'The value in Git; absent where the field is absent.',
                                },
                              },
                              required: ['path'],
                            },
                          },
                        },
                        required: ['group', 'kind', 'name', 'changes'],
                      },
                    },
                  },
                  required: ['status', 'resources'],
                },
                example: {
                  status: 'deployed',
                  application: 'contoso-store-orders',
                  resources: [
                    {
                      group: 'apps',
                      kind: 'Deployment',
                      namespace: 'contoso',
                      name: 'store-orders',
                      changes: [
                        {
                          path: 'spec.replicas',
                          live: 3,
                          desired: 2,
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
          '502': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/products/{namespace}/{name}/deployment/sync': {
      post: {
        operationId: 'SyncDeployment',
        tags: ['Deployments'],
        summary:
          "Start a sync of the product's Application (the tenant's operators; audited).",
        description:
          '`curl -X POST -H "Authorization: Bearer $TOKEN" -H \'Content-Type: application/json\' -d\n\'{"revision":"main"}\' $PORTAL/api/argocd/v1/products/contoso/store-orders/deployment/sync`.\nAnswers once Argo CD has started the operation (202); follow it with the deployment.\nWhile an operation runs, a second sync is a 409 `ArgoCdConflictError`. Needs\n`akili.deployment.sync` in the product\'s tenant; every attempt is on the tenant\'s audit.\n',
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
                properties: {
                  revision: {
                    type: 'string',
                    maxLength: 255,
                    pattern: '^[A-Za-z0-9][A-Za-z0-9._/@^~+-]{0,254}$',
                    description:
                      "Branch, tag or commit to sync to (the Application's target revision when\nabsent): letters, digits and `. _ / @ ^ ~ + -`, at most 255.\n",
                  },
                  prune: {
                    type: 'boolean',
                    description:
                      'Delete resources no longer in Git (false when absent).',
                  },
                },
              },
              example: {
                revision: 'main',
                prune: false,
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The sync started.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    application: {
                      type: 'string',
                    },
                    revision: {
                      type: 'string',
                      description:
                        'The revision asked for (the target revision when none was given).',
                    },
                    operation: {
                      $ref: '#/components/schemas/Operation',
                    },
                    auditId: {
                      type: 'string',
                      description: "The audit entry's id.",
                    },
                  },
                  required: ['application', 'revision', 'auditId'],
                },
                example: {
                  application: 'contoso-store-orders',
                  revision: 'main',
                  auditId: '42',
                  operation: {
                    phase: 'Running',
                    startedAt: '2026-12-04T02:00:00Z',
                    revision: 'main',
                    initiatedBy: {
                      username: 'akili-portal',
                      automated: false,
                    },
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
          '409': {
            $ref: '#/components/responses/Error',
          },
          '413': {
            $ref: '#/components/responses/Error',
          },
          '502': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/deployment-audit': {
      get: {
        operationId: 'ListDeploymentAudit',
        tags: ['Deployments'],
        summary:
          'The syncs started from the portal in a tenant, newest first (its operators).',
        description:
          'Needs `akili.deployment.sync` in the tenant; a tenant you are not a member of answers 404\nlike a missing one.\n',
        parameters: [
          {
            name: 'tenant',
            in: 'path',
            required: true,
            description: 'The tenant.',
            schema: {
              type: 'string',
            },
            example: 'contoso',
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
            description: "The previous page's `nextCursor`.",
            schema: {
              type: 'string',
              pattern: '^[1-9][0-9]{0,17}$',
            },
          },
        ],
        responses: {
          '200': {
            description: 'One page of the audit.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/AuditEntry',
                      },
                    },
                    nextCursor: {
                      type: 'string',
                      description: 'Present when there is another page.',
                    },
                  },
                  required: ['items'],
                },
                example: {
                  items: [
                    {
                      id: '42',
                      tenant: 'contoso',
                      actor: 'user:default/omar',
                      product: 'dataproduct:contoso/store-orders',
                      application: 'contoso-store-orders',
                      revision: 'main',
                      at: '2026-12-04T02:00:00.000Z',
                      outcome: 'succeeded',
                      outcomeAt: '2026-12-04T02:00:01.000Z',
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
