//
// Generated from plugins/lake-backend/src/schema/openapi.yaml by scripts/openapi/generate.ts: do not edit.
// Regenerate with `make openapi` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'lake',
    version: '1',
    description:
      "The Akili lake, tenant by tenant: the files of data products' `files` output ports on S3 (Ceph\nRGW), listed, previewed (masked as the query API masks) and downloaded through audited,\nshort-lived presigned URLs; what each tenant stores against its quota; and the access\nagreements between tenants, which decide what a tenant may read of another tenant's ports.\nServed under `/api/lake`.\n\nA product of another tenant answers exactly as a missing one (404) unless an access agreement\nin force grants the caller's tenant the port. Every answer is JSON: a download is a presigned\nURL to GET from S3 yourself, not the file. Without `lake.s3` in the portal's configuration the\nfile and usage routes answer 503 `LakeNotConfiguredError`; the agreements still work.\n\nBad input is a 400 `InputError` naming the field. Request bodies are JSON (`Content-Type:\napplication/json`, at most 64 kB) and a field they do not list is refused (\"unknown field\n...\"), as is a query parameter an operation does not list.\n",
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
      name: 'Files',
      description: "The files of data products' `files` output ports.",
    },
    {
      name: 'Storage',
      description: 'What each tenant stores, against its quota.',
    },
    {
      name: 'Agreements',
      description:
        "Access agreements between a consumer tenant and a provider tenant's port.",
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
      backstagePluginToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A Backstage service token of another backend plugin of the portal, calling on its own\nbehalf (subject `plugin:<pluginId>`, e.g. StarRocks applying the grants). Users and Akili\nAPI tokens are refused.\n',
      },
    },
    parameters: {
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description:
          "The data product's tenant (its catalog namespace), a DNS label. Another tenant's product\nanswers 404 like a missing one unless an agreement in force grants you one of its ports.\n",
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
        example: 'sales-forecast',
      },
      port: {
        name: 'port',
        in: 'path',
        required: true,
        description: "The name of one of the product's `files` output ports.",
        schema: {
          type: 'string',
        },
        example: 'forecast_snapshots',
      },
      tenant: {
        name: 'tenant',
        in: 'path',
        required: true,
        description:
          'The tenant; one you are not a member of answers 404 like a missing one.',
        schema: {
          type: 'string',
        },
        example: 'contoso',
      },
      agreementId: {
        name: 'id',
        in: 'path',
        required: true,
        description: "The agreement's id (a UUID; anything else is a 400).",
        schema: {
          type: 'string',
        },
        example: '0b6c2b4e-7f3d-4c1e-9a51-2f0c8d7e6a10',
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
                example: 'NotFoundError',
              },
              message: {
                type: 'string',
                example: 'No data product dataproduct:contoso/nope',
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
      StorageLocation: {
        type: 'object',
        additionalProperties: false,
        description: 'A bucket and a key prefix in it.',
        properties: {
          bucket: {
            type: 'string',
          },
          prefix: {
            type: 'string',
          },
        },
        required: ['bucket', 'prefix'],
      },
      Partition: {
        type: 'object',
        description:
          "Hive-style partition values read from the path's `key=value` segments.",
        additionalProperties: {
          type: 'string',
        },
        example: {
          forecast_month: '2026-11-01',
        },
      },
      PreviewFormat: {
        type: 'string',
        description: 'A file format the preview reads.',
        enum: ['parquet', 'csv', 'jsonl'],
      },
      FilePort: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
            description: "The output port's name.",
          },
          title: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          format: {
            type: 'string',
            description:
              'The format the manifest declares (`parquet`, `csv`, `json`, ...).',
          },
          location: {
            $ref: '#/components/schemas/StorageLocation',
          },
          problem: {
            type: 'string',
            description:
              "Set when the manifest's location is outside the tenant's storage (another bucket, or a\nprefix outside the tenant's): the port is shown but its files are not read.\n",
          },
        },
        required: ['name', 'location'],
      },
      Folder: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
            description: 'The last segment, without the trailing `/`.',
          },
          path: {
            type: 'string',
            description: "Relative to the port's prefix, ending with `/`.",
          },
          partition: {
            $ref: '#/components/schemas/Partition',
          },
        },
        required: ['name', 'path'],
      },
      Object: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          path: {
            type: 'string',
            description: "Relative to the port's prefix.",
          },
          size: {
            type: 'number',
            description: 'Bytes.',
          },
          lastModified: {
            type: 'string',
            format: 'date-time',
          },
          partition: {
            $ref: '#/components/schemas/Partition',
          },
          previewFormat: {
            $ref: '#/components/schemas/PreviewFormat',
          },
        },
        required: ['name', 'path', 'size', 'lastModified'],
      },
      TenantUsage: {
        type: 'object',
        additionalProperties: false,
        properties: {
          tenant: {
            type: 'string',
          },
          location: {
            $ref: '#/components/schemas/StorageLocation',
          },
          objects: {
            type: 'number',
          },
          bytes: {
            type: 'number',
          },
          quotaBytes: {
            type: 'number',
            description: "The tenant registry's storage quota, when set.",
          },
          growth7dBytes: {
            type: 'number',
            description:
              'Bytes added (negative, removed) over the last 7 days, when known.',
          },
          products: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                product: {
                  type: 'string',
                  nullable: true,
                  description:
                    "`dataproduct:<tenant>/<name>`, or null for objects under no product's port.\n",
                },
                objects: {
                  type: 'number',
                },
                bytes: {
                  type: 'number',
                },
                growth7dBytes: {
                  type: 'number',
                },
              },
              required: ['product', 'objects', 'bytes'],
            },
          },
          history: {
            type: 'array',
            description: 'Past measurements, oldest first (one a day at most).',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                measuredAt: {
                  type: 'string',
                  format: 'date-time',
                },
                objects: {
                  type: 'number',
                },
                bytes: {
                  type: 'number',
                },
              },
              required: ['measuredAt', 'objects', 'bytes'],
            },
          },
          measuredAt: {
            type: 'string',
            format: 'date-time',
            description: 'Absent when the tenant was never measured.',
          },
        },
        required: [
          'tenant',
          'location',
          'objects',
          'bytes',
          'products',
          'history',
        ],
      },
      AgreementStatus: {
        type: 'string',
        description:
          '`requested`, then `approved` (in force until `until`) or `rejected`; a request can be\n`withdrawn` by its tenant; an approved agreement ends `revoked` or `expired`.\n',
        enum: [
          'requested',
          'approved',
          'rejected',
          'withdrawn',
          'revoked',
          'expired',
        ],
      },
      ProductRef: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        description:
          'A data product, `dataproduct:<tenant>/<name>` (the `dataproduct:` may be left out).',
        example: 'dataproduct:contoso/crm-accounts',
      },
      Note: {
        type: 'string',
        minLength: 1,
        maxLength: 2000,
      },
      Columns: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'string',
          minLength: 1,
          maxLength: 255,
        },
      },
      Agreement: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/AgreementStatus',
          },
          provider: {
            type: 'object',
            additionalProperties: false,
            properties: {
              tenant: {
                type: 'string',
              },
              product: {
                type: 'string',
                description: '`dataproduct:<tenant>/<name>`.',
              },
              port: {
                type: 'string',
              },
            },
            required: ['tenant', 'product', 'port'],
          },
          consumer: {
            type: 'object',
            additionalProperties: false,
            properties: {
              tenant: {
                type: 'string',
              },
              product: {
                type: 'string',
                description:
                  "The consumer's product that reads the port, when the request names one.",
              },
            },
            required: ['tenant'],
          },
          purpose: {
            type: 'string',
          },
          columns: {
            type: 'array',
            description:
              'The columns agreed (requested, until approved; empty in a request for the whole port,\nwhich the approval fills in).\n',
            items: {
              type: 'string',
            },
          },
          until: {
            type: 'string',
            format: 'date-time',
            description: 'The agreement ends then.',
          },
          requestedBy: {
            type: 'string',
          },
          requestedAt: {
            type: 'string',
            format: 'date-time',
          },
          decidedBy: {
            type: 'string',
          },
          decidedAt: {
            type: 'string',
            format: 'date-time',
          },
          decisionNote: {
            type: 'string',
          },
          endedAt: {
            type: 'string',
            format: 'date-time',
          },
          endedBy: {
            type: 'string',
          },
          endReason: {
            type: 'string',
          },
          history: {
            type: 'array',
            description:
              'Every transition, oldest first (`GET /v1/agreements/{id}` only).',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                from: {
                  $ref: '#/components/schemas/AgreementStatus',
                },
                to: {
                  $ref: '#/components/schemas/AgreementStatus',
                },
                by: {
                  type: 'string',
                  description:
                    'A user or `token:<id>` ref; absent for an expiry.',
                },
                at: {
                  type: 'string',
                  format: 'date-time',
                },
                note: {
                  type: 'string',
                },
                columns: {
                  type: 'array',
                  items: {
                    type: 'string',
                  },
                },
              },
              required: ['to', 'at'],
            },
          },
        },
        required: [
          'id',
          'status',
          'provider',
          'consumer',
          'purpose',
          'columns',
          'until',
          'requestedBy',
          'requestedAt',
        ],
        example: {
          id: '0b6c2b4e-7f3d-4c1e-9a51-2f0c8d7e6a10',
          status: 'approved',
          provider: {
            tenant: 'contoso',
            product: 'dataproduct:contoso/crm-accounts',
            port: 'accounts_enriched',
          },
          consumer: {
            tenant: 'fabrikam',
            product: 'dataproduct:fabrikam/store-orders',
          },
          purpose: 'Order volumes per account for the regional sales forecast',
          columns: ['account_ref', 'region_code'],
          until: '2027-03-01T00:00:00.000Z',
          requestedBy: 'user:default/erin',
          requestedAt: '2026-12-01T09:00:00.000Z',
          decidedBy: 'user:default/omar',
          decidedAt: '2026-12-02T10:30:00.000Z',
          decisionNote: 'Fine for the forecast',
        },
      },
      AgreementList: {
        type: 'object',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Agreement',
            },
          },
        },
        required: ['items'],
      },
    },
  },
  paths: {
    '/v1/products/{namespace}/{name}/ports': {
      get: {
        operationId: 'ListFilePorts',
        tags: ['Files'],
        summary:
          "A data product's `files` output ports and where their files are.",
        description:
          "Needs read access to the product (its tenant's members, or an agreement in force for one\nof its ports: then only the agreed ports). A port whose manifest location is outside the\ntenant's storage is listed with a `problem` and its files are not read.\n",
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
            description: "The product's files ports.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    product: {
                      type: 'string',
                      description: '`dataproduct:<tenant>/<name>`.',
                    },
                    ports: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/FilePort',
                      },
                    },
                  },
                  required: ['product', 'ports'],
                },
                example: {
                  product: 'dataproduct:contoso/sales-forecast',
                  ports: [
                    {
                      name: 'forecast_snapshots',
                      title: 'Monthly forecast snapshots',
                      format: 'parquet',
                      location: {
                        bucket: 'contoso-lake',
                        prefix: 'data-products/sales-forecast/snapshots/',
                      },
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
    '/v1/products/{namespace}/{name}/ports/{port}/objects': {
      get: {
        operationId: 'ListObjects',
        tags: ['Files'],
        summary: 'One page of a folder of a files port, folders first.',
        description:
          '`curl -H "Authorization: Bearer $TOKEN"\n"$PORTAL/api/lake/v1/products/contoso/sales-forecast/ports/forecast_snapshots/objects?path=forecast_month%3D2026-11-01%2F"`.\nA path that would leave the port\'s prefix (`..`, encoded separators, control characters)\nis a 400 before S3 is asked. S3 not answering is a 503 within seconds; S3 refusing the\nportal\'s own credentials is a 502 `LakeCredentialsError`.\n',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/port',
          },
          {
            name: 'path',
            in: 'query',
            required: false,
            description:
              "The folder, relative to the port's prefix and ending with `/` (the port's root when\nabsent or empty).\n",
            schema: {
              type: 'string',
              maxLength: 1024,
            },
            example: 'forecast_month=2026-11-01/',
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description: "The previous page's `nextCursor` (opaque).",
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 2048,
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'Entries per page (1 to 1000; 200 by default).',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              default: 200,
            },
          },
        ],
        responses: {
          '200': {
            description: "The folder's folders and objects.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    product: {
                      type: 'string',
                    },
                    port: {
                      type: 'string',
                    },
                    path: {
                      type: 'string',
                      description:
                        "The folder listed (`''` for the port's root).",
                    },
                    folders: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Folder',
                      },
                    },
                    objects: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Object',
                      },
                    },
                    nextCursor: {
                      type: 'string',
                      description: 'Present when there is another page.',
                    },
                  },
                  required: ['product', 'port', 'path', 'folders', 'objects'],
                },
                example: {
                  product: 'dataproduct:contoso/sales-forecast',
                  port: 'forecast_snapshots',
                  path: 'forecast_month=2026-11-01/',
                  folders: [],
                  objects: [
                    {
                      name: 'part-0.parquet',
                      path: 'forecast_month=2026-11-01/part-0.parquet',
                      size: 1843,
                      lastModified: '2026-12-01T02:00:00.000Z',
                      partition: {
                        forecast_month: '2026-11-01',
                      },
                      previewFormat: 'parquet',
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
          '409': {
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
    '/v1/products/{namespace}/{name}/ports/{port}/preview': {
      get: {
        operationId: 'PreviewObject',
        tags: ['Files'],
        summary:
          'The first rows of a file (Parquet, CSV, JSON lines), masked for the caller.',
        description:
          'Read with ranged requests, never the whole object. Columns the contract classifies as\nconfidential are masked (`null`) for a consumer, as the query API masks them. Values are\nJSON: numbers that do not fit a double, and dates, are strings. A file that cannot be\npreviewed (unknown format, corrupt footer) is a 422 `LakePreviewError`.\n',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/port',
          },
          {
            name: 'path',
            in: 'query',
            required: true,
            description: "The file, relative to the port's prefix.",
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 1024,
            },
            example: 'forecast_month=2026-11-01/part-0.parquet',
          },
          {
            name: 'rows',
            in: 'query',
            required: false,
            description: 'How many rows (1 to 200; 50 by default).',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 200,
              default: 50,
            },
          },
        ],
        responses: {
          '200': {
            description: "The file's columns and first rows.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    product: {
                      type: 'string',
                    },
                    port: {
                      type: 'string',
                    },
                    path: {
                      type: 'string',
                    },
                    format: {
                      $ref: '#/components/schemas/PreviewFormat',
                    },
                    size: {
                      type: 'number',
                      description: "The object's size in bytes.",
                    },
                    columns: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          name: {
                            type: 'string',
                          },
                          type: {
                            type: 'string',
                            description:
                              "The file's type (Parquet physical/logical type; `string` for CSV;\nJSON's for JSON lines).\n",
                          },
                          classification: {
                            type: 'string',
                            description:
                              'The classification the contract gives the column.',
                          },
                          masked: {
                            type: 'boolean',
                            description:
                              "The column's values are `null` in `rows`.",
                          },
                        },
                        required: ['name', 'type', 'masked'],
                      },
                    },
                    rows: {
                      type: 'array',
                      description:
                        'The first rows, each in the order of `columns`.',
                      items: {
                        type: 'array',
                        items: {},
                      },
                    },
                    totalRows: {
                      type: 'number',
                      description:
                        "Rows in the whole file, when the format tells (Parquet's footer).",
                    },
                    rowGroups: {
                      type: 'array',
                      description: 'Parquet only.',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          index: {
                            type: 'number',
                          },
                          rows: {
                            type: 'number',
                          },
                          bytes: {
                            type: 'number',
                          },
                        },
                        required: ['index', 'rows', 'bytes'],
                      },
                    },
                    createdBy: {
                      type: 'string',
                      description: 'Parquet only, the writer.',
                    },
                    bytesRead: {
                      type: 'number',
                      description:
                        'Bytes read from the object to build this preview.',
                    },
                    truncated: {
                      type: 'boolean',
                      description: 'The file has more rows than `rows` holds.',
                    },
                    masked: {
                      type: 'array',
                      description: "The masked columns' names.",
                      items: {
                        type: 'string',
                      },
                    },
                  },
                  required: [
                    'product',
                    'port',
                    'path',
                    'format',
                    'size',
                    'columns',
                    'rows',
                    'bytesRead',
                    'truncated',
                    'masked',
                  ],
                },
                example: {
                  product: 'dataproduct:contoso/sales-forecast',
                  port: 'forecast_snapshots',
                  path: 'forecast_month=2026-11-01/part-0.parquet',
                  format: 'parquet',
                  size: 1843,
                  columns: [
                    {
                      name: 'account_key',
                      type: 'BYTE_ARRAY/STRING',
                      classification: 'confidential',
                      masked: true,
                    },
                    {
                      name: 'churn_flag',
                      type: 'BOOLEAN',
                      masked: false,
                    },
                  ],
                  rows: [
                    [null, true],
                    [null, false],
                  ],
                  totalRows: 2,
                  bytesRead: 1843,
                  truncated: false,
                  masked: ['account_key'],
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
          '422': {
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
    '/v1/products/{namespace}/{name}/ports/{port}/download': {
      post: {
        operationId: 'CreateDownload',
        tags: ['Files'],
        summary:
          'A presigned URL to download one file, valid a few minutes (audited).',
        description:
          'The answer is JSON with a presigned S3 URL: GET it (no portal token) to read the file,\nunmasked, e.g. `curl -o part-0.parquet "$(curl -s -X POST -H "Authorization: Bearer\n$TOKEN" -H \'Content-Type: application/json\' -d \'{"path":"part-0.parquet"}\'\n$PORTAL/api/lake/v1/products/contoso/sales-forecast/ports/forecast_snapshots/download | jq -r\n.url)"`. Needs the download permission (developers and operators, not consumers). Every\nrequest, refused ones included, is on the tenant\'s download audit.\n',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/port',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  path: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 1024,
                    description: "The file, relative to the port's prefix.",
                  },
                },
                required: ['path'],
              },
              example: {
                path: 'forecast_month=2026-11-01/part-0.parquet',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The presigned URL.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    url: {
                      type: 'string',
                      description: 'A presigned GET URL of the object.',
                    },
                    expiresAt: {
                      type: 'string',
                      format: 'date-time',
                    },
                    size: {
                      type: 'number',
                      description: "The object's size in bytes.",
                    },
                  },
                  required: ['url', 'expiresAt', 'size'],
                },
                example: {
                  url: 'https://s3.example.com/contoso-lake/data-products/sales-forecast/snapshots/forecast_month%3D2026-11-01/part-0.parquet?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=...',
                  expiresAt: '2026-12-04T02:05:00.000Z',
                  size: 1843,
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
    '/v1/tenants/{tenant}/usage': {
      get: {
        operationId: 'GetTenantUsage',
        tags: ['Storage'],
        summary:
          'What one tenant stores, per product, against its quota, with its history.',
        description:
          'Needs the usage read permission of the tenant (its operators, platform admins).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            description: "The tenant's last measurement.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/TenantUsage',
                },
                example: {
                  tenant: 'contoso',
                  location: {
                    bucket: 'contoso-lake',
                    prefix: '',
                  },
                  objects: 12,
                  bytes: 48213,
                  quotaBytes: 10737418240,
                  products: [
                    {
                      product: 'dataproduct:contoso/sales-forecast',
                      objects: 12,
                      bytes: 48213,
                    },
                  ],
                  history: [
                    {
                      measuredAt: '2026-12-03T00:00:00.000Z',
                      objects: 12,
                      bytes: 48213,
                    },
                  ],
                  measuredAt: '2026-12-03T00:00:00.000Z',
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
    '/v1/usage': {
      get: {
        operationId: 'ListUsage',
        tags: ['Storage'],
        summary:
          'The storage use of every tenant whose usage you may read (all of them for platform admins).',
        description:
          "An empty list for a caller who may read no tenant's usage (consumers).",
        responses: {
          '200': {
            description: 'One entry per tenant.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenants: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/TenantUsage',
                      },
                    },
                  },
                  required: ['tenants'],
                },
                example: {
                  tenants: [
                    {
                      tenant: 'contoso',
                      location: {
                        bucket: 'contoso-lake',
                        prefix: '',
                      },
                      objects: 12,
                      bytes: 48213,
                      products: [],
                      history: [],
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
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/agreements': {
      get: {
        operationId: 'ListAgreements',
        tags: ['Agreements'],
        summary:
          'The access agreements of a tenant (or of all your tenants), newest first.',
        description:
          '`curl -H "Authorization: Bearer $TOKEN"\n"$PORTAL/api/lake/v1/agreements?tenant=fabrikam&side=consumer&status=approved,requested"`.\nA tenant you are not a member of answers 404.\n',
        parameters: [
          {
            name: 'tenant',
            in: 'query',
            required: false,
            description:
              "The tenant whose agreements to list (all your tenants' when absent).",
            schema: {
              type: 'string',
              maxLength: 63,
            },
            example: 'fabrikam',
          },
          {
            name: 'side',
            in: 'query',
            required: false,
            description:
              'The tenant as the provider of the port or as its consumer (both when absent; needs\n`tenant`).\n',
            schema: {
              type: 'string',
              enum: ['provider', 'consumer'],
            },
          },
          {
            name: 'status',
            in: 'query',
            required: false,
            description:
              'Only agreements in these statuses, comma-separated (requested, approved, rejected,\nwithdrawn, revoked, expired).\n',
            schema: {
              type: 'string',
            },
            example: 'approved,requested',
          },
          {
            name: 'product',
            in: 'query',
            required: false,
            description:
              'Only the agreements on this product (`dataproduct:<tenant>/<name>`).',
            schema: {
              $ref: '#/components/schemas/ProductRef',
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'At most this many (1 to 500; 100 by default).',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 500,
              default: 100,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The agreements, newest first.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/AgreementList',
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
      post: {
        operationId: 'RequestAgreement',
        tags: ['Agreements'],
        summary:
          'Ask another tenant for access to one of its ports (a member of the consumer tenant).',
        description:
          'The provider tenant approves (naming the columns it grants), rejects, or later revokes.\nA tenant has one open request per port (a second is a 409). `columns` empty asks for\nthe whole port and leaves the choice of columns to the provider.\n',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  provider: {
                    type: 'object',
                    properties: {
                      product: {
                        $ref: '#/components/schemas/ProductRef',
                      },
                      port: {
                        type: 'string',
                        maxLength: 63,
                        description: 'The output port (a table or files port).',
                      },
                    },
                    required: ['product', 'port'],
                  },
                  consumer: {
                    type: 'object',
                    properties: {
                      tenant: {
                        type: 'string',
                        maxLength: 63,
                        description:
                          "Your tenant that will read the port (not the provider's).",
                      },
                      product: {
                        $ref: '#/components/schemas/ProductRef',
                      },
                    },
                    required: ['tenant'],
                  },
                  purpose: {
                    type: 'string',
                    minLength: 10,
                    maxLength: 2000,
                    description:
                      'Why, for the provider who decides (10 to 2000 characters).',
                  },
                  columns: {
                    $ref: '#/components/schemas/Columns',
                  },
                  until: {
                    type: 'string',
                    description:
                      'When it ends, an ISO 8601 time with zone, in the future, at most a year ahead.',
                  },
                },
                required: [
                  'provider',
                  'consumer',
                  'purpose',
                  'columns',
                  'until',
                ],
              },
              example: {
                provider: {
                  product: 'dataproduct:contoso/crm-accounts',
                  port: 'accounts_enriched',
                },
                consumer: {
                  tenant: 'fabrikam',
                  product: 'dataproduct:fabrikam/store-orders',
                },
                purpose:
                  'Order volumes per account for the regional sales forecast',
                columns: ['account_ref', 'region_code', 'orders_90d'],
                until: '2027-03-01T00:00:00Z',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The request, `requested`.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Agreement',
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
        },
      },
    },
    '/v1/agreements/in-force': {
      get: {
        operationId: 'ListAgreementsInForce',
        tags: ['Agreements'],
        summary:
          'The agreements in force of a consumer tenant, for other backend plugins only.',
        description:
          "StarRocks reads it to apply the grants. Users and Akili API tokens are refused (403): the\nanswer is about two tenants and is no user's to read here.\n",
        security: [
          {
            backstagePluginToken: [],
          },
        ],
        parameters: [
          {
            name: 'consumer',
            in: 'query',
            required: true,
            description: 'The consumer tenant.',
            schema: {
              type: 'string',
            },
            example: 'fabrikam',
          },
        ],
        responses: {
          '200': {
            description: 'The approved agreements not past their `until`.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/AgreementList',
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
        },
      },
    },
    '/v1/agreements/{id}': {
      get: {
        operationId: 'GetAgreement',
        tags: ['Agreements'],
        summary: 'One agreement with its history, for either party.',
        description:
          'An agreement of which none of your tenants is a party answers 404 like a missing one.',
        parameters: [
          {
            $ref: '#/components/parameters/agreementId',
          },
        ],
        responses: {
          '200': {
            description: 'The agreement and every transition, oldest first.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Agreement',
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
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/agreements/{id}/approve': {
      post: {
        operationId: 'ApproveAgreement',
        tags: ['Agreements'],
        summary:
          "Approve a request (the provider tenant's developers and operators).",
        description:
          '`columns` narrows the columns asked for, and is required when the request asked for the\nwhole port. A decision on an agreement that is no longer `requested` is a 409.\n',
        parameters: [
          {
            $ref: '#/components/parameters/agreementId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  note: {
                    $ref: '#/components/schemas/Note',
                  },
                  columns: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 1000,
                    description:
                      "The port's columns granted (at least one, no repeats).",
                    items: {
                      type: 'string',
                      minLength: 1,
                      maxLength: 255,
                    },
                  },
                },
              },
              example: {
                note: 'Fine for the forecast',
                columns: ['account_ref', 'region_code'],
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The agreement, `approved`.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Agreement',
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
        },
      },
    },
    '/v1/agreements/{id}/reject': {
      post: {
        operationId: 'RejectAgreement',
        tags: ['Agreements'],
        summary:
          "Reject a request, saying why (the provider tenant's developers and operators).",
        parameters: [
          {
            $ref: '#/components/parameters/agreementId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  note: {
                    $ref: '#/components/schemas/Note',
                  },
                },
                required: ['note'],
              },
              example: {
                note: 'The port carries no order data',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The agreement, `rejected`.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Agreement',
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
        },
      },
    },
    '/v1/agreements/{id}/revoke': {
      post: {
        operationId: 'RevokeAgreement',
        tags: ['Agreements'],
        summary:
          'End an approved agreement, saying why (the provider, or the consumer giving it up).',
        parameters: [
          {
            $ref: '#/components/parameters/agreementId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  reason: {
                    $ref: '#/components/schemas/Note',
                  },
                },
                required: ['reason'],
              },
              example: {
                reason: 'Forecast retired',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The agreement, `revoked`.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Agreement',
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
        },
      },
    },
    '/v1/agreements/{id}/withdraw': {
      post: {
        operationId: 'WithdrawAgreement',
        tags: ['Agreements'],
        summary:
          "Withdraw your tenant's open request (any member of the consumer tenant).",
        parameters: [
          {
            $ref: '#/components/parameters/agreementId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  note: {
                    $ref: '#/components/schemas/Note',
                  },
                },
              },
              example: {
                note: 'No longer needed',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The agreement, `withdrawn`.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Agreement',
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
