import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import {
  componentNameOf,
  manifestOf,
  SweepFixture,
  sweepMarker,
  TENANT_A,
  TENANT_B,
  TenantFixture,
} from './fixtures';
import { poll, send } from './harness';
import {
  AGREEMENT_PEER_TENANT,
  PEER_PORTS,
  PROVIDER_PORTS,
  SweepLake,
} from './lake';
import { repoRoot } from './paths';
import { SweepPeers } from './peers';
import { json } from './routeTable';
import { AuthProbe, SweepUser } from './sweepBackend';
import { issueUserToken } from './tokens';

/** A sweep user and the tenant they belong to. */
export interface Viewer {
  user: SweepUser;
  role: 'member' | 'consumer';
  own: string;
  other: string;
}

/**
 * The users whose calls the sweep checks: alice (developer and operator) and carol (consumer)
 * of acme, bob and dave of globex. None is a platform admin.
 */
export const VIEWERS: Viewer[] = [
  {
    user: 'alice',
    role: 'member',
    own: TENANT_A.tenant,
    other: TENANT_B.tenant,
  },
  {
    user: 'carol',
    role: 'consumer',
    own: TENANT_A.tenant,
    other: TENANT_B.tenant,
  },
  { user: 'bob', role: 'member', own: TENANT_B.tenant, other: TENANT_A.tenant },
  {
    user: 'dave',
    role: 'consumer',
    own: TENANT_B.tenant,
    other: TENANT_A.tenant,
  },
];

/** The developer of each fixture tenant: who creates the tenant's task, gets its notification. */
const DEVELOPER: Record<string, SweepUser> = { acme: 'alice', globex: 'bob' };

/** Everything the sweep's checks need from a running backend. */
export interface SweepRun {
  server: Server;
  probe: AuthProbe;
  peers: SweepPeers;
  tokens: Record<SweepUser, string>;
  fixtures: Record<string, SweepFixture>;
  /**
   * The secret of an API token of each tenant that the route sweep leaves alone (not the fixture
   * `apiTokenId`, which its revoke case revokes).
   */
  apiTokenSecrets: Record<string, string>;
}

/** The tenant's example data products, and its lake fixture product (lake.ts). */
const productCount = (tenant: string) =>
  fs.readdirSync(path.join(repoRoot, 'examples/data-products', tenant)).length +
  1;

/**
 * Issues the users' tokens, waits for the catalog to hold the example data and the shared
 * org, and creates what the sweep's calls name: a location per tenant (registered by a
 * platform admin), a scaffolder task and a notification of each tenant's developer, a user
 * setting.
 */
