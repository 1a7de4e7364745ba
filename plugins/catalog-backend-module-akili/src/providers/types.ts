/** One file that may hold a manifest, as read from a source. */
export interface ManifestFile {
  /** Catalog location target: an absolute file path or a URL. */
  target: string;
  locationType: 'file' | 'url';
  /** File name, used to tell ODCS contracts from products. */
  fileName: string;
  /**
   * The tenant the file belongs to by where it is (its tenant folder, its project's tenant
   * subgroup), never by what it says; undefined when the place belongs to no tenant, and then
   * the file is refused.
   */
  tenant: string | undefined;
  /** The text, unless the file could not be read (then `readError` says why). */
  text?: string;
  readError?: string;
}

/**
 * A part of a source that could not be listed in a full scan (a project whose tree GitLab did not
 * give, a folder that cannot be read): the provider keeps what it had from there, so one tenant's
 * broken place neither removes nor blocks anything else.
 */
export interface UnreadablePlace {
  /** Every target of the place starts with this. */
  targetPrefix: string;
  reason: string;
}

/** What a full scan of a source found. */
export interface ManifestScan {
  files: ManifestFile[];
  unreadable: UnreadablePlace[];
}

/** What one event says changed in a source: files to read again and files that are gone. */
export interface ManifestChanges {
  /** The tenant of the place that changed; only its products may change. */
  tenant: string;
  changed: ManifestFile[];
  removedTargets: string[];
}

/** Where a provider finds manifests: a folder, a GitLab group, later the control plane. */
export interface ManifestSource {
  /** Human-readable, for logs: `folder /srv/products`, `gitlab gitlab.example.com/data`. */
  describe(): string;
  /** Every manifest file of the source (a full scan). */
  listFiles(): Promise<ManifestScan>;
  /** Event topics that announce changes in this source (e.g. `gitlab.push`). */
  readonly eventTopics?: readonly string[];
  /**
   * The changes one event announces, read from the source; a string says why the event was
   * ignored (not this source's, another branch, a project outside the group, ...).
   */
  readEvent?(
    topic: string,
    payload: unknown,
  ): Promise<ManifestChanges | string>;
}

/** File names a source picks up: Akili manifests, ODPS products and ODCS contracts. */
export const MANIFEST_FILE_PATTERN =
  /^(dataproduct\.(ya?ml|json)|.+\.odps\.(ya?ml|json)|.+\.odcs\.(ya?ml|json))$/i;
export const CONTRACT_FILE_PATTERN = /\.odcs\.(ya?ml|json)$/i;
