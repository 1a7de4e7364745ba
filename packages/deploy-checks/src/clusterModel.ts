import { External, Pod } from './networkPolicy';

/**
 * The cluster around the portal, as the NetworkPolicy tests model it: the portal and its
 * CloudNativePG instances, the platform's services (with the ports they really listen on, wanted
 * or not), tenants' pods, and addresses outside the cluster. Pod IPs are in K3s' pod range
 * 10.42.0.0/16; the API server and GitLab addresses are those of the production overlay.
 */
const pod = (
  name: string,
  namespace: string,
  labels: Record<string, string>,
  ip: string,
  ports: Record<string, number>,
): Pod => ({ name, namespace, labels, ip, ports });

const PORTAL_LABELS = {
  'app.kubernetes.io/name': 'akili-portal',
  'app.kubernetes.io/component': 'portal',
  'app.kubernetes.io/part-of': 'akili',
};

export const portal = pod(
  'portal',
  'akili-portal',
  PORTAL_LABELS,
  '10.42.0.10',
  {
    http: 7007,
    metrics: 9464,
  },
);
const db = (n: number, role: string) =>
  pod(
    `akili-portal-db-${n}`,
    'akili-portal',
    {
      'cnpg.io/cluster': 'akili-portal-db',
      'cnpg.io/instanceRole': role,
      role,
    },
    `10.42.0.${20 + n}`,
    { postgresql: 5432, status: 8000, metrics: 9187 },
  );
export const portalDb = db(1, 'primary');
export const portalDbReplica = db(2, 'replica');

export const traefik = pod(
  'traefik',
  'kube-system',
  { 'app.kubernetes.io/name': 'traefik' },
  '10.42.1.2',
  { web: 8000, websecure: 8443, metrics: 9100 },
);
export const coredns = pod(
  'coredns',
  'kube-system',
  { 'k8s-app': 'kube-dns' },
  '10.42.1.3',
  { dns: 53, metrics: 9153 },
);
export const metricsServer = pod(
  'metrics-server',
  'kube-system',
  { 'k8s-app': 'metrics-server' },
  '10.42.1.4',
  { https: 10250 },
);
export const prometheus = pod(
  'prometheus',
  'monitoring',
  { 'app.kubernetes.io/name': 'prometheus' },
  '10.42.2.2',
  { web: 9090 },
);
export const grafana = pod(
  'grafana',
  'monitoring',
  { 'app.kubernetes.io/name': 'grafana' },
  '10.42.2.3',
  { http: 3000 },
);
export const cnpgOperator = pod(
  'cnpg-operator',
  'cnpg-system',
  { 'app.kubernetes.io/name': 'cloudnative-pg' },
  '10.42.3.2',
  { webhook: 9443, metrics: 8080 },
);
export const redpanda = pod(
  'redpanda-0',
  'redpanda',
  { 'app.kubernetes.io/name': 'redpanda' },
  '10.42.4.2',
  { kafka: 9093, admin: 9644, http: 8082, rpc: 33145 },
);
export const dagsterWebserver = pod(
  'dagster-webserver',
  'dagster',
  { component: 'dagster-webserver' },
  '10.42.5.2',
  { http: 3000 },
);
export const dagsterPostgres = pod(
  'dagster-postgresql',
  'dagster',
  { 'app.kubernetes.io/name': 'postgresql' },
  '10.42.5.3',
  { postgresql: 5432 },
);
export const starrocksFe = pod(
  'starrocks-fe-0',
  'starrocks',
  { 'app.kubernetes.io/component': 'fe' },
  '10.42.6.2',
  { query: 9030, http: 8030, rpc: 9020 },
);
export const starrocksBe = pod(
  'starrocks-be-0',
  'starrocks',
  { 'app.kubernetes.io/component': 'be' },
  '10.42.6.3',
  { be: 9060, http: 8040 },
);
export const rgw = pod(
  'rook-ceph-rgw',
  'rook-ceph',
  { app: 'rook-ceph-rgw' },
  '10.42.7.2',
  { http: 8080 },
);
export const cephMon = pod(
  'rook-ceph-mon-a',
  'rook-ceph',
  { app: 'rook-ceph-mon' },
  '10.42.7.3',
  { msgr2: 3300, msgr1: 6789 },
);
export const authentik = pod(
  'authentik-server',
  'authentik',
  { 'app.kubernetes.io/name': 'authentik' },
  '10.42.8.2',
  { http: 9000, https: 9443 },
);
export const authentikPostgres = pod(
  'authentik-postgresql',
  'authentik',
  { 'app.kubernetes.io/name': 'postgresql' },
  '10.42.8.3',
  { postgresql: 5432 },
);
export const argocdServer = pod(
  'argocd-server',
  'argocd',
  { 'app.kubernetes.io/name': 'argocd-server' },
  '10.42.9.2',
  { http: 8080 },
);
export const argocdRedis = pod(
  'argocd-redis',
  'argocd',
  { 'app.kubernetes.io/name': 'argocd-redis' },
  '10.42.9.3',
  { redis: 6379 },
);
export const argocdRepoServer = pod(
  'argocd-repo-server',
  'argocd',
  { 'app.kubernetes.io/name': 'argocd-repo-server' },
  '10.42.9.4',
  { grpc: 8081 },
);

/** A product's pods in a tenant's namespace. */
export function tenantPods(tenant: string, n: number): Pod[] {
  return [
    pod(
      `${tenant}-api`,
      `akili-${tenant}`,
      { app: 'orders-api' },
      `10.42.${100 + n}.2`,
      { http: 8080 },
    ),
    pod(
      `${tenant}-db`,
      `akili-${tenant}`,
      { 'cnpg.io/cluster': 'akili-portal-db' },
      `10.42.${100 + n}.3`,
      { postgresql: 5432 },
    ),
  ];
}

export const apiServer: External & { name: string } = {
  name: 'api-server',
  ip: '10.20.0.2',
};
export const gitlab: External & { name: string } = {
  name: 'gitlab',
  ip: '203.0.113.20',
};
export const internet: (External & { name: string })[] = [
  { name: 'internet 93.184.216.34', ip: '93.184.216.34' },
  { name: 'internet 1.1.1.1', ip: '1.1.1.1' },
  { name: 'node 10.20.0.9', ip: '10.20.0.9' },
];

/** Every pod of the model but the tenants'. */
export const platformPods: Pod[] = [
  portal,
  portalDb,
  portalDbReplica,
  traefik,
  coredns,
  metricsServer,
  prometheus,
  grafana,
  cnpgOperator,
  redpanda,
  dagsterWebserver,
  dagsterPostgres,
  starrocksFe,
  starrocksBe,
  rgw,
  cephMon,
  authentik,
  authentikPostgres,
  argocdServer,
  argocdRedis,
  argocdRepoServer,
];

/** Ports tried against external addresses. */
export const EXTERNAL_PORTS = [22, 80, 443, 6443, 5432];
