import { configVariables, deploymentProblems } from './deploymentRules';
import { dockerfileProblems } from './dockerfile';
import { parseManifests } from './manifests';

const good = parseManifests(
  `
apiVersion: apps/v1
kind: Deployment
metadata: { name: portal }
spec:
  template:
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 1000 }
      containers:
        - name: backend
          image: registry.example/portal:1.2.3
          securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }
          resources: { requests: { cpu: 100m, memory: 512Mi }, limits: { memory: 1Gi } }
          readinessProbe: { httpGet: { path: /.backstage/health/v1/readiness, port: http } }
          livenessProbe: { httpGet: { path: /.backstage/health/v1/liveness, port: http } }
          env:
            - { name: A, value: x }
            - { name: B, valueFrom: { secretKeyRef: { name: s, key: b } } }
          envFrom: [{ configMapRef: { name: env } }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: env }
data: { C: c }
`,
  'build',
);

describe('Deployment rules', () => {
  it('reads ${VAR} references, not $${escapes}', () => {
    expect(configVariables('a: ${A}\nb: ${ B }/x/${A}\nc: $${NOT}\n')).toEqual([
      'A',
      'B',
    ]);
  });
  it('accepts a conforming Deployment', () => {
    expect(deploymentProblems(good[0], ['A', 'B', 'C'], good)).toEqual([]);
  });
  it('names each broken rule and each missing variable', () => {
    const d = JSON.parse(JSON.stringify(good[0]));
    const c = d.doc.spec.template.spec.containers[0];
    d.doc.spec.template.spec.securityContext = {};
    c.image = 'registry.example/portal:latest';
    c.securityContext.readOnlyRootFilesystem = false;
    c.readinessProbe.httpGet.path = '/healthz';
    delete c.livenessProbe;
    delete c.resources.limits;
    expect(deploymentProblems(d, ['A', 'D'], good)).toEqual([
      'build document 1 (Deployment portal) container backend: runAsNonRoot is not true',
      'build document 1 (Deployment portal) container backend: readOnlyRootFilesystem is not true',
      'build document 1 (Deployment portal) container backend: image registry.example/portal:latest uses the latest tag',
      'build document 1 (Deployment portal) container backend: resources.limits.memory is not set',
      'build document 1 (Deployment portal) container backend: readinessProbe is not an httpGet on /.backstage/health/v1/readiness',
      'build document 1 (Deployment portal) container backend: livenessProbe is not an httpGet on /.backstage/health/v1/liveness',
      'build document 1 (Deployment portal) container backend: ${D} of app-config.production.yaml is not provided by env (value, secretKeyRef or configMapKeyRef)',
    ]);
    c.image = 'registry.example:5000/portal';
    expect(deploymentProblems(d, [], good)).toContain(
      'build document 1 (Deployment portal) container backend: image registry.example:5000/portal has no tag (that means latest)',
    );
  });
});

describe('Dockerfile rules', () => {
  const dockerfile = `FROM node AS build
RUN make
FROM node:22-slim
USER 1000:1000
HEALTHCHECK --interval=30s \\
  CMD ["node", "-e", "fetch('http://127.0.0.1:7007/.backstage/health/v1/readiness')"]
CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
`;
  it('accepts a conforming final stage', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
  });
  it('checks the final stage only', () => {
    const bad = `FROM node\nUSER 1000\n${dockerfile
      .replace('USER 1000:1000', 'USER root')
      .replace('readiness', 'liveness')
      .replace('app-config.production.yaml', 'app-config.local.yaml')}`;
    expect(dockerfileProblems(bad)).toEqual([
      'Dockerfile: the final stage (line 5) does not switch to a non-root USER',
      'Dockerfile: the final stage has no HEALTHCHECK on /.backstage/health/v1/readiness',
      'Dockerfile: the final CMD does not start packages/backend with app-config.production.yaml (it runs: node packages/backend --config app-config.yaml --config app-config.local.yaml)',
    ]);
  });
});
