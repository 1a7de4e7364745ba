import {
  missingIn,
  NO_TENANT,
  normalize,
  SweepFixture,
  TENANT_A,
  TENANT_B,
} from './fixtures';
import {
  Answer,
  inParallel,
  requestText,
  retried,
  send,
  SweptRoute,
} from './harness';
import { Problem } from './knownOpen';
import { findLeaks, TenantMarkers, tenantMarkers } from './markers';
import { requestFor, RouteCase, SweepRequest } from './routeTable';
import { SweepRun, Viewer, VIEWERS } from './setup';
import {
  foreignOidcToken,
  withForgedSignature,
  withTamperedPayload,
} from './tokens';

/** How many calls the sweep makes at a time. */
const PARALLEL_CALLS = 8;

/** Who calls: a sweep user, or a tenant's API token (with the viewpoint of its tenant). */
interface Caller {
  caller: string;
  viewer: Viewer;
  authorization: string;
}

/** One case of one swept route. */
interface SweptCase {
  route: SweptRoute;
  c: RouteCase;
}

function casesOf(routes: SweptRoute[]): SweptCase[] {
  return routes.flatMap(route => route.cases.map(c => ({ route, c })));
}

/** What a tenant's data looks like to a viewer: its markers, with the tenant's sweep data. */
export function markersFor(
  run: SweepRun,
  tenant: string,
  viewer: string | undefined,
): TenantMarkers {
  const f = run.fixtures[tenant];
  const data = run.peers.data[tenant];
  return tenantMarkers(tenant, viewer, [
    f.marker,
    f.productUid,
    f.componentUid,
    f.locationId,
    f.taskId,
    f.notificationId,
    f.apiTokenId,
    f.lakeBucket,
    ...Object.values(f.agreements),
    run.apiTokenSecrets[tenant],
    data.secret,
    // What an error quotes of the file, and the file as a dry run returns it (base64).
    data.secret.slice(0, 10),
    Buffer.from(data.secret).toString('base64').replace(/=+$/, ''),
    ...data.runIds,
    ...data.kubeUids,
    ...data.argocdRevisions,
  ]);
}

const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g;

/** An answer as compared across tenants: status and body with the fixture's values replaced. */
function shape(answer: Answer, t: SweepFixture): string {
  const text = normalize(answer.text, t).replace(ISO_TIME, '<time>');
  return `${answer.status} ${text}`;
}

/**
 * What a request asks for: its text, and the refs (`<tenant>/<name>`) of the fixture's
 * resources it names in any form (an answer may write `template:acme/sweep-template` for a
 * request to `/templates/acme/template/sweep-template`).
 */
function asked(req: SweepRequest, t: SweepFixture): string {
  const text = requestText(req);
  const refs = [t.product, t.template, t.componentName, t.port, t.lakeProduct]
    .filter(name => text.includes(name))
    .map(name => `${t.tenant}/${name}`);
  return [text, ...refs].join('\n');
}

/** Where each leaked marker shows in an answer (the first few). */
function leakContext(text: string, leaks: string[]): string {
  return leaks
    .slice(0, 3)
    .map(marker => {
      const at = text.indexOf(marker);
      if (at < 0) return `  ${marker}`;
      const from = Math.max(0, at - 100);
      return `  ${marker} in ...${text
        .slice(from, at + marker.length + 60)
        .replace(/\s+/g, ' ')}...`;
    })
    .join('\n');
}

const snippet = (text: string) =>
  text.length > 400 ? `${text.slice(0, 400)}...` : text;

function label(req: SweepRequest) {
  return `${req.method} ${req.url}`;
}

/**
 * Calls every case as every viewer: with the viewer's own tenant's resources (the status the
 * table says, no data of the other tenant), and, when the call names tenant resources, with
 * the other tenant's and with missing ones (403 or 404, answered exactly like the missing
 * ones, no data of the other tenant). Destructive cases run last: the other tenant's users
 * first, while the resource is there.
 */
