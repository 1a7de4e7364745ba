import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  AuthentikTestProvider,
  startAuthentikTestProvider,
} from '@akili/authentik-test-provider';
import request from 'supertest';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import express from 'express';
import authModuleAkiliProvider from './index';

const CALLBACK_URL = 'http://127.0.0.1:7007/api/auth/oidc/handler/frame';

/** Test users, with the claims a default Authentik sends. */
const USERS = {
  jane: {
    username: 'Jane',
    name: 'Jane Doe',
    groups: ['akili-acme-developer', 'staff'],
  },
  root: { groups: ['akili-platform-admins'] },
  sam: { groups: ['akili-globex-developer', 'akili-nowhere-consumer'] },
  mallory: { groups: ['staff'] },
};

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
  let authentik: AuthentikTestProvider;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    // The flow is driven over HTTP: the provider logs in the user named by login_hint.
    authentik = await startAuthentikTestProvider({
      host: '127.0.0.1',
      users: USERS,
      password: 'unused',
      acceptLoginHint: true,
      clients: [
        {
          clientId: 'backstage',
          clientSecret: 'backstage-secret',
          redirectUris: [CALLBACK_URL],
        },
      ],
    });
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
                    metadataUrl: authentik.metadataUrl,
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
    await authentik?.close();
  });

  /** Refreshes the session the way the frontend does, with the cookies of the sign-in. */
  const refresh = (jar: CookieJar) =>
    request(backend.server)
      .get('/api/auth/oidc/refresh')
      .query({ env: 'development' })
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('Cookie', jar.header());

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

    const refreshed = await refresh(jar);
    expect(refreshed.status).toBe(200);
    expect(
      decodeJwtPayload(refreshed.body.backstageIdentity.token).ent,
    ).toEqual(['user:default/jane', 'group:akili/acme.developer']);
  });

  it('signs in a platform admin', async () => {
    const { response, jar } = await signIn('root');
    expect(
      decodeJwtPayload(response.response.backstageIdentity.token).ent,
    ).toEqual(['user:default/root', 'group:akili/platform-admin']);

    const refreshed = await refresh(jar);
    expect(refreshed.status).toBe(200);
    expect(decodeJwtPayload(refreshed.body.backstageIdentity.token).sub).toBe(
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

    const refreshed = await refresh(jar);
    expect(refreshed.status).toBe(401);
  });
});
