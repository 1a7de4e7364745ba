import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  authentikHashedUserId,
  AuthentikTestProvider,
  AuthentikTestUser,
  startAuthentikTestProvider,
} from '@akili/authentik-test-provider';
import request from 'supertest';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import express from 'express';
import authModuleAkiliProvider from './index';
import { userEntityRefFromSubject } from './subject';

const CALLBACK_URL = 'http://127.0.0.1:7007/api/auth/oidc/handler/frame';

/** Test users, with the claims a default Authentik sends (a hashed user id as `sub`). */
const USERS: Record<string, AuthentikTestUser> = {
  jane: {
    username: 'Jane',
    name: 'Jane Doe',
    groups: ['akili-acme-developer', 'staff'],
  },
  root: { groups: ['akili-platform-admins'] },
  sam: { groups: ['akili-globex-developer', 'akili-nowhere-consumer'] },
  mallory: { groups: ['staff'] },
  // Two people whose usernames the former naming turned into one ref (user:default/jane-doe).
  // Display names may be the same too: they are for people, never for rights.
  janedoe1: {
    username: 'Jane Doe',
    name: 'Jane Doe',
    groups: ['akili-acme-operator'],
  },
  janedoe2: {
    username: 'jane-doe',
    name: 'Jane Doe',
    groups: ['akili-initech-consumer'],
  },
};

/** The user entity ref the portal gives a test user: derived from their Authentik subject. */
const refOf = (user: string) =>
  userEntityRefFromSubject(authentikHashedUserId(user))!;

/** The tenant registry's answers: acme and initech active, globex suspended, others unknown. */
const TENANTS: Record<string, string> = {
  acme: 'active',
  globex: 'suspended',
  initech: 'active',
};