export async function sweepIsolation(
  run: SweepRun,
  routes: SweptRoute[],
): Promise<{ problems: Problem[]; calls: number; tenantScoped: number }> {
  const problems: Problem[] = [];
  let calls = 0;
  const scoped = new Set<string>();
  // An API token of each tenant (held by a CLI or a CI job) calls too, with the other
  // tenant's resources: refused (401 where a plugin takes no API tokens), like missing ones.
  const tokenCallers = VIEWERS.filter(v => v.role === 'member').map(v => ({
    caller: `${v.own}'s API token`,
    viewer: v,
    authorization: `Bearer ${run.apiTokenSecrets[v.own]}`,
  }));
  const callers: Caller[] = [
    ...VIEWERS.map(v => ({
      caller: v.user,
      viewer: v,
      authorization: `Bearer ${run.tokens[v.user]}`,
    })),
    ...tokenCallers,
  ];
  const markers = Object.fromEntries(
    VIEWERS.map(v => [v.own, markersFor(run, v.other, v.own)]),
  );
  const call = async (req: SweepRequest, k: Caller) => {
    calls++;
    return send(run.server, req, k.authorization);
  };
  const problem = (
    { route, c }: SweptCase,
    k: Caller,
    kind: Problem['kind'],
    detail: string,
  ) =>
    problems.push({
      route: route.key,
      case: c.name,
      kind,
      caller: k.caller,
      detail,
    });

  const own = async (sc: SweptCase, k: Caller) => {
    const v = k.viewer;
    const { route, c } = sc;
    const mine = run.fixtures[v.own];
    const req = requestFor(route, c, mine);
    let answer = await call(req, k);
    const expected = v.role === 'consumer' ? c.consumer ?? c.own : c.own;
    if (answer.status !== expected && c.transient?.answer.test(answer.text)) {
      retried.push(`${label(req)}: ${c.transient.why}`);
      await new Promise(resolve => setTimeout(resolve, 2000));
      answer = await call(req, k);
    }
    if (answer.status !== expected) {
      problem(
        sc,
        k,
        'own-status',
        `${label(req)}: ${answer.status}, the table says ${expected}: ${snippet(
          answer.text,
        )}`,
      );
    }
    const checked = c.check?.(answer, v.role);
    if (checked) problem(sc, k, 'check', `${label(req)}: ${checked}`);
    const leaks = findLeaks(answer.text, markers[v.own], asked(req, mine));
    if (leaks.length) {
      problem(
        sc,
        k,
        'leak',
        `${label(req)}: ${answer.status} with ${v.other} data ${leaks.join(
          ', ',
        )}\n${leakContext(answer.text, leaks)}`,
      );
    }
  };

  const cross = async (sc: SweptCase, k: Caller) => {
    const v = k.viewer;
    const { route, c } = sc;
    const theirs = run.fixtures[v.other];
    const req = requestFor(route, c, theirs);
    if (
      JSON.stringify(req) ===
      JSON.stringify(requestFor(route, c, run.fixtures[v.own]))
    ) {
      return; // The call names no tenant's resources: the own call covers it.
    }
    scoped.add(`${route.path} ${c.name ?? ''}`);
    const missing = [missingIn(theirs), missingIn(theirs, NO_TENANT)];
    const missingReqs = missing.map(m => requestFor(route, c, m));
    const [answer, ...missingAnswers] = await Promise.all([
      call(req, k),
      ...missingReqs.map(m => call(m, k)),
    ]);
    for (const [r, a, f] of [
      [req, answer, theirs],
      ...missingReqs.map((m, i) => [m, missingAnswers[i], missing[i]] as const),
    ] as const) {
      const leaks = findLeaks(a.text, markers[v.own], asked(r, f));
      if (leaks.length) {
        problem(
          sc,
          k,
          'leak',
          `${label(r)}: ${a.status} with ${v.other} data ${leaks.join(
            ', ',
          )}\n${leakContext(a.text, leaks)}`,
        );
      }
    }
    if (c.leaksOnly) return;
    const theirShape = shape(answer, theirs);
    const differing = missingAnswers
      .map((a, i) => ({
        a,
        req: missingReqs[i],
        shape: shape(a, missing[i]),
      }))
      .filter(m => m.shape !== theirShape);
    if (differing.length) {
      problem(
        sc,
        k,
        'distinguishable',
        [
          `${label(req)} (${v.other}'s) is answered unlike missing resources:`,
          `  theirs:  ${snippet(theirShape)}`,
          ...differing.map(
            m => `  missing: ${snippet(m.shape)} (${label(m.req)})`,
          ),
        ].join('\n'),
      );
    }
    const indistinguishable2xx = answer.status < 300 && differing.length === 0;
    const accepted = [
      403,
      404,
      c.missingStatus?.status,
      // A plugin that takes no API tokens refuses them as it refuses no credentials.
      ...(tokenCallers.includes(k) ? [401] : []),
    ];
    if (!accepted.includes(answer.status) && !indistinguishable2xx) {
      problem(
        sc,
        k,
        'cross-status',
        `${label(req)} (${v.other}'s): ${
          answer.status
        }, not 403 or 404: ${snippet(answer.text)}`,
      );
    }
  };

  const all = casesOf(routes);
  const reads = all.filter(sc => !sc.c.destructive);
  const writes = all.filter(sc => sc.c.destructive);
  const users = callers.filter(k => !tokenCallers.includes(k));
  const pairs = (list: SweptCase[], of: Caller[]) =>
    list.flatMap(sc => of.map(k => ({ sc, k })));
  await inParallel(pairs(reads, callers), PARALLEL_CALLS, async ({ sc, k }) => {
    await Promise.all([
      ...(users.includes(k) ? [own(sc, k)] : []),
      cross(sc, k),
    ]);
  });
  // Destructive cases: refused for the other tenant while the resource is there, then the
  // tenant's own users (consumers before developers and operators, who may remove it).
  await inParallel(pairs(writes, callers), PARALLEL_CALLS, ({ sc, k }) =>
    cross(sc, k),
  );
  const ordered = [...users].sort(
    (a, b) =>
      Number(a.viewer.role === 'member') - Number(b.viewer.role === 'member'),
  );
  for (const k of ordered) {
    await inParallel(writes, PARALLEL_CALLS, sc => own(sc, k));
  }
  return { problems, calls, tenantScoped: scoped.size };
}

