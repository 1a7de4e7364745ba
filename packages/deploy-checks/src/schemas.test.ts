import { parseManifests } from './manifests';
import { validateManifest } from './schemas';

function check(yaml: string) {
  return parseManifests(yaml, 'k8s/test.yaml').flatMap(validateManifest);
}

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: portal
  namespace: akili-portal
spec:
  selector:
    matchLabels: { app: portal }
  template:
    metadata:
      labels: { app: portal }
    spec:
      containers:
        - name: backend
          image: registry.example/portal:1.0.0
          ports: [{ containerPort: 7007, name: http }]
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true }
`;

describe('strict schema validation', () => {
  it('accepts a valid Deployment, with labels (a map) and int-or-string ports', () => {
    expect(check(deployment)).toEqual([]);
  });

  it('names file, document, kind/name and path of an unknown field', () => {
    const bad = deployment.replace(
      'readOnlyRootFilesystem: true',
      'readOnlyRootFilesystem: true, readOnlyRootFS: true',
    );
    expect(check(`---\n${deployment}---\n${bad}`)).toEqual([
      'k8s/test.yaml document 2 (Deployment akili-portal/portal) at /spec/template/spec/containers/0/securityContext/readOnlyRootFS: unknown field',
    ]);
  });

  it('reports an unknown top-level field and an unknown metadata field', () => {
    const problems = check(
      deployment
        .replace('spec:\n  selector', 'specs: {}\nspec:\n  selector')
        .replace(
          '  namespace: akili-portal',
          '  namespace: akili-portal\n  label: { a: b }',
        ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('at /specs: unknown field'),
        expect.stringContaining('at /metadata/label: unknown field'),
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('reports a value of the wrong type', () => {
    expect(
      check(deployment.replace('containerPort: 7007', 'containerPort: "7007"')),
    ).toEqual([
      expect.stringMatching(
        /^k8s\/test\.yaml document 1 \(Deployment akili-portal\/portal\) at \/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort: type/,
      ),
    ]);
  });

  it('reports an unknown kind or apiVersion instead of skipping it', () => {
    expect(
      check('apiVersion: v1\nkind: Potato\nmetadata: { name: x }\n'),
    ).toEqual([
      'k8s/test.yaml document 1 (Potato x): no schema for apiVersion v1 kind Potato (unknown kinds are errors)',
    ]);
    expect(
      check('apiVersion: apps/v2\nkind: Deployment\nmetadata: { name: x }\n'),
    ).toHaveLength(1);
  });

  it('validates CloudNativePG Clusters and ServiceMonitors strictly', () => {
    const cluster = `
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: portal-db }
spec:
  instances: 2
  storage: { size: 10Gi }
`;
    expect(check(cluster)).toEqual([]);
    expect(
      check(cluster.replace('instances: 2', 'instances: 2\n  replicas: 2')),
    ).toEqual([
      'k8s/test.yaml document 1 (Cluster portal-db) at /spec/replicas: unknown field',
    ]);
    const monitor = `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: portal }
spec:
  selector: { matchLabels: { app: portal } }
  endpoints: [{ port: http, path: /metrics }]
`;
    expect(check(monitor)).toEqual([]);
    expect(check(monitor.replace('path: /metrics', 'paths: /metrics'))).toEqual(
      [
        'k8s/test.yaml document 1 (ServiceMonitor portal) at /spec/endpoints/0/paths: unknown field',
      ],
    );
  });

  it('validates ArgoCD kinds against their CRD schemas strictly', () => {
    const app = `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: portal, namespace: argocd }
spec:
  project: akili
  source: { repoURL: 'https://gitlab.example/akili/portal.git', path: k8s/overlays/production, targetRevision: main }
  destination: { server: 'https://kubernetes.default.svc', namespace: akili-portal }
`;
    expect(check(app)).toEqual([]);
    expect(
      check(
        app.replace(
          'targetRevision: main',
          'targetRevision: main, revision: x',
        ),
      ),
    ).toEqual([
      'k8s/test.yaml document 1 (Application argocd/portal) at /spec/source/revision: unknown field',
    ]);
    expect(check(app.replace('  project: akili\n', ''))).toEqual([
      expect.stringContaining('(Application argocd/portal) at /spec: required'),
    ]);
    expect(
      check(app.replace('name: portal,', 'name: portal, labelz: {},')),
    ).toEqual([
      'k8s/test.yaml document 1 (Application argocd/portal) at /metadata/labelz: unknown field',
    ]);
  });
});

describe('parsing', () => {
  it('names the file and document of a syntax error or duplicate key', () => {
    expect(() =>
      parseManifests('a: 1\n---\nb: 1\nb: 2\n', 'k8s/x.yaml'),
    ).toThrow(/^k8s\/x\.yaml document 2: Map keys must be unique/);
    expect(() => parseManifests('a: [1\n', 'k8s/y.yaml')).toThrow(
      /^k8s\/y\.yaml document 1: /,
    );
  });
});