/**
 * Stands in for the Akili control plane's tenant registry ({@link TENANTS}). Like the real
 * route, it only answers service callers.
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
          res.json({
            tenants: Object.fromEntries(
              (req.body.tenants as string[]).map(t => [
                t,
                TENANTS[t] ? { status: TENANTS[t] } : null,
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
        // An empty catalog: sign-in must not need anything from it.
        catalogPlugin,
        // Real token handling, so the tokens the auth backend issues are what plugins verify.
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://127.0.0.1:3000' },
            akili: {
              signIn: { guest: { groups: ['akili-acme-developer'] } },
            },
            auth: {
              // Backstage keeps ent out of the token by default (it serves it
              // through userinfo); put it in so the test can read it from the JWT.
              omitIdentityTokenOwnershipClaim: false,
              session: { secret: 'test-session-secret' },
              providers: {
                // Tests do not run with NODE_ENV=development.
                guest: { dangerouslyAllowOutsideDevelopment: true },
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

  /** Signs in as the guest, the way the sign-in page's guest button does. */
  const guestRefresh = () =>
    request(backend.server)
      .get('/api/auth/guest/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');

  /** The claims the auth backend serves for a token (what plugins read when ent is omitted). */
  const userinfo = (token: string) =>
    request(backend.server)
      .get('/api/auth/v1/userinfo')
      .set('Authorization', `Bearer ${token}`);

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

  // First, right after the backend answered: the catalog has read nothing (it has no
  // locations at all), and the guest's token still carries its tenant.
  it('gives the guest its configured tenant role the moment the backend answers, with an empty catalog', async () => {
    const guest = await guestRefresh();
    expect(guest.status).toBe(200);
    const payload = decodeJwtPayload(guest.body.backstageIdentity.token);
    expect(payload.sub).toBe('user:default/guest');
    expect(payload.ent).toEqual([
      'user:default/guest',
      'group:akili/acme.developer',
    ]);
    expect(payload.name).toBe('Guest');
    expect(guest.body.profile).toEqual({ displayName: 'Guest' });

    const catalog = await request(backend.server)
      .get('/api/catalog/entities')
      .set('Authorization', `Bearer ${guest.body.backstageIdentity.token}`);
    expect(catalog.status).toBe(200);
    expect(catalog.body).toEqual([]);
  });

  it('asks the registry again at each guest refresh: a suspended tenant is dropped at once', async () => {
    TENANTS.acme = 'suspended';
    try {
      const refused = await guestRefresh();
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        "Sign-in refused: user 'guest' is only a member of Akili tenants that are suspended or unknown to the tenant registry (acme: suspended)",
      );
    } finally {
      TENANTS.acme = 'active';
    }
    const again = await guestRefresh();
    expect(decodeJwtPayload(again.body.backstageIdentity.token).ent).toEqual([
      'user:default/guest',
      'group:akili/acme.developer',
    ]);
  });

  it('signs in an acme developer as their subject, with the Akili ownership refs and name', async () => {
    const jane = refOf('jane');
    expect(jane).toMatch(/^user:default\/u-[0-9a-f]{40}$/);
    const { response, jar } = await signIn('jane');
    expect(response.error).toBeUndefined();
    const payload = decodeJwtPayload(response.response.backstageIdentity.token);
    expect(payload.sub).toBe(jane);
    expect(payload.ent).toEqual([jane, 'group:akili/acme.developer']);
    expect(payload.name).toBe('Jane Doe');
    expect(
      response.response.backstageIdentity.identity.ownershipEntityRefs,
    ).toEqual([jane, 'group:akili/acme.developer']);
    // The default OIDC profile drops the unverified Authentik email.
    expect(response.response.profile.email).toBeUndefined();
    expect(response.response.profile.displayName).toBe('Jane Doe');

    const refreshed = await refresh(jar);
    expect(refreshed.status).toBe(200);
    expect(
      decodeJwtPayload(refreshed.body.backstageIdentity.token).ent,
    ).toEqual([jane, 'group:akili/acme.developer']);
  });

  it('reads the groups again at each refresh', async () => {
    const jane = refOf('jane');
    const { jar } = await signIn('jane');
    const groups = USERS.jane.groups;
    try {
      USERS.jane.groups = ['akili-initech-operator'];
      const moved = await refresh(jar);
      expect(moved.status).toBe(200);
      expect(decodeJwtPayload(moved.body.backstageIdentity.token).ent).toEqual([
        jane,
        'group:akili/initech.operator',
      ]);

      USERS.jane.groups = ['staff'];
      const removed = await refresh(jar);
      expect(removed.status).toBe(401);
      expect(removed.body.error.cause).toEqual({
        name: 'NotAllowedError',
        message:
          "Sign-in refused: user 'Jane' is not a member of any Akili tenant",
      });
    } finally {
      USERS.jane.groups = groups;
    }
  });

  it('keeps two people whose usernames collide apart: own refs, own tenants, own rights', async () => {
    const one = await signIn('janedoe1');
    const two = await signIn('janedoe2');
    const tokenOne = one.response.response.backstageIdentity.token;
    const tokenTwo = two.response.response.backstageIdentity.token;
    // Backstage keeps the last claims issued per user ref and serves them to plugins (its
    // default omits ent from tokens): the second sign-in must not change the first one's rights.
    const infoOne = await userinfo(tokenOne);
    expect(infoOne.status).toBe(200);
    expect(infoOne.body.claims.ent).toEqual([
      refOf('janedoe1'),
      'group:akili/acme.operator',
    ]);
    expect(infoOne.body.claims.name).toBe('Jane Doe');
    expect((await userinfo(tokenTwo)).body.claims.ent).toEqual([
      refOf('janedoe2'),
      'group:akili/initech.consumer',
    ]);
    expect(decodeJwtPayload(tokenOne).sub).toBe(refOf('janedoe1'));
    expect(decodeJwtPayload(tokenTwo).sub).toBe(refOf('janedoe2'));
    expect(refOf('janedoe1')).not.toBe(refOf('janedoe2'));
  });

  it('signs in a platform admin', async () => {
    const { response, jar } = await signIn('root');
    expect(
      decodeJwtPayload(response.response.backstageIdentity.token).ent,
    ).toEqual([refOf('root'), 'group:akili/platform-admin']);

    const refreshed = await refresh(jar);
    expect(refreshed.status).toBe(200);
    expect(decodeJwtPayload(refreshed.body.backstageIdentity.token).sub).toBe(
      refOf('root'),
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
