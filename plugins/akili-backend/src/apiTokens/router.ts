import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  AkiliApiTokenList,
  akiliTenantOperatePermission,
  CreatedAkiliApiToken,
  MAX_AKILI_API_TOKEN_DAYS,
} from '@akili/plugin-akili-common';
import {
  AkiliApiTokensConfig,
  hashAkiliApiToken,
  newAkiliApiTokenId,
  signAkiliApiToken,
  TenancyService,
} from '@akili/plugin-akili-node';
import { z } from 'zod';
import { parseInput } from '../tenants/validation';
import { ApiTokenStore } from './ApiTokenStore';
import { grantableApiTokenPermissions } from './permissions';

const createTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    permissions: z.array(z.string().min(1).max(100)).min(1).max(50),
    expiresInDays: z.number().int().min(1).max(MAX_AKILI_API_TOKEN_DAYS),
  })
  .strict();

const tokenStatusSchema = z
  .object({ ids: z.array(z.string().max(200)).max(100) })
  .strict();

/** Only backend plugins may call the internal routes, never a token of a tenant or an outsider. */
const PLUGIN_SUBJECT_PREFIX = 'plugin:';
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the API token router needs. */
export interface ApiTokensRouterOptions {
  httpAuth: HttpAuthService;
  tenancy: TenancyService;
  logger: LoggerService;
  store: ApiTokenStore;
  /** `akili.apiTokens`; without it tokens are not issued (503). */
  config: AkiliApiTokensConfig | undefined;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * The API token routes of the control plane:
 *
 * - `GET /v1/tenants/:tenant/api-tokens`, `POST` (issue; the secret is in this answer only) and
 *   `DELETE .../:id` (revoke): people holding `akili.tenant.operate` in the tenant (its operators
 *   and platform admins), through the one authorization path; a token never manages tokens. A
 *   token may hold only permissions the issuer's roles grant in the tenant.
 * - `POST /v1/internal/api-tokens/status`: the grants of active tokens, for the API token
 *   resolver of every Akili plugin; backend plugins only.
 */
export function createApiTokensRouter(
  options: ApiTokensRouterOptions,
): express.Router {
  const { httpAuth, tenancy, logger, store } = options;
  const now = options.now ?? (() => new Date());
  // Bodies are read (JSON, 16 kB) and checked against the spec by the plugin's router.
  const router = Router();

  /** The caller, allowed to manage the tenant's tokens: a person operating the tenant. */
  async function manager(req: express.Request) {
    const authorization = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliTenantOperatePermission,
    });
    if (authorization.principal.type !== 'user') {
      throw new NotAllowedError(
        `${authorization.actorRef} may not manage API tokens: only people operating the tenant may`,
      );
    }
    return authorization;
  }

  router.get('/v1/tenants/:tenant/api-tokens', async (req, res) => {
    const { tenant, principal } = await manager(req);
    const body: AkiliApiTokenList = {
      items: await store.list(tenant),
      grantablePermissions: grantableApiTokenPermissions(principal, tenant),
    };
    res.json(body);
  });

  router.post('/v1/tenants/:tenant/api-tokens', async (req, res) => {
    const { tenant, principal, actorRef } = await manager(req);
    const request = parseInput(createTokenSchema, req.body);
    const grantable = grantableApiTokenPermissions(principal, tenant);
    const refused = request.permissions.filter(p => !grantable.includes(p));
    if (refused.length > 0) {
      throw new NotAllowedError(
        `${actorRef} may not put ${refused.join(
          ', ',
        )} in an API token of tenant '${tenant}': grantable are ${
          grantable.join(', ') || 'none'
        }`,
      );
    }
    if (!options.config) {
      throw new ServiceUnavailableError(
        'API tokens are not configured on this portal (akili.apiTokens.secret)',
      );
    }
    const id = newAkiliApiTokenId(tenant);
    const expiresAt = new Date(
      now().getTime() + request.expiresInDays * DAY_MS,
    );
    const secret = signAkiliApiToken(options.config.secrets[0], {
      id,
      expiresAt,
    });
    const token = await store.create(tenant, {
      id,
      tokenHash: hashAkiliApiToken(secret),
      name: request.name,
      permissions: [...new Set(request.permissions)].sort(),
      expiresAt,
      createdBy: actorRef,
    });
    logger.info('Issued Akili API token', {
      tenant,
      tokenId: id,
      actor: actorRef,
      permissions: token.permissions.join(','),
    });
    const body: CreatedAkiliApiToken = { token, secret };
    res.status(201).json(body);
  });

  router.delete('/v1/tenants/:tenant/api-tokens/:id', async (req, res) => {
    const { tenant, actorRef } = await manager(req);
    const token = await store.revoke(tenant, req.params.id, actorRef);
    logger.info('Revoked Akili API token', {
      tenant,
      tokenId: token.id,
      actor: actorRef,
    });
    res.json(token);
  });

  /** For the API token resolver of every Akili plugin: the grants of active tokens. */
  router.post('/v1/internal/api-tokens/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!credentials.principal.subject.startsWith(PLUGIN_SUBJECT_PREFIX)) {
      throw new NotAllowedError(
        'Only backend plugins may ask for API token grants',
      );
    }
    const { ids } = parseInput(tokenStatusSchema, req.body);
    res.json({ tokens: await store.grants(ids) });
  });

  return router;
}
