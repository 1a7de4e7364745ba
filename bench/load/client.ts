/*
 * The load generator of bench/load, in a process of its own so that the backend's event loop is
 * measured alone: one autocannon instance per signed-in user, all at once, each cycling through
 * its user's requests on its share of the connections. Every answer is checked for its expected
 * status and for the other tenants' markers (the security sweep's `findLeaks`).
 *
 *   node --require <nodeTransform> bench/load/client.ts <plan.json> <result.json>
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import {
  findLeaks,
  TenantMarkers,
} from '../../packages/backend/src/sweep/__testUtils__/markers';
import type { LoadPlan, PhaseResult, PlannedRequest } from './plan';

interface FamilyStats {
  statuses: Record<string, number>;
  unexpected: number;
  refused: number;
  latencies: number[];
}

type Tagged = PlannedRequest & { requestText: string };

/** A connection's context: the request it has in flight. */
type Context = { plan?: Tagged };

async function main() {
  const [planFile, resultFile] = process.argv.slice(2);
  const plan: LoadPlan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const families = new Map<string, FamilyStats>();
  const statsOf = (family: string) => {
    let s = families.get(family);
    if (!s) {
      s = { statuses: {}, unexpected: 0, refused: 0, latencies: [] };
      families.set(family, s);
    }
    return s;
  };
  let leakCount = 0;
  const leakExamples: PhaseResult['leakExamples'] = [];
  const unexpectedExamples: PhaseResult['unexpectedExamples'] = [];
  const exampled = new Set<string>();
  let socketErrors = 0;
  let timeouts = 0;
  let total = 0;
  /** How long the instances ran (the longest), from their first connection. */
  let seconds = 0;

  const runs = plan.groups.map(group => {
    const markers: TenantMarkers[] = group.markers.map(m => ({
      ...m,
      allowedRefs: new Set(m.allowedRefs),
    }));
    const cycle: Tagged[] = group.requests.map(r => ({
      ...r,
      requestText: `${r.method} ${decodeURIComponent(r.path)}\n${r.body ?? ''}`,
    }));
    const check = (r: Tagged, status: number, body: string) => {
      const stats = statsOf(r.family);
      stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
      if (status === r.refusal?.status) {
        stats.refused++;
      } else if (!r.expect.includes(status)) {
        stats.unexpected++;
        // The first answer of each family and status, to tell what went wrong.
        const key = `${r.family} ${status}`;
        if (!exampled.has(key) && unexpectedExamples.length < 20) {
          exampled.add(key);
          unexpectedExamples.push({
            user: group.user,
            request: `${r.method} ${r.path}`,
            status,
            body: body.slice(0, 300),
          });
        }
      }
      for (const m of markers) {
        const found = findLeaks(body, m, r.requestText);
        if (found.length) {
          leakCount++;
          if (leakExamples.length < 10) {
            leakExamples.push({
              user: group.user,
              request: `${r.method} ${r.path}`,
              tenant: m.tenant,
              markers: found.slice(0, 5),
            });
          }
        }
      }
    };
    // One dynamic request: each time a connection sends, it picks one of its user's requests
    // at random (so every family runs from the first second on every connection) and keeps it
    // in the connection's context until the answer is in (one request in flight at a time).
    const requests = [
      {
        setupRequest: (req: Record<string, unknown>, context: Context) => {
          const r = cycle[Math.floor(Math.random() * cycle.length)];
          context.plan = r;
          return {
            ...req,
            method: r.method,
            path: r.path,
            body: r.body ?? '',
            headers: {
              ...(req.headers as object),
              ...(r.contentType ? { 'content-type': r.contentType } : {}),
            },
          };
        },
        onResponse: (status: number, body: string, context: Context) => {
          if (context.plan) check(context.plan, status, String(body));
        },
      },
    ];
    return new Promise<void>((resolve, reject) => {
      const instance = autocannon(
        {
          url: plan.url,
          connections: group.connections,
          duration: plan.seconds,
          timeout: plan.timeoutSeconds,
          headers: { authorization: `Bearer ${group.token}` },
          requests,
        } as unknown as autocannon.Options,
        (error, result) => {
          if (error) {
            reject(error);
            return;
          }
          socketErrors += result.errors;
          timeouts += result.timeouts;
          total += result.requests.total;
          seconds = Math.max(seconds, result.duration);
          resolve();
        },
      );
      instance.on(
        'response',
        (
          client: unknown,
          _status: number,
          _bytes: number,
          responseTime: number,
        ) => {
          // One request in flight per connection: the context still holds the one answered.
          const r = (client as { requestIterator: { context: Context } })
            .requestIterator.context.plan;
          if (r) statsOf(r.family).latencies.push(responseTime);
        },
      );
    });
  });
  await Promise.all(runs);

  const result: PhaseResult = {
    seconds,
    total,
    socketErrors,
    timeouts,
    leakCount,
    leakExamples,
    unexpectedExamples,
    families: Object.fromEntries(families),
  };
  fs.writeFileSync(resultFile, JSON.stringify(result));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