/**
 * Calls every case without valid credentials: no token, malformed ones, a user token with a
 * tampered payload or a forged signature, plugin-to-plugin tokens for another plugin, and an
 * identity provider's ID token. Each must get 401, except the routes the table says answer
 * without credentials on purpose: those get their status without a token, and their answer
 * carries no tenant's data.
 */
export async function sweepUnauthenticated(
  run: SweepRun,
  routes: SweptRoute[],
  authorizations: Array<string | undefined>,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const anonymous = [TENANT_A, TENANT_B].map(t =>
    markersFor(run, t.tenant, undefined),
  );
  await inParallel(casesOf(routes), PARALLEL_CALLS, async ({ route, c }) => {
    const req = requestFor(route, c, run.fixtures[TENANT_A.tenant]);
    const report = (detail: string) =>
      problems.push({
        route: route.key,
        case: c.name,
        kind: 'unauthenticated',
        caller: 'anonymous',
        detail,
      });
    if (c.anonymous) {
      const answer = await send(run.server, req);
      if (answer.status !== c.anonymous.status) {
        report(
          `${label(req)} without a token: ${answer.status}, the table says ${
            c.anonymous.status
          } (${c.anonymous.why})`,
        );
      }
      const leaks = anonymous.flatMap(m =>
        findLeaks(answer.text, m, requestText(req)),
      );
      if (leaks.length) {
        report(
          `${label(req)} without a token: tenant data ${leaks.join(', ')}`,
        );
      }
      return;
    }
    const refused: string[] = [];
    for (const authorization of authorizations) {
      const answer = await send(run.server, req, authorization);
      if (answer.status !== 401) {
        refused.push(
          `${describe(authorization)}: ${answer.status} ${snippet(
            answer.text,
          )}`,
        );
      }
    }
    if (refused.length) {
      report(`${label(req)} is not 401 with\n    ${refused.join('\n    ')}`);
    }
  });
  return problems;
}

function describe(authorization: string | undefined): string {
  if (!authorization) return 'no token';
  const [scheme, token = ''] = authorization.split(' ');
  return token ? `${scheme} ${token.slice(0, 12)}...` : `"${scheme}"`;
}

/** The credentials that are not valid Backstage user or service credentials for a route. */
export async function invalidAuthorizations(
  run: SweepRun,
): Promise<Array<string | undefined>> {
  const alice = run.tokens.alice;
  return [
    undefined,
    'Bearer',
    'Basic YWxpY2U6c2VjcmV0',
    `Bearer ${withTamperedPayload(alice)}`,
    `Bearer ${withForgedSignature(alice)}`,
    // Plugin-to-plugin tokens minted by a plugin of this backend for another plugin (one
    // of the sweep's own, which mounts nothing the sweep calls).
    `Bearer ${await run.probe.serviceToken('sweep-peers')}`,
    `Bearer ${await run.probe.onBehalfOfUserToken(alice, 'sweep-peers')}`,
    // An identity provider's ID token for the portal's OIDC client.
    `Bearer ${foreignOidcToken('alice')}`,
  ];
}