export async function prepareSweep(started: {
  server: Server;
  probe: AuthProbe;
  peers: SweepPeers;
  lake: SweepLake;
}): Promise<SweepRun> {
  const { server, probe, peers, lake } = started;
  const users: SweepUser[] = ['alice', 'bob', 'carol', 'dave', 'root', 'ivan'];
  const tokens = {} as Record<SweepUser, string>;
  for (const user of users) tokens[user] = await issueUserToken(server, user);
  const as = (user: SweepUser) => `Bearer ${tokens[user]}`;
  const get = async (user: SweepUser, url: string) =>
    send(server, { method: 'GET', url }, as(user));

  const fixtures: Record<string, SweepFixture> = {};
  const apiTokenSecrets: Record<string, string> = {};
  const post = async (
    user: SweepUser,
    url: string,
    data: object,
    expected: number,
  ) => {
    const res = await send(
      server,
      { method: 'POST', url, body: json(data) },
      as(user),
    );
    if (res.status !== expected) {
      throw new Error(
        `${user}: POST ${url}: ${res.status} (not ${expected}) ${res.text}`,
      );
    }
    return JSON.parse(res.text) as { id: string };
  };
  const until = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
  const agreementRequest = (
    provider: string,
    port: string,
    consumer: string,
  ) => ({
    provider: { product: provider, port },
    consumer: { tenant: consumer },
    purpose: `Sweep fixture agreement (${sweepMarker(consumer)})`,
    columns: ['id'],
    until,
  });
  // The lake products (the sweep tenants' and the agreement peer's), before any agreement names
  // them.
  await poll(
    `the lake fixture product of ${AGREEMENT_PEER_TENANT}`,
    async () => {
      const res = await get(
        'ivan',
        `/api/catalog/entities/by-name/dataproduct/${AGREEMENT_PEER_TENANT}/${TENANT_A.lakeProduct}`,
      );
      return res.status === 200 || undefined;
    },
  );
  await Promise.all(
    [TENANT_A, TENANT_B].map(async (t: TenantFixture) => {
      const developer = DEVELOPER[t.tenant];
      const gitlabProject = peers.gitlabProjectUrl(t);
      // Every example data product of the tenant, as its members see them.
      await poll(`the data products of ${t.tenant}`, async () => {
        const res = await get(
          developer,
          `/api/catalog/entities/by-query?filter=kind=dataproduct,metadata.namespace=${t.tenant}&limit=100`,
        );
        return (
          (res.status === 200 &&
            JSON.parse(res.text).totalItems === productCount(t.tenant)) ||
          undefined
        );
      });
      // The shared org (examples/all.yaml), which every signed-in user may read.
      await poll(`the shared group default/${t.tenant}`, async () => {
        const res = await get(
          developer,
          `/api/catalog/entities/by-name/group/default/${t.tenant}`,
        );
        return res.status === 200 || undefined;
      });
      const product = await get(
        developer,
        `/api/catalog/entities/by-name/dataproduct/${t.tenant}/${t.product}`,
      );
      const productUid = JSON.parse(product.text).metadata.uid as string;

      // The tenant's GitLab project as a location, as a platform admin registers it.
      const location = await send(
        server,
        {
          method: 'POST',
          url: '/api/catalog/locations',
          body: json({
            type: 'url',
            target: `${gitlabProject}/-/blob/main/catalog-info.yaml`,
          }),
        },
        as('root'),
      );
      if (location.status !== 201) {
        throw new Error(
          `A platform admin could not register ${t.tenant}'s location: ${location.status} ${location.text}`,
        );
      }
      const locationId = JSON.parse(location.text).location.id as string;
      const componentName = componentNameOf(t);
      const componentUid = await poll(
        `the component of ${t.tenant}'s location`,
        async () => {
          const res = await get(
            developer,
            `/api/catalog/entities/by-name/component/${t.tenant}/${componentName}`,
          );
          return res.status === 200
            ? (JSON.parse(res.text).metadata.uid as string)
            : undefined;
        },
      );

      // A task of the tenant's template, run to the end by its developer.
      await poll(`the template of ${t.tenant}`, async () => {
        const res = await get(
          developer,
          `/api/catalog/entities/by-name/template/${t.tenant}/${t.template}`,
        );
        return res.status === 200 || undefined;
      });
      const task = await send(
        server,
        {
          method: 'POST',
          url: '/api/scaffolder/v2/tasks',
          body: json({
            templateRef: `template:${t.tenant}/${t.template}`,
            values: { name: 'sweep' },
          }),
        },
        as(developer),
      );
      if (task.status !== 201) {
        throw new Error(
          `${developer} could not run ${t.tenant}'s template: ${task.status} ${task.text}`,
        );
      }
      const taskId = JSON.parse(task.text).id as string;
      let lastSeen = '';
      await poll(
        () => `the task of ${t.tenant} (last seen: ${lastSeen})`,
        async () => {
          const res = await get(
            developer,
            `/api/scaffolder/v2/tasks/${taskId}`,
          );
          lastSeen = `${res.status} ${res.text.slice(0, 300)}`;
          const status = JSON.parse(res.text).status;
          return ['completed', 'failed'].includes(status) || undefined;
        },
      );

      // A notification to the tenant's developer, as a backend plugin sends it.
      const notification = await send(
        server,
        {
          method: 'POST',
          url: '/api/notifications/notifications',
          body: json({
            recipients: {
              type: 'entity',
              entityRef: `user:default/${developer}`,
            },
            payload: {
              title: `Run failed (${sweepMarker(t.tenant)})`,
              link: `/catalog/${t.tenant}/dataproduct/${t.product}`,
            },
          }),
        },
        `Bearer ${await probe.serviceToken('notifications')}`,
      );
      const sent = JSON.parse(notification.text);
      if (notification.status !== 200 || !sent[0]?.id) {
        throw new Error(
          `Could not notify ${developer}: ${notification.status} ${notification.text}`,
        );
      }

      // A user setting of the tenant's developer.
      const setting = await send(
        server,
        {
          method: 'PUT',
          url: `/api/user-settings/buckets/sweep/keys/${t.tenant}/${t.product}`,
          body: json({ value: sweepMarker(t.tenant) }),
        },
        as(developer),
      );
      if (setting.status !== 200) {
        throw new Error(
          `${developer} could not store a setting: ${setting.status} ${setting.text}`,
        );
      }

      // An API token of the tenant, as its operator issues one.
      const issued = await send(
        server,
        {
          method: 'POST',
          url: `/api/akili/v1/tenants/${t.tenant}/api-tokens`,
          body: json({
            name: 'sweep',
            permissions: ['akili.runs.read', 'akili.product.read'],
            expiresInDays: 1,
          }),
        },
        as(developer),
      );
      if (issued.status !== 201) {
        throw new Error(
          `${developer} could not issue an API token of ${t.tenant}: ${issued.status} ${issued.text}`,
        );
      }
      const { token: apiToken } = JSON.parse(issued.text);
      // A second token for the token test: the route sweep revokes the first one (its DELETE
      // route), and a revoked token stops working once the plugins' grant cache (30 s) expires,
      // which a longer sweep outlasts.
      const reader = await send(
        server,
        {
          method: 'POST',
          url: `/api/akili/v1/tenants/${t.tenant}/api-tokens`,
          body: json({
            name: 'sweep-reader',
            permissions: ['akili.runs.read', 'akili.product.read'],
            expiresInDays: 1,
          }),
        },
        as(developer),
      );
      if (reader.status !== 201) {
        throw new Error(
          `${developer} could not issue a second API token of ${t.tenant}: ${reader.status} ${reader.text}`,
        );
      }
      apiTokenSecrets[t.tenant] = JSON.parse(reader.text).secret;

      // The product in the control plane's registry, as its developer submits it.
      const registered = await send(
        server,
        {
          method: 'POST',
          url: `/api/akili/v1/tenants/${t.tenant}/products`,
          body: { contentType: 'application/yaml', data: manifestOf(t) },
        },
        as(developer),
      );
      if (registered.status !== 201) {
        throw new Error(
          `${developer} could not register ${t.product} in ${t.tenant}: ${registered.status} ${registered.text}`,
        );
      }

      // A deployment of it, as its developer starts one (a pipeline of the tenant's project).
      const deployed = await send(
        server,
        {
          method: 'POST',
          url: `/api/akili/v1/tenants/${t.tenant}/products/${t.product}/deploy`,
        },
        as(developer),
      );
      if (deployed.status !== 202) {
        throw new Error(
          `${developer} could not deploy ${t.product} in ${t.tenant}: ${deployed.status} ${deployed.text}`,
        );
      }

      // Access agreements with a tenant outside the sweep, one per decision the routes make:
      // requested of the tenant (approve, reject), approved by it (revoke), requested by it
      // (withdraw).
      const lakeProduct = `dataproduct:${t.tenant}/${t.lakeProduct}`;
      await poll(`the lake fixture product of ${t.tenant}`, async () => {
        const res = await get(
          developer,
          `/api/catalog/entities/by-name/dataproduct/${t.tenant}/${t.lakeProduct}`,
        );
        return res.status === 200 || undefined;
      });
      const requestOf = (port: string) =>
        post(
          'ivan',
          '/api/lake/v1/agreements',
          agreementRequest(lakeProduct, port, AGREEMENT_PEER_TENANT),
          201,
        );
      const approve = await requestOf(PROVIDER_PORTS.approve);
      const reject = await requestOf(PROVIDER_PORTS.reject);
      const revoke = await requestOf(PROVIDER_PORTS.revoke);
      await post(
        developer,
        `/api/lake/v1/agreements/${revoke.id}/approve`,
        { note: 'Sweep fixture' },
        200,
      );
      const withdraw = await post(
        developer,
        '/api/lake/v1/agreements',
        agreementRequest(
          `dataproduct:${AGREEMENT_PEER_TENANT}/${t.lakeProduct}`,
          PEER_PORTS.withdraw,
          t.tenant,
        ),
        201,
      );

      fixtures[t.tenant] = {
        ...t,
        lakeBucket: lake.buckets[t.tenant],
        agreements: {
          approve: approve.id,
          reject: reject.id,
          revoke: revoke.id,
          withdraw: withdraw.id,
        },
        marker: sweepMarker(t.tenant),
        productUid,
        componentUid,
        componentName,
        locationId,
        taskId,
        notificationId: sent[0].id,
        gitlabProject,
        kubeNamespace: peers.namespaceOf(t.tenant),
        apiTokenId: apiToken.id,
        pushEvent: peers.pushEventOf(t),
        developer,
        manifest: manifestOf(t),
        deploymentId: JSON.parse(deployed.text).id,
      };
    }),
  );
  return { server, probe, peers, tokens, fixtures, apiTokenSecrets };
}
