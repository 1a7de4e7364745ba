import {
  applicationProblems,
  expandApplicationSet,
  generatorProblems,
  tenantProjectProblems,
} from './argocdFencing';
import { parseManifests } from './manifests';

const one = (yaml: string) => parseManifests(yaml, 'argocd/t.yaml')[0];

const project = `
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: akili-acme, namespace: argocd }
spec:
  sourceRepos: ['https://gitlab.example.com/data-products/acme/*']
  destinations: [{ server: 'https://kubernetes.default.svc', namespace: akili-acme }]
`;

describe('ArgoCD fencing rules', () => {
  it('accepts a fenced tenant project', () => {
    expect(tenantProjectProblems(one(project), 'acme')).toEqual([]);
  });

  it('refuses other namespaces, wildcards, other groups and cluster-scoped resources', () => {
    const bad = one(
      project
        .replace(
          'namespace: akili-acme }]',
          "namespace: akili-acme }, { server: 'https://kubernetes.default.svc', namespace: '*' }]",
        )
        .replace(
          "['https://gitlab.example.com/data-products/acme/*']",
          "['https://gitlab.example.com/*/acme/x', 'https://gitlab.example.com/data-products/globex/*']",
        )
        .concat("  clusterResourceWhitelist: [{ group: '*', kind: '*' }]\n"),
    );
    expect(tenantProjectProblems(bad, 'acme')).toEqual([
      expect.stringMatching(
        /^argocd\/t\.yaml document 1 \(AppProject argocd\/akili-acme\): destinations must be exactly namespace akili-acme/,
      ),
      expect.stringContaining(
        "sourceRepo https://gitlab.example.com/*/acme/x is not inside tenant acme's group",
      ),
      expect.stringContaining(
        "sourceRepo https://gitlab.example.com/data-products/globex/* is not inside tenant acme's group",
      ),
      expect.stringContaining('clusterResourceWhitelist must be empty'),
    ]);
    const remote = one(
      project.replace(
        "server: 'https://kubernetes.default.svc'",
        "server: 'https://other:6443'",
      ),
    );
    expect(tenantProjectProblems(remote, 'acme')).toHaveLength(1);
  });

  it("pins each product Application to its tenant's project", () => {
    const projects = new Map([
      ['acme', 'akili-acme'],
      ['globex', 'akili-globex'],
    ]);
    const app = (projectName: string, ns: string) =>
      one(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: p }
spec: { project: ${projectName}, destination: { namespace: ${ns} } }
`);
    expect(
      applicationProblems(app('akili-acme', 'akili-acme'), projects),
    ).toEqual([]);
    expect(
      applicationProblems(app('akili-globex', 'akili-acme'), projects),
    ).toEqual([
      'argocd/t.yaml document 1 (Application p): deploys into akili-acme with project akili-globex, not akili-acme',
    ]);
    expect(
      applicationProblems(app('akili-acme', 'akili-portal'), projects),
    ).toHaveLength(1);
    expect(
      applicationProblems(app('default', 'akili-initech'), projects),
    ).toEqual([
      'argocd/t.yaml document 1 (Application p): no AppProject fences tenant initech',
    ]);
  });

  it('expands list generators and checks every generated Application', () => {
    const set = one(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: s }
spec:
  generators: [{ list: { elements: [{ tenant: acme }, { tenant: globex }] } }]
  template:
    metadata: { name: '{{tenant}}-x' }
    spec: { project: akili-acme, destination: { namespace: 'akili-{{tenant}}' } }
`);
    const apps = expandApplicationSet(set);
    expect(apps.map(a => a.doc.spec.destination.namespace)).toEqual([
      'akili-acme',
      'akili-globex',
    ]);
    const projects = new Map([
      ['acme', 'akili-acme'],
      ['globex', 'akili-globex'],
    ]);
    expect(apps.flatMap(a => applicationProblems(a, projects))).toEqual([
      expect.stringContaining(
        'deploys into akili-globex with project akili-acme, not akili-globex',
      ),
    ]);
  });

  it("keeps generators inside the tenant's group", () => {
    const set = (group: string) =>
      one(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: s }
spec:
  generators: [{ scmProvider: { gitlab: { group: ${group}, includeSharedProjects: false } } }]
  template: { metadata: {}, spec: {} }
`);
    expect(generatorProblems(set('data-products/acme'), 'acme')).toEqual([]);
    expect(generatorProblems(set('data-products'), 'acme')).toEqual([
      "argocd/t.yaml document 1 (ApplicationSet s): scmProvider reads data-products, not tenant acme's group",
    ]);
  });
});
