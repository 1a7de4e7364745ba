import { DataProductEntityProvider } from './DataProductEntityProvider';
import { GitlabManifestSource } from './GitlabManifestSource';
import { MANIFEST_FILE_PATTERN } from './types';

/** The parts of a GitLab push hook payload this module reads. */
interface GitlabPushPayload {
  object_kind?: string;
  ref?: string;
  project?: {
    id?: number;
    path_with_namespace?: string;
    web_url?: string;
    default_branch?: string;
  };
  commits?: Array<{
    added?: string[];
    modified?: string[];
    removed?: string[];
  }>;
}

/**
 * Applies one push to a provider as a delta: manifests added or modified on the branch the
 * source reads are re-read, removed ones are removed. Other pushes are ignored. Returns
 * whether the push concerned this source.
 */
export async function handleGitlabPush(
  payload: unknown,
  source: GitlabManifestSource,
  provider: DataProductEntityProvider,
  branchOverride?: string,
): Promise<boolean> {
  const push = payload as GitlabPushPayload;
  const project = push?.project;
  if (
    push?.object_kind !== 'push' ||
    !project?.id ||
    !project.web_url ||
    !project.path_with_namespace ||
    !source.coversProject(project.path_with_namespace)
  ) {
    return false;
  }
  const branch = branchOverride ?? project.default_branch;
  if (!branch || push.ref !== `refs/heads/${branch}`) {
    return false;
  }
  const changed = new Set<string>();
  const removed = new Set<string>();
  for (const commit of push.commits ?? []) {
    for (const p of [...(commit.added ?? []), ...(commit.modified ?? [])]) {
      changed.add(p);
      removed.delete(p);
    }
    for (const p of commit.removed ?? []) {
      removed.add(p);
      changed.delete(p);
    }
  }
  const isManifest = (p: string) =>
    MANIFEST_FILE_PATTERN.test(p.split('/').pop() ?? '');
  const changedPaths = [...changed].filter(isManifest);
  const removedPaths = [...removed].filter(isManifest);
  if (changedPaths.length === 0 && removedPaths.length === 0) {
    return true;
  }
  const target = { id: project.id, web_url: project.web_url };
  const files = await source.readFiles(target, branch, changedPaths);
  await provider.applyChanges(
    files,
    removedPaths.map(p => source.fileTarget(target, branch, p)),
  );
  return true;
}
