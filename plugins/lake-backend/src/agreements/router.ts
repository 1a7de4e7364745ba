import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { NAME_PATTERN, PORT_NAME_PATTERN } from '@akili/plugin-akili-common';
import {
  limitParam,
  parseRequest,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  AccessAgreementList,
  AccessAgreementStatus,
} from '@akili/plugin-lake-common';
import { z } from 'zod';
import { AccessAgreementStore } from './AccessAgreementStore';
import { AgreementsService } from './AgreementsService';

const STATUSES: readonly AccessAgreementStatus[] = [
  'requested',
  'approved',
  'rejected',
  'withdrawn',
  'revoked',
  'expired',
];

/** Agreement ids are UUIDs; anything else is a 400 before any query. */
const AGREEMENT_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Backstage's subject of a backend plugin calling on its own behalf: `plugin:<pluginId>`. */
const PLUGIN_SUBJECT_PREFIX = 'plugin:';

const tenantName = z
  .string()
  .regex(new RegExp(NAME_PATTERN), 'must be a tenant name')
  .max(63);
const productRefText = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(dataproduct:)?[^/:]+\/[^/:]+$/i,
    'must be dataproduct:<tenant>/<name>',
  );
const note = (min: number) => z.string().trim().min(min).max(2000);

const requestSchema = z
  .object({
    provider: z
      .object({
        product: productRefText,
        port: z
          .string()
          .regex(new RegExp(PORT_NAME_PATTERN), 'must be a port name')
          .max(63),
      })
      .strict(),
    consumer: z
      .object({ tenant: tenantName, product: productRefText.optional() })
      .strict(),
    purpose: z
      .string()
      .trim()
      .min(10, 'must be at least 10 characters')
      .max(2000, 'must be at most 2000 characters'),
    // Empty: the whole port, the provider names the columns when approving.
    columns: z
      .array(z.string().min(1).max(255))
      .max(1000)
      .refine(
        columns => new Set(columns).size === columns.length,
        'must not repeat a column',
      ),
    until: z.string().datetime({
      offset: true,
      message: 'must be an ISO 8601 time with zone',
    }),
  })
  .strict();

const approveSchema = z
  .object({
    note: note(1).optional(),
    columns: z
      .array(z.string().min(1).max(255))
      .min(1, 'must name at least one column')
      .max(1000)
      .refine(
        columns => new Set(columns).size === columns.length,
        'must not repeat a column',
      )
      .optional(),
  })
  .strict();
const rejectSchema = z.object({ note: note(1) }).strict();
const revokeSchema = z.object({ reason: note(1) }).strict();
const withdrawSchema = z.object({ note: note(1).optional() }).strict();

const listSchema = z
  .object({
    tenant: tenantName.optional(),
    side: z.enum(['provider', 'consumer']).optional(),
    status: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === '') return undefined;
        const items = value.split(',').map(item => item.trim());
        const unknown = items.filter(
          item => !STATUSES.includes(item as AccessAgreementStatus),
        );
        if (unknown.length > 0) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `unknown status ${unknown.join(
              ', ',
            )} (one of ${STATUSES.join(', ')})`,
          });
          return z.NEVER;
        }
        return items as AccessAgreementStatus[];
      }),
    product: productRefText.optional(),
    limit: limitParam(500, 100),
  })
  .strict();

const inForceSchema = z.object({ consumer: tenantName }).strict();

function idOf(req: express.Request): string {
  const { id } = req.params;
  if (!AGREEMENT_ID.test(id)) {
    throw new InputError(`Invalid access agreement id '${id.slice(0, 80)}'`);
  }
  return id;
}

function normalizedProduct(ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  return ref.toLocaleLowerCase('en-US').startsWith('dataproduct:')
    ? `dataproduct:${ref.slice('dataproduct:'.length)}`
    : `dataproduct:${ref}`;
}

/** Options of {@link createAgreementsRouter}. */
export interface AgreementsRouterOptions {
  tenancy: TenancyService;
  httpAuth: HttpAuthService;
  service: AgreementsService;
  store: AccessAgreementStore;
}

/**
 * The access agreement routes of the lake backend (`/api/lake/v1/agreements...`): requests by a
 * consumer tenant, decisions by the provider tenant, reads by either party, and the agreements
 * in force for other backend plugins (`GET /v1/agreements/in-force?consumer=`, service
 * principals of plugins only: StarRocks applies the grants).
 *
 * Mounted inside the lake's validated router (`createRouter` of `service/router`), which parses
 * JSON bodies and checks each request against `src/schema/openapi.yaml` first; the checks here
 * are the ones the spec cannot say (trimmed notes, distinct columns, names, times with a zone).
 */
export function createAgreementsRouter(
  options: AgreementsRouterOptions,
): express.Router {
  const { tenancy, httpAuth, service, store } = options;
  const router = Router();

  router.post('/v1/agreements', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const body = parseRequest(requestSchema, req.body, 'body');
    res.status(201).json(await service.request(caller, body));
  });

  router.get('/v1/agreements', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const query = parseRequest(listSchema, req.query, 'query');
    const items = await service.list(caller, {
      ...query,
      product: normalizedProduct(query.product),
    });
    const body: AccessAgreementList = { items };
    res.json(body);
  });

  /**
   * For backend plugins only (StarRocks applies the grants): the agreements in force whose
   * consumer is `consumer`. Users and Akili API tokens are refused (403): the answer is about
   * two tenants and is not any user's to read here.
   */
  router.get('/v1/agreements/in-force', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!credentials.principal.subject.startsWith(PLUGIN_SUBJECT_PREFIX)) {
      throw new NotAllowedError(
        'Only backend plugins may read the agreements in force',
      );
    }
    const { consumer } = parseRequest(inForceSchema, req.query, 'query');
    const body: AccessAgreementList = { items: await store.inForce(consumer) };
    res.json(body);
  });

  router.get('/v1/agreements/:id', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    res.json(await service.get(caller, idOf(req)));
  });

  router.post('/v1/agreements/:id/approve', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const id = idOf(req);
    const body = parseRequest(approveSchema, req.body, 'body');
    res.json(await service.approve(caller, id, body));
  });

  router.post('/v1/agreements/:id/reject', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const id = idOf(req);
    const body = parseRequest(rejectSchema, req.body, 'body');
    res.json(await service.reject(caller, id, body));
  });

  router.post('/v1/agreements/:id/revoke', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const id = idOf(req);
    const body = parseRequest(revokeSchema, req.body, 'body');
    res.json(await service.revoke(caller, id, body));
  });

  router.post('/v1/agreements/:id/withdraw', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const id = idOf(req);
    const body = parseRequest(withdrawSchema, req.body, 'body');
    res.json(await service.withdraw(caller, id, body));
  });

  return router;
}
