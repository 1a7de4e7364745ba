import { execFileSync } from 'node:child_process';
import { Manifest, parseManifests } from './manifests';

/** Why kubectl is needed, for the error when it is missing. */
export const KUBECTL_MISSING =
  "kubectl is not installed: the overlay checks run `kubectl kustomize` (scripts/test-services/up.sh installs Debian's kubernetes-client; or apt-get install -y kubernetes-client)";

/** The kubectl to run: `$KUBECTL` when set (another version to try), else `kubectl` on the PATH. */
export function kubectl(): string {
  return process.env.KUBECTL || 'kubectl';
}

/** Whether kubectl can be run. */
export function hasKubectl(): boolean {
  try {
    execFileSync(kubectl(), ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `kubectl kustomize <dir>`, parsed. `label` names the build in messages. Throws with kubectl's
 * own error when the build fails, and with {@link KUBECTL_MISSING} when kubectl is absent.
 */
export function kustomizeBuild(dir: string, label: string): Manifest[] {
  let out: string;
  try {
    out = execFileSync(kubectl(), ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error(KUBECTL_MISSING);
    throw new Error(
      `kubectl kustomize ${label} failed: ${String(
        e.stderr ?? e.message,
      ).trim()}`,
    );
  }
  return parseManifests(out, `kubectl kustomize ${label}`);
}
