import { inCidr, matchesSelector, Pod, PolicySet } from './networkPolicy';

const web: Pod = {
  name: 'web',
  namespace: 'a',
  labels: { app: 'web' },
  ip: '10.42.0.1',
  ports: { http: 8080 },
};
const db: Pod = {
  name: 'db',
  namespace: 'a',
  labels: { app: 'db' },
  ip: '10.42.0.2',
  ports: { pg: 5432 },
};
const other: Pod = {
  name: 'other',
  namespace: 'b',
  labels: { app: 'web' },
  ip: '10.42.1.1',
};
const internet = { ip: '93.184.216.34' };

const np = (namespace: string, spec: any) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace },
  spec,
});

describe('NetworkPolicy evaluator', () => {
  it('allows everything without policies', () => {
    expect(new PolicySet([]).allows({ from: web, to: db, port: 5432 })).toBe(
      true,
    );
  });

  it('default deny: an empty ingress policy blocks, other namespaces are not affected', () => {
    const set = new PolicySet([
      np('a', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(set.allows({ from: web, to: db, port: 5432 })).toBe(false);
    expect(set.allows({ from: web, to: other, port: 80 })).toBe(true);
    expect(set.isolates(db, 'Ingress')).toBe(true);
    expect(set.isolates(db, 'Egress')).toBe(false);
  });

  it('policyTypes default to Ingress, plus Egress when egress rules exist', () => {
    const egressOnly = new PolicySet([
      np('a', { podSelector: {}, egress: [] }),
    ]);
    expect(egressOnly.allows({ from: web, to: internet, port: 443 })).toBe(
      false,
    );
    expect(egressOnly.allows({ from: other, to: web, port: 8080 })).toBe(false);
    const ingressOnly = new PolicySet([np('a', { podSelector: {} })]);
    expect(ingressOnly.allows({ from: web, to: internet, port: 443 })).toBe(
      true,
    );
  });

  it('podSelector peers match the policy namespace only, namespaceSelector picks namespaces', () => {
    const set = new PolicySet([
      np('a', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      }),
    ]);
    expect(set.allows({ from: web, to: db, port: 5432 })).toBe(true);
    expect(set.allows({ from: other, to: db, port: 5432 })).toBe(false);
    const byNs = new PolicySet([
      np('a', {
        podSelector: {},
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'b' },
                },
                podSelector: { matchLabels: { app: 'web' } },
              },
            ],
          },
        ],
      }),
    ]);
    expect(byNs.allows({ from: other, to: db, port: 5432 })).toBe(true);
    expect(
      byNs.allows({
        from: { ...other, labels: { app: 'x' } },
        to: db,
        port: 5432,
      }),
    ).toBe(false);
    expect(byNs.allows({ from: web, to: db, port: 5432 })).toBe(false);
  });

  it('matches numeric, named and ranged ports and the protocol', () => {
    const set = new PolicySet([
      np('a', {
        podSelector: {},
        ingress: [
          {
            ports: [
              { port: 'http' },
              { port: 9000, endPort: 9010 },
              { port: 53, protocol: 'UDP' },
            ],
          },
        ],
      }),
    ]);
    expect(set.allows({ from: other, to: web, port: 8080 })).toBe(true);
    expect(set.allows({ from: other, to: db, port: 8080 })).toBe(false);
    expect(set.allows({ from: other, to: web, port: 9010 })).toBe(true);
    expect(set.allows({ from: other, to: web, port: 9011 })).toBe(false);
    expect(set.allows({ from: other, to: web, port: 53 })).toBe(false);
    expect(
      set.allows({ from: other, to: web, port: 53, protocol: 'UDP' }),
    ).toBe(true);
  });

  it('ipBlock with except, and egress needs both sides', () => {
    const set = new PolicySet([
      np('a', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                ipBlock: { cidr: '93.184.0.0/16', except: ['93.184.216.0/24'] },
              },
            ],
          },
        ],
      }),
    ]);
    expect(set.allows({ from: web, to: { ip: '93.184.1.1' }, port: 443 })).toBe(
      true,
    );
    expect(set.allows({ from: web, to: internet, port: 443 })).toBe(false);
    expect(set.allows({ from: web, to: { ip: '1.1.1.1' }, port: 443 })).toBe(
      false,
    );
    expect(set.allows({ from: db, to: internet, port: 443 })).toBe(true);
    // Each side on its own: the receiver's default deny does not hide what the sender allows.
    const both = new PolicySet([
      np('a', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {} }] }],
      }),
      np('b', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(both.allows({ from: web, to: other, port: 80 })).toBe(false);
    expect(both.allowsEgress({ from: web, to: other, port: 80 })).toBe(true);
    expect(both.allowsIngress({ from: web, to: other, port: 80 })).toBe(false);
  });

  it('policies and rules add up; a rule needs peer and port together', () => {
    const set = new PolicySet([
      np('a', {
        podSelector: {},
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'web' } } }],
            ports: [{ port: 5432 }],
          },
        ],
      }),
      np('a', {
        podSelector: {},
        ingress: [
          { from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] },
        ],
      }),
    ]);
    expect(set.allows({ from: web, to: db, port: 5432 })).toBe(true);
    expect(set.allows({ from: other, to: db, port: 5432 })).toBe(false);
    expect(set.allows({ from: other, to: web, port: 8080 })).toBe(true);
    expect(set.allows({ from: web, to: db, port: 22 })).toBe(false);
    expect(set.allows({ from: internet, to: web, port: 8080 })).toBe(false);
  });

  it('selectors: expressions; CIDRs', () => {
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] },
        { a: 'x' },
      ),
    ).toBe(true);
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] },
        { a: 'x' },
      ),
    ).toBe(false);
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
        { a: 'x' },
      ),
    ).toBe(false);
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'a', operator: 'Exists' }] },
        {},
      ),
    ).toBe(false);
    expect(() =>
      matchesSelector({ matchExpressions: [{ key: 'a', operator: 'Is' }] }, {}),
    ).toThrow(/operator Is/);
    expect(inCidr('10.43.0.1', '10.43.0.0/16')).toBe(true);
    expect(inCidr('10.44.0.1', '10.43.0.0/16')).toBe(false);
    expect(inCidr('8.8.8.8', '0.0.0.0/0')).toBe(true);
  });
});
