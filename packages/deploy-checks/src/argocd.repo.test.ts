import path from 'node:path';
import {
  applicationProblems,
  expandApplicationSet,
  generatorProblems,
  tenantOfProject,
  tenantProjectProblems,
} from './argocdFencing';
import { loadManifests, Manifest } from './manifests';
import { listFiles, repoRoot } from './repo';

const root = repoRoot();
const load = (dir: string) =>
  listFiles(path.join(root, dir), ['.yaml', '.yml']).flatMap(f =>
    loadManifests(f, path.relative(root, f)),
  );

describe('argocd/ fencing of tenants', () => {
  const argocd: Manifest[] = load('argocd');
  const projects = argocd.filter(m => m.doc.kind === 'AppProject');
  const tenantProjects = new Map<string, string>();
  for (const p of projects) {
    const t = tenantOfProject(p.doc);
    if (t) tenantProjects.set(t, p.doc.metadata.name);
  }
  const tenantNamespaces = load('k8s/tenants')
    .filter(m => m.doc.kind === 'Namespace')
    .map(m => m.doc.metadata.name as string);

  it('gives every tenant namespace of k8s/tenants an AppProject', () => {
    expect(tenantNamespaces.length).toBeGreaterThan(0);
    expect(
      tenantNamespaces.map(ns => ns.replace(/^akili-/, '')).sort(),
    ).toEqual([...tenantProjects.keys()].sort());
  });

  it('fences each tenant AppProject to its namespace, its group, no cluster-scoped resources', () => {
    const problems = projects.flatMap(p => {
      const t = tenantOfProject(p.doc);
      return t ? tenantProjectProblems(p, t) : [];
    });
    expect(problems).toEqual([]);
  });

  it("pins every Application and ApplicationSet to its tenant's project and namespace", () => {
    const apps = [
      ...argocd.filter(m => m.doc.kind === 'Application'),
      ...argocd
        .filter(m => m.doc.kind === 'ApplicationSet')
        .flatMap(expandApplicationSet),
    ];
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.flatMap(a => applicationProblems(a, tenantProjects))).toEqual(
      [],
    );
  });

  it("reads products only from the tenant's group", () => {
    const problems = argocd
      .filter(m => m.doc.kind === 'ApplicationSet')
      .flatMap(m => {
        const project = m.doc.spec?.template?.spec?.project;
        const tenant = [...tenantProjects].find(
          ([, name]) => name === project,
        )?.[0];
        return tenant ? generatorProblems(m, tenant) : [];
      });
    expect(problems).toEqual([]);
  });
});
