import fs from 'node:fs';
import path from 'node:path';
import { kustomizeBuild } from './kustomize';
import { Manifest } from './manifests';
import { repoRoot } from './repo';

/** The directories under k8s/overlays and k8s/tenants that hold a kustomization.yaml, relative to the root. */
export function kustomizeTargets(root = repoRoot()): string[] {
  const out: string[] = [];
  for (const parent of ['k8s/overlays', 'k8s/tenants']) {
    const abs = path.join(root, parent);
    if (!fs.existsSync(abs)) continue;
    if (
      fs.existsSync(path.join(abs, 'kustomization.yaml')) &&
      parent === 'k8s/tenants'
    )
      out.push(parent);
    for (const d of fs.readdirSync(abs).sort()) {
      if (fs.existsSync(path.join(abs, d, 'kustomization.yaml')))
        out.push(`${parent}/${d}`);
    }
  }
  return out;
}

const cache = new Map<string, Manifest[]>();

/** `kubectl kustomize <target>` (relative to the root), built once per test file. */
export function build(target: string, root = repoRoot()): Manifest[] {
  if (!cache.has(target))
    cache.set(target, kustomizeBuild(path.join(root, target), target));
  return cache.get(target)!;
}
