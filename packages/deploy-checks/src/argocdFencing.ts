import { describe, Manifest } from './manifests';

/** The in-cluster destination ArgoCD knows as `in-cluster`. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** The portal's own namespace: every other `akili-<name>` namespace is a tenant's. */
export const PORTAL_NAMESPACE = 'akili-portal';

/** The tenant of a namespace `akili-<tenant>`, or undefined for any other namespace. */
export function tenantOfNamespace(ns: string | undefined): string | undefined {
  const m = ns?.match(/^akili-([a-z0-9-]+)$/);
  return m && ns !== PORTAL_NAMESPACE ? m[1] : undefined;
}

/** The tenant an AppProject is for: the tenant of any of its destinations. */
export function tenantOfProject(project: any): string | undefined {
  for (const d of project.spec?.destinations ?? []) {
    const t = tenantOfNamespace(d.namespace);
    if (t) return t;
  }
  return undefined;
}

/**
 * A tenant's AppProject: only its namespace `akili-<tenant>` on the in-cluster server, source
 * repositories only under its GitLab group (a path segment equal to the tenant, no wildcard before
 * it), and no cluster-scoped resources.
 */
export function tenantProjectProblems(m: Manifest, tenant: string): string[] {
  const where = describe(m);
  const spec = m.doc.spec ?? {};
  const problems: string[] = [];
  const destinations: any[] = spec.destinations ?? [];
  const ns = `akili-${tenant}`;
  if (
    destinations.length !== 1 ||
    destinations[0].namespace !== ns ||
    !(
      destinations[0].server === IN_CLUSTER ||
      (destinations[0].name === 'in-cluster' && !destinations[0].server)
    )
  ) {
    problems.push(
      `${where}: destinations must be exactly namespace ${ns} on ${IN_CLUSTER}, not ${JSON.stringify(
        destinations,
      )}`,
    );
  }
  const repos: string[] = spec.sourceRepos ?? [];
  if (repos.length === 0) problems.push(`${where}: no sourceRepos`);
  for (const repo of repos) {
    const segments = repo.replace(/^[a-z]+:\/\/[^/]+\//, '').split('/');
    const at = segments.indexOf(tenant);
    if (
      at < 0 ||
      segments.slice(0, at).some(s => s.includes('*')) ||
      repo.startsWith('*')
    ) {
      problems.push(
        `${where}: sourceRepo ${repo} is not inside tenant ${tenant}'s group`,
      );
    }
  }
  const clusterWhitelist: any[] = spec.clusterResourceWhitelist ?? [];
  if (clusterWhitelist.length > 0) {
    problems.push(
      `${where}: clusterResourceWhitelist must be empty (no cluster-scoped resources), has ${JSON.stringify(
        clusterWhitelist,
      )}`,
    );
  }
  return problems;
}

function render(template: any, params: Record<string, unknown>): any {
  return JSON.parse(
    JSON.stringify(template).replace(
      /\{\{\s*\.?([A-Za-z0-9_.]+)\s*\}\}/g,
      (all, key) => (params[key] === undefined ? all : String(params[key])),
    ),
  );
}

/**
 * The Applications an ApplicationSet makes from its `list` generators (other generators cannot
 * be expanded offline and yield the raw template).
 */
export function expandApplicationSet(m: Manifest): Manifest[] {
  const template = m.doc.spec?.template ?? {};
  const out: Manifest[] = [];
  for (const g of m.doc.spec?.generators ?? []) {
    const elements: any[] | undefined = g.list?.elements;
    if (!elements) {
      out.push({ ...m, doc: { kind: 'Application', ...template } });
      continue;
    }
    for (const e of elements) {
      out.push({ ...m, doc: { kind: 'Application', ...render(template, e) } });
    }
  }
  return out;
}

/**
 * A product Application deployed into a tenant's namespace must use that tenant's AppProject
 * (`projects` maps tenant to project name), on the in-cluster server.
 */
export function applicationProblems(
  m: Manifest,
  projects: Map<string, string>,
): string[] {
  const where = describe(m);
  const spec = m.doc.spec ?? {};
  const ns = spec.destination?.namespace;
  if (typeof ns === 'string' && ns.includes('{{')) {
    return [
      `${where}: destination namespace ${ns} cannot be expanded offline (use a list generator)`,
    ];
  }
  const tenant = tenantOfNamespace(ns);
  const problems: string[] = [];
  if (typeof spec.project === 'string' && spec.project.includes('{{')) {
    problems.push(
      `${where}: project ${spec.project} cannot be expanded offline (pin it)`,
    );
  }
  if (tenant) {
    const project = projects.get(tenant);
    if (!project)
      problems.push(`${where}: no AppProject fences tenant ${tenant}`);
    else if (spec.project !== project) {
      problems.push(
        `${where}: deploys into ${ns} with project ${spec.project}, not ${project}`,
      );
    }
  } else if (spec.project && [...projects.values()].includes(spec.project)) {
    problems.push(
      `${where}: uses tenant project ${spec.project} outside a tenant namespace (${ns})`,
    );
  }
  return problems;
}

/**
 * The repositories an ApplicationSet's SCM or Git generators read must be the tenant's: a GitLab
 * group inside the tenant's group, a Git repository inside it.
 */
export function generatorProblems(m: Manifest, tenant: string): string[] {
  const where = describe(m);
  const problems: string[] = [];
  const inTenant = (p: string) => {
    const segments = p.replace(/^[a-z]+:\/\/[^/]+\//, '').split('/');
    const at = segments.indexOf(tenant);
    return at >= 0 && !segments.slice(0, at).some(s => s.includes('*'));
  };
  for (const g of m.doc.spec?.generators ?? []) {
    const group = g.scmProvider?.gitlab?.group;
    if (g.scmProvider && (!group || !inTenant(group))) {
      problems.push(
        `${where}: scmProvider reads ${
          group ?? 'no GitLab group'
        }, not tenant ${tenant}'s group`,
      );
    }
    if (
      g.scmProvider?.gitlab?.includeSharedProjects !== false &&
      g.scmProvider?.gitlab
    ) {
      problems.push(
        `${where}: scmProvider must set includeSharedProjects: false (shared projects come from other groups)`,
      );
    }
    const repo = g.git?.repoURL;
    if (g.git && (!repo || !inTenant(repo))) {
      problems.push(
        `${where}: git generator reads ${repo}, not tenant ${tenant}'s group`,
      );
    }
  }
  return problems;
}
