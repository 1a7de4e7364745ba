import { SweepFixture } from '../fixtures';
import { AGREEMENT_PEER_TENANT, PEER_PORTS } from '../lake';
import { RouteEntry, json } from './types';

const productParams = (t: SweepFixture) => ({
  namespace: t.tenant,
  name: t.lakeProduct,
});
const portParams = (t: SweepFixture) => ({
  ...productParams(t),
  port: t.lakePort,
});
const agreement =
  (which: keyof SweepFixture['agreements']) => (t: SweepFixture) => ({
    id: t.agreements[which],
  });

/**
 * The lake plugin's routes (`lake`): the files of the tenants' lake fixture products (a file in
 * a files port, on the test Ceph RGW: lake.ts), storage use, and the access agreements between
 * each sweep tenant and a tenant outside the sweep (an agreement between the two sweep tenants
 * is legitimately visible to both).
 */
export const LAKE_ROUTES: Record<string, RouteEntry> = {
  // The plugin's OpenAPI spec: the same for everyone signed in.
  'GET /api/lake/openapi.json': { own: 200 },
  'GET /api/lake/v1/products/:namespace/:name/ports': {
    params: productParams,
    own: 200,
  },
  'GET /api/lake/v1/products/:namespace/:name/ports/:port/objects': {
    params: portParams,
    own: 200,
  },
  'GET /api/lake/v1/products/:namespace/:name/ports/:port/preview': {
    params: portParams,
    query: t => ({ path: t.lakeFile }),
    own: 200,
    // The file was read, and its confidential column is masked for a consumer only.
    check: (answer, role) => {
      const { columns, rows } = JSON.parse(answer.text) as {
        columns?: Array<{ name: string; masked: boolean }>;
        rows?: unknown[][];
      };
      const note = columns?.find(c => c.name === 'note');
      if (!note || rows?.length !== 2) {
        return `not the fixture's file (columns id, note; 2 rows): ${answer.text.slice(
          0,
          200,
        )}`;
      }
      const masked = role === 'consumer';
      const values = rows.map(r => r[columns!.indexOf(note)]);
      if (note.masked !== masked || values.some(v => (v === null) !== masked)) {
        return `the confidential column 'note' is ${
          note.masked ? '' : 'not '
        }masked for a ${role}: ${JSON.stringify(values)}`;
      }
      return undefined;
    },
  },
  'POST /api/lake/v1/products/:namespace/:name/ports/:port/download': {
    params: portParams,
    body: t => json({ path: t.lakeFile }),
    own: 200,
    consumer: 403,
    why: 'downloads (akili.lake.download) are for developers and operators: a presigned URL hands out the whole file, unmasked',
  },
  'GET /api/lake/v1/tenants/:tenant/usage': {
    params: t => ({ tenant: t.tenant }),
    own: 200,
    consumer: 403,
    why: "a tenant's storage use (akili.lake.usage.read) is for its operators",
  },
  // Every tenant whose usage the caller may read: none for a consumer (an empty list).
  'GET /api/lake/v1/usage': { own: 200 },

  'GET /api/lake/v1/agreements': {
    cases: [
      { name: 'one tenant', query: t => ({ tenant: t.tenant }), own: 200 },
      { name: "the caller's tenants", own: 200 },
    ],
  },
  'POST /api/lake/v1/agreements': {
    // The tenant asks for a port of the tenant outside the sweep.
    body: t =>
      json({
        provider: {
          product: `dataproduct:${AGREEMENT_PEER_TENANT}/${t.lakeProduct}`,
          port: PEER_PORTS.request,
        },
        consumer: { tenant: t.tenant },
        purpose: `Sweep request of ${t.tenant}`,
        columns: ['id'],
        until: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
      }),
    destructive: true,
    consumer: 201,
    own: 409,
    why: "a tenant has one open request per port: the tenant's consumer asks first (destructive cases run consumers first), so its developer's request is refused as a duplicate",
  },
  'GET /api/lake/v1/agreements/in-force': {
    query: t => ({ consumer: t.tenant }),
    own: 403,
    why: 'the agreements in force are for backend plugins only (StarRocks applies them); users are refused',
  },
  'GET /api/lake/v1/agreements/:id': {
    params: agreement('revoke'),
    own: 200,
  },
  'POST /api/lake/v1/agreements/:id/approve': {
    params: agreement('approve'),
    body: () => json({ note: 'Sweep approval' }),
    destructive: true,
    own: 200,
    consumer: 403,
    why: 'the provider tenant decides (akili.access.decide: developers and operators)',
  },
  'POST /api/lake/v1/agreements/:id/reject': {
    params: agreement('reject'),
    body: () => json({ note: 'Sweep rejection' }),
    destructive: true,
    own: 200,
    consumer: 403,
    why: 'the provider tenant decides (akili.access.decide: developers and operators)',
  },
  'POST /api/lake/v1/agreements/:id/revoke': {
    params: agreement('revoke'),
    body: () => json({ reason: 'Sweep revocation' }),
    destructive: true,
    own: 200,
    consumer: 403,
    why: "the provider revokes (akili.access.decide); a provider's consumer is no party of the consumer side either",
  },
  'POST /api/lake/v1/agreements/:id/withdraw': {
    params: agreement('withdraw'),
    body: () => json({ note: 'Sweep withdrawal' }),
    destructive: true,
    consumer: 200,
    own: 409,
    why: "the consumer tenant withdraws its request (akili.access.request, every role): the tenant's consumer withdraws first (destructive cases run consumers first), so the request is no longer open for its developer",
  },
};
