import * as model from './clusterModel';
import { build } from './builds';
import { hasKubectl, KUBECTL_MISSING } from './kustomize';
import { Endpoint, Pod, PolicySet } from './networkPolicy';

const name = (e: Endpoint) => (e as any).name ?? e.ip;

function portsOf(
  target: Endpoint,
): { port: number; protocol: 'TCP' | 'UDP' }[] {
  const pod = target as Pod;
  if (pod.ports) {
    return Object.values(pod.ports).flatMap(port =>
      port === 53
        ? [
            { port, protocol: 'TCP' as const },
            { port, protocol: 'UDP' as const },
          ]
        : [{ port, protocol: 'TCP' as const }],
    );
  }
  return model.EXTERNAL_PORTS.map(port => ({ port, protocol: 'TCP' as const }));
}

describe('NetworkPolicies of the production overlay', () => {
  let set: PolicySet;
  let tenants: string[];
  let everything: Endpoint[];

  beforeAll(() => {
    if (!hasKubectl()) throw new Error(KUBECTL_MISSING);
    const built = build('k8s/overlays/production');
    set = new PolicySet(
      built.filter(m => m.doc.kind === 'NetworkPolicy').map(m => m.doc),
    );
    tenants = built
      .filter(
        m =>
          m.doc.kind === 'Namespace' && m.doc.metadata.name !== 'akili-portal',
      )
      .map(m => m.doc.metadata.name.replace(/^akili-/, ''));
    everything = [
      ...model.platformPods,
      ...tenants.flatMap((t, i) => model.tenantPods(t, i)),
      model.apiServer,
      model.gitlab,
      ...model.internet,
    ];
  });

  /**
   * Every (target, port) the source may open, as `target:port/protocol`. With `egressOnly`, by
   * the source's own policies alone: tenants add policies of their own, which must not be what
   * keeps the portal out.
   */
  function reachableFrom(from: Endpoint, egressOnly = false): string[] {
    return everything
      .filter(to => to !== from)
      .flatMap(to =>
        portsOf(to)
          .filter(p =>
            egressOnly
              ? set.allowsEgress({ from, to, ...p })
              : set.allows({ from, to, ...p }),
          )
          .map(p => `${name(to)}:${p.port}/${p.protocol}`),
      )
      .sort();
  }

  /** Every source the target's ingress policies let open one of `ports`, as `source:port`. */
  function reachingTo(to: Pod, ports: number[]): string[] {
    return everything
      .filter(from => from !== to)
      .flatMap(from =>
        ports
          .filter(port => set.allowsIngress({ from, to, port }))
          .map(port => `${name(from)}:${port}`),
      )
      .sort();
  }

  it('models the tenants of the overlay', () => {
    expect(tenants.length).toBeGreaterThan(0);
  });

  it('lets the portal reach exactly what it needs, by its own egress policies alone', () => {
    expect(reachableFrom(model.portal)).toEqual(
      reachableFrom(model.portal, true),
    );
    expect(reachableFrom(model.portal, true)).toEqual(
      [
        'coredns:53/TCP',
        'coredns:53/UDP',
        'akili-portal-db-1:5432/TCP',
        'akili-portal-db-2:5432/TCP',
        'redpanda-0:9093/TCP',
        'dagster-webserver:3000/TCP',
        'starrocks-fe-0:9030/TCP',
        'rook-ceph-rgw:8080/TCP',
        'authentik-server:9000/TCP',
        'authentik-server:9443/TCP',
        'argocd-server:8080/TCP',
        'api-server:443/TCP',
        'api-server:6443/TCP',
        'gitlab:443/TCP',
      ].sort(),
    );
  });

  it('lets only Traefik (HTTP) and Prometheus (metrics) reach the portal', () => {
    expect(reachingTo(model.portal, [7007, 9464])).toEqual([
      'prometheus:9464',
      'traefik:7007',
    ]);
  });

  it('lets only the portal, the operator and its own instances reach the database', () => {
    expect(reachingTo(model.portalDb, [5432, 8000, 9187])).toEqual(
      [
        'akili-portal-db-2:5432',
        'akili-portal-db-2:8000',
        'cnpg-operator:5432',
        'cnpg-operator:8000',
        'portal:5432',
      ].sort(),
    );
  });

  it('keeps each tenant namespace default-deny, in and out', () => {
    tenants.forEach((t, i) => {
      for (const p of model.tenantPods(t, i)) {
        expect({
          pod: p.name,
          ingress: set.isolates(p, 'Ingress'),
          egress: set.isolates(p, 'Egress'),
        }).toEqual({
          pod: p.name,
          ingress: true,
          egress: true,
        });
        expect({ pod: p.name, reaches: reachableFrom(p, true) }).toEqual({
          pod: p.name,
          reaches: [],
        });
      }
    });
  });
});
