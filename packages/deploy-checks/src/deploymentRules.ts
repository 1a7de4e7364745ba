import { describe, Manifest } from './manifests';

const READINESS = '/.backstage/health/v1/readiness';
const LIVENESS = '/.backstage/health/v1/liveness';

/** The `${VAR}` references of a Backstage config text (`$${...}` is an escape, not a reference). */
export function configVariables(text: string): string[] {
  const vars = new Set<string>();
  for (const m of text.matchAll(
    /(^|[^$])\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g,
  )) {
    vars.add(m[2]);
  }
  return [...vars].sort();
}

function imageProblem(image: string | undefined): string | undefined {
  if (!image) return 'has no image';
  if (image.includes('@sha256:')) return undefined;
  const lastSegment = image.split('/').pop()!;
  const tag = lastSegment.includes(':')
    ? lastSegment.split(':').pop()
    : undefined;
  if (!tag) return `image ${image} has no tag (that means latest)`;
  if (tag === 'latest') return `image ${image} uses the latest tag`;
  return undefined;
}

/**
 * The rules of the portal's Deployment: non-root, read-only root filesystem, readiness and
 * liveness probes on Backstage's health endpoints, requests and limits, a pinned image, and every
 * variable of the production config provided in the container's environment. `all` is the rest
 * of the build (ConfigMaps named by `envFrom`).
 */
export function deploymentProblems(
  m: Manifest,
  configVars: string[],
  all: Manifest[],
): string[] {
  const where = describe(m);
  const problems: string[] = [];
  const pod = m.doc.spec?.template?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  if (containers.length === 0) return [`${where}: no containers`];
  for (const c of [...containers, ...(pod.initContainers ?? [])]) {
    const at = `${where} container ${c.name}`;
    const sc = c.securityContext ?? {};
    const runAsNonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    const runAsUser = sc.runAsUser ?? pod.securityContext?.runAsUser;
    if (runAsNonRoot !== true) problems.push(`${at}: runAsNonRoot is not true`);
    if (runAsUser === 0) problems.push(`${at}: runs as user 0`);
    if (sc.readOnlyRootFilesystem !== true) {
      problems.push(`${at}: readOnlyRootFilesystem is not true`);
    }
    if (sc.allowPrivilegeEscalation !== false) {
      problems.push(`${at}: allowPrivilegeEscalation is not false`);
    }
    const image = imageProblem(c.image);
    if (image) problems.push(`${at}: ${image}`);
    const r = c.resources ?? {};
    for (const key of ['requests', 'limits']) {
      if (!r[key]?.memory)
        problems.push(`${at}: resources.${key}.memory is not set`);
    }
    if (!r.requests?.cpu)
      problems.push(`${at}: resources.requests.cpu is not set`);
  }
  const main = containers[0];
  const at = `${where} container ${main.name}`;
  if (main.readinessProbe?.httpGet?.path !== READINESS) {
    problems.push(`${at}: readinessProbe is not an httpGet on ${READINESS}`);
  }
  if (main.livenessProbe?.httpGet?.path !== LIVENESS) {
    problems.push(`${at}: livenessProbe is not an httpGet on ${LIVENESS}`);
  }
  const provided = new Set<string>();
  for (const e of main.env ?? []) {
    if (
      e.value !== undefined ||
      e.valueFrom?.secretKeyRef ||
      e.valueFrom?.configMapKeyRef
    ) {
      provided.add(e.name);
    }
  }
  for (const from of main.envFrom ?? []) {
    const name = from.configMapRef?.name;
    const cm = all.find(
      x => x.doc.kind === 'ConfigMap' && x.doc.metadata?.name === name,
    );
    for (const key of Object.keys(cm?.doc.data ?? {})) {
      provided.add(`${from.prefix ?? ''}${key}`);
    }
  }
  for (const v of configVars) {
    if (!provided.has(v)) {
      problems.push(
        `${at}: \${${v}} of app-config.production.yaml is not provided by env (value, secretKeyRef or configMapKeyRef)`,
      );
    }
  }
  return problems;
}

/** A Secret with `data` or `stringData` in the repository is a committed secret. */
export function committedSecretProblems(manifests: Manifest[]): string[] {
  return manifests
    .filter(
      m =>
        m.doc.kind === 'Secret' &&
        (Object.keys(m.doc.data ?? {}).length > 0 ||
          Object.keys(m.doc.stringData ?? {}).length > 0),
    )
    .map(
      m =>
        `${describe(
          m,
        )}: a Secret with data is committed; reference it, do not commit it`,
    );
}
