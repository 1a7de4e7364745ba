import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import Provider from 'oidc-provider';
import request from 'supertest';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import express from 'express';
import authModuleAkiliProvider from './index';

const CALLBACK_URL = 'http://127.0.0.1:7007/api/auth/oidc/handler/frame';
const ISSUER_PATH = '/application/o/akili';

/** Test users, with the claims a default Authentik sends. */
const USERS: Record<string, Record<string, unknown>> = {
  jane: {
    preferred_username: 'Jane',
    name: 'Jane Doe',
    email: 'jane@example.com',
    email_verified: false,
    groups: ['akili-acme-developer', 'staff'],
  },
  root: {
    preferred_username: 'root',
    email: 'root@example.com',
    email_verified: false,
    groups: ['akili-platform-admins'],
  },
  sam: {
    preferred_username: 'sam',
    email_verified: false,
    groups: ['akili-globex-developer', 'akili-nowhere-consumer'],
  },
  mallory: {
    preferred_username: 'mallory',
    email: 'mallory@example.com',
    email_verified: false,
    groups: ['staff'],
  },
};

/** Starts an in-process OpenID Provider laid out like an Authentik application. */
async function startAuthentik(): Promise<{ server: Server; issuer: string }> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}${ISSUER_PATH}/`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'backstage',
        client_secret: 'backstage-secret',
        redirect_uris: [CALLBACK_URL],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    claims: {
      openid: ['sub'],
      profile: [
        'name',
        'given_name',
        'preferred_username',
        'nickname',
        'groups',
      ],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    cookies: { keys: ['akili-test-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) =>
        `${ISSUER_PATH}/interaction/${interaction.uid}`,
    },
    // Authentik issues refresh tokens for offline_access without a consent prompt.
    issueRefreshToken: async (
      _ctx: unknown,
      client: { grantTypeAllowed(type: string): boolean },
    ) => client.grantTypeAllowed('refresh_token'),
    async findAccount(_ctx: unknown, id: string) {
      const user = USERS[id];
      return user
        ? { accountId: id, claims: async () => ({ sub: id, ...user }) }
        : undefined;
    },
  });

  const callback = provider.callback();
  server.on(
    'request',
    async (req: IncomingMessage & { originalUrl?: string }, res) => {
      const url = req.url ?? '/';
      const interaction = url.match(
        new RegExp(`^${ISSUER_PATH}/interaction/([^/?]+)`),
      );
      if (interaction) {
        try {
          // Logs in the test user named by login_hint and grants the requested scopes.
          const details = await provider.interactionDetails(req, res);
          const accountId = String(details.params.login_hint);
          const grant = new provider.Grant({
            accountId,
            clientId: String(details.params.client_id),
          });
          grant.addOIDCScope(String(details.params.scope));
          const grantId = await grant.save();
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId }, consent: { grantId } },
            { mergeWithLastSubmission: false },
          );
        } catch (error) {
          res.statusCode = 500;
          res.end(String(error));
        }
        return;
      }
      if (url.startsWith(`${ISSUER_PATH}/`)) {
        req.originalUrl = url;
        req.url = url.slice(ISSUER_PATH.length);
        callback(req, res);
        return;
      }
      res.statusCode = 404;
      res.end();
    },
  );
  return { server, issuer };
}

/**
 * Stands in for the Akili control plane's tenant registry: acme is active, globex suspended,
 * anything else unknown. Like the real route, it only answers service callers.
 */
const tenantRegistryPlugin = createBackendPlugin({
  pluginId: 'akili',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.use(express.json());
        router.post('/v1/internal/tenant-status', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['service'] });
          const known: Record<string, string> = {
            acme: 'active',
            globex: 'suspended',
          };
          res.json({
            tenants: Object.fromEntries(
              (req.body.tenants as string[]).map(t => [
                t,
                known[t] ? { status: known[t] } : null,
              ]),
            ),
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

/** A cookie jar shared by both servers, as a browser on 127.0.0.1 would. */
class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(setCookie: string[] | string | undefined) {
    for (const cookie of [setCookie ?? []].flat()) {
      const [pair, ...attributes] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some(attribute => {
        const [key, val] = attribute.trim().split('=');
        return (
          (key.toLowerCase() === 'expires' && Date.parse(val) < Date.now()) ||
          (key.toLowerCase() === 'max-age' && Number(val) <= 0)
        );
      });
      if (expired || value === '') {
        this.#cookies.delete(name);
      } else {
        this.#cookies.set(name, value);
      }
    }
  }

  header() {
    return [...this.#cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }
}

function decodeJwtPayload(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

function readAuthResponse(html: string) {
  const match = html.match(/decodeURIComponent\('([^']*)'\)/);
  if (!match) {
    throw new Error(`No auth response in ${html}`);
  }
  return JSON.parse(decodeURIComponent(match[1]));
}

describe('authModuleAkiliProvider against an Authentik-like OpenID Provider', () => {
  let authentik: { server: Server; issuer: string };
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    authentik = await startAuthentik();
    backend = await startTestBackend({
      features: [
        authPlugin,
        authModuleAkiliProvider,
        tenantRegistryPlugin,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://127.0.0.1:3000' },
            auth: {
              // Backstage keeps ent out of the token by default (it serves it
              // through userinfo); put it in so the test can read it from the JWT.
              omitIdentityTokenOwnershipClaim: false,
              session: { secret: 'test-session-secret' },
              providers: {
                oidc: {
                  development: {
                    metadataUrl: `${authentik.issuer}.well-known/openid-configuration`,
                    clientId: 'backstage',
                    clientSecret: 'backstage-secret',
                    callbackUrl: CALLBACK_URL,
                    prompt: 'auto',
                    additionalScopes: ['offline_access'],
                  },
                },
              },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await new Promise(resolve => authentik?.server.close(resolve));
  });

  /** Runs the popup sign-in flow for a user and returns the frame handler's auth response. */
  async function signIn(user: string) {
    const jar = new CookieJar();
    const start = await request(backend.server)
      .get('/api/auth/oidc/start')
      .query({ env: 'development', login_hint: user });
    expect(start.status).toBe(302);
    jar.store(start.headers['set-cookie']);

    // The authorization URL gets the login_hint, as the frontend would pass it.
    let location = new URL(start.headers.location);
    location.searchParams.set('login_hint', user);
    expect(location.href.startsWith(`${authentik.issuer}`)).toBe(true);

    for (let hop = 0; hop < 10; hop++) {
      if (location.href.startsWith(CALLBACK_URL)) {
        const frame = await request(backend.server)
          .get(`${location.pathname}${location.search}`)
          .set('Cookie', jar.header());
        jar.store(frame.headers['set-cookie']);
        return { response: readAuthResponse(frame.text), jar };
      }
      const res = await fetch(location, {
        redirect: 'manual',
        headers: { cookie: jar.header() },
      });
      jar.store(res.headers.getSetCookie());
      const next = res.headers.get('location');
      if (!next) {
        throw new Error(
          `OP answered ${res.status} without redirect: ${await res.text()}`,
        );
      }
      location = new URL(next, location);
    }
    throw new Error('Too many redirects');
  }

  it('signs in an acme developer with the Akili ownership refs', async () => {
    const { response, jar } = await signIn('jane');
    expect(response.error).toBeUndefined();
    const payload = decodeJwtPayload(response.response.backstageIdentity.token);
    expect(payload.sub).toBe('user:default/jane');
    expect(payload.ent).toEqual([
      'user:default/jane',
      'group:akili/acme.developer',
    ]);
    expect(
      response.response.backstageIdentity.identity.ownershipEntityRefs,
    ).toEqual(['user:default/jane', 'group:akili/acme.developer']);
    // The default OIDC profile drops the unverified Authentik email.
    expect(response.response.profile.email).toBeUndefined();

    const refresh = await request(backend.server)
      .get('/api/auth/oidc/refresh')
      .query({ env: 'development' })
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('Cookie', jar.header());
    expect(refresh.status).toBe(200);
    expect(decodeJwtPayload(refresh.body.backstageIdentity.token).ent).toEqual([
      'user:default/jane',
      'group:akili/acme.developer',
    ]);
  });

  it('signs in a platform admin', async () => {
    const { response, jar } = await signIn('root');
    expect(
      decodeJwtPayload(response.response.backstageIdentity.token).ent,
    ).toEqual(['user:default/root', 'group:akili/platform-admin']);

    const refresh = await request(backend.server)
      .get('/api/auth/oidc/refresh')
      .query({ env: 'development' })
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('Cookie', jar.header());
    expect(refresh.status).toBe(200);
    expect(decodeJwtPayload(refresh.body.backstageIdentity.token).sub).toBe(
      'user:default/root',
    );
  });

  it('refuses a user whose tenants are suspended or unknown to the registry', async () => {
    const { response, jar } = await signIn('sam');
    expect(response.response).toBeUndefined();
    expect(response.error).toEqual({
      name: 'NotAllowedError',
      message:
        "Sign-in refused: user 'sam' is only a member of Akili tenants that are suspended or unknown to the tenant registry (globex: suspended, nowhere: unknown)",
    });
    expect(jar.header()).not.toContain('oidc-refresh-token');
  });

  it('refuses a user without an Akili group and issues no token', async () => {
    const { response, jar } = await signIn('mallory');
    expect(response.response).toBeUndefined();
    expect(response.error).toEqual({
      name: 'NotAllowedError',
      message:
        "Sign-in refused: user 'mallory' is not a member of any Akili tenant",
    });
    expect(jar.header()).not.toContain('oidc-refresh-token');

    const refresh = await request(backend.server)
      .get('/api/auth/oidc/refresh')
      .query({ env: 'development' })
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('Cookie', jar.header());
    expect(refresh.status).toBe(401);
  });
});
