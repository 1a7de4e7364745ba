import fs from 'node:fs';
import path from 'node:path';

/**
 * The fields of a Kustomization that kubectl 1.20's embedded kustomize (v2.0.3) reads. Newer
 * fields (`patches`, `labels`, `replacements`, ...) would be silently unknown to it.
 */
export const KUSTOMIZE_V2_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'bases',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'images',
  'vars',
  'crds',
  'configurations',
  'imageTags',
]);

/**
 * Problems of one kustomization.yaml for kustomize v2.0.3: unknown fields, `resources` that are
 * not files (v2.0.3 takes directories only under `bases`), and missing referenced files.
 */
export function kustomizationProblems(
  doc: any,
  file: string,
  label: string = file,
): string[] {
  const dir = path.dirname(file);
  const problems: string[] = [];
  for (const key of Object.keys(doc ?? {})) {
    if (!KUSTOMIZE_V2_FIELDS.has(key)) {
      problems.push(
        `${label}: ${key} is not a field kustomize v2.0.3 (kubectl 1.20) knows`,
      );
    }
  }
  const exists = (p: string) => fs.existsSync(path.join(dir, p));
  const isDir = (p: string) =>
    exists(p) && fs.statSync(path.join(dir, p)).isDirectory();
  for (const r of doc?.resources ?? []) {
    if (!exists(r)) problems.push(`${label}: resource ${r} does not exist`);
    else if (isDir(r))
      problems.push(
        `${label}: resource ${r} is a directory (kustomize v2.0.3 wants it under bases)`,
      );
  }
  for (const b of doc?.bases ?? []) {
    if (!isDir(b)) problems.push(`${label}: base ${b} is not a directory`);
  }
  for (const p of referencedFiles(doc)) {
    if (!exists(p)) problems.push(`${label}: ${p} does not exist`);
  }
  return problems;
}

/** Files a kustomization reads that are not resources: patches and generator inputs. */
export function referencedFiles(doc: any): string[] {
  const files: string[] = [
    ...(doc?.patchesStrategicMerge ?? []),
    ...(doc?.patchesJson6902 ?? []).map((p: any) => p.path),
  ];
  for (const g of [
    ...(doc?.configMapGenerator ?? []),
    ...(doc?.secretGenerator ?? []),
  ]) {
    for (const f of g.files ?? []) files.push(String(f).split('=').pop()!);
    for (const f of g.envs ?? []) files.push(f);
    if (g.env) files.push(g.env);
  }
  return files.filter(Boolean);
}
