/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1):
 * a pod is isolated for a direction when some policy of its namespace selects it with that
 * policy type; an isolated pod allows a connection when any such policy has a rule whose peers
 * and ports match (rules and policies add up); a connection needs both the sender's egress and
 * the receiver's ingress to allow it.
 */

/** A pod of the model: namespace, labels, and its named container ports. */
export interface Pod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  /** Named container ports (`http` -> 7007), for policies that name ports. */
  ports?: Record<string, number>;
}

/** A destination outside the pod model (an address on the internet, the API server, ...). */
export interface External {
  ip: string;
}

export type Endpoint = Pod | External;

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown label selector operator ${e.operator}`);
    }
  }
  return true;
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some(p => !(p >= 0 && p <= 255))) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** Whether `ip` is inside the IPv4 CIDR `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  if (!(bits >= 0 && bits <= 32)) throw new Error(`bad CIDR ${cidr}`);
  const size = 2 ** (32 - bits);
  const start = Math.floor(ipToInt(base) / size) * size;
  const n = ipToInt(ip);
  return n >= start && n < start + size;
}

function isPod(e: Endpoint): e is Pod {
  return (e as Pod).namespace !== undefined;
}

/** Namespaces carry `kubernetes.io/metadata.name` like a real cluster sets it. */
export type NamespaceLabels = Record<string, Record<string, string>>;

function namespaceLabels(ns: string, namespaces: NamespaceLabels) {
  return { 'kubernetes.io/metadata.name': ns, ...(namespaces[ns] ?? {}) };
}

function peerMatches(
  peer: any,
  policyNamespace: string,
  other: Endpoint,
  namespaces: NamespaceLabels,
): boolean {
  if (peer.ipBlock) {
    if (peer.podSelector || peer.namespaceSelector) {
      throw new Error(
        'a NetworkPolicy peer with ipBlock must have nothing else',
      );
    }
    // Whether ipBlock also matches pod IPs depends on the CNI: the model assumes it does, so a
    // broad CIDR cannot hide a path to pods.
    return (
      inCidr(other.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((c: string) => inCidr(other.ip, c))
    );
  }
  if (!isPod(other)) return false;
  if (!peer.podSelector && !peer.namespaceSelector) {
    throw new Error(
      'a NetworkPolicy peer needs podSelector, namespaceSelector or ipBlock',
    );
  }
  const nsOk = peer.namespaceSelector
    ? matchesSelector(
        peer.namespaceSelector,
        namespaceLabels(other.namespace, namespaces),
      )
    : other.namespace === policyNamespace;
  return nsOk && matchesSelector(peer.podSelector, other.labels);
}

function portMatches(rulePort: any, c: Connection, target: Endpoint): boolean {
  const protocol = rulePort.protocol ?? 'TCP';
  if (protocol !== (c.protocol ?? 'TCP')) return false;
  if (rulePort.port === undefined) return true;
  let start: number | undefined;
  if (typeof rulePort.port === 'number') start = rulePort.port;
  else if (isPod(target)) start = target.ports?.[rulePort.port];
  if (start === undefined) return false;
  const end = rulePort.endPort ?? start;
  return c.port >= start && c.port <= end;
}

function ruleAllows(
  rule: any,
  peersKey: 'from' | 'to',
  policyNamespace: string,
  other: Endpoint,
  c: Connection,
  namespaces: NamespaceLabels,
): boolean {
  const peers: any[] | undefined = rule[peersKey];
  const peerOk =
    !peers ||
    peers.length === 0 ||
    peers.some(p => peerMatches(p, policyNamespace, other, namespaces));
  const ports: any[] | undefined = rule.ports;
  const portOk =
    !ports || ports.length === 0 || ports.some(p => portMatches(p, c, c.to));
  return peerOk && portOk;
}

function policyTypes(policy: any): string[] {
  if (policy.spec.policyTypes) return policy.spec.policyTypes;
  return policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** A set of NetworkPolicies and the labels of the namespaces they run in. */
export class PolicySet {
  constructor(
    private readonly policies: any[],
    private readonly namespaces: NamespaceLabels = {},
  ) {
    for (const p of policies) {
      if (p.kind !== 'NetworkPolicy' || !p.metadata?.namespace) {
        throw new Error(
          `not a namespaced NetworkPolicy: ${p.kind} ${p.metadata?.name}`,
        );
      }
    }
  }

  private direction(
    pod: Pod,
    type: 'Ingress' | 'Egress',
    other: Endpoint,
    c: Connection,
  ): boolean {
    const applying = this.policies.filter(
      p =>
        p.metadata.namespace === pod.namespace &&
        matchesSelector(p.spec.podSelector ?? {}, pod.labels) &&
        policyTypes(p).includes(type),
    );
    if (applying.length === 0) return true;
    const key = type === 'Ingress' ? 'ingress' : 'egress';
    return applying.some(p =>
      (p.spec[key] ?? []).some((rule: any) =>
        ruleAllows(
          rule,
          type === 'Ingress' ? 'from' : 'to',
          pod.namespace,
          other,
          c,
          this.namespaces,
        ),
      ),
    );
  }

  /** Whether the sender's policies let the connection out (true for a sender outside the model). */
  allowsEgress(c: Connection): boolean {
    return !isPod(c.from) || this.direction(c.from, 'Egress', c.to, c);
  }

  /** Whether the receiver's policies let the connection in (true for a receiver outside the model). */
  allowsIngress(c: Connection): boolean {
    return !isPod(c.to) || this.direction(c.to, 'Ingress', c.from, c);
  }

  /** Whether the policies let this connection through (egress of the sender and ingress of the receiver). */
  allows(c: Connection): boolean {
    return this.allowsEgress(c) && this.allowsIngress(c);
  }

  /** Whether some policy isolates the pod for ingress and for egress. */
  isolates(pod: Pod, type: 'Ingress' | 'Egress'): boolean {
    return this.policies.some(
      p =>
        p.metadata.namespace === pod.namespace &&
        matchesSelector(p.spec.podSelector ?? {}, pod.labels) &&
        policyTypes(p).includes(type),
    );
  }
}
