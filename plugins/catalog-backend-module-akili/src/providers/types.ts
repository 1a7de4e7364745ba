/** One file that may hold a manifest, as read from a source. */
export interface ManifestFile {
  /** Catalog location target: an absolute file path or a URL. */
  target: string;
  locationType: 'file' | 'url';
  /** File name, used to tell ODCS contracts from products. */
  fileName: string;
  /** The text, unless the file could not be read (then `readError` says why). */
  text?: string;
  readError?: string;
}

/** Where a provider finds manifests: a folder, a GitLab group, later the control plane. */
export interface ManifestSource {
  /** Human-readable, for logs: `folder /srv/products`, `gitlab gitlab.example.com/data`. */
  describe(): string;
  /** Every manifest file of the source (a full scan). */
  listFiles(): Promise<ManifestFile[]>;
}

/** File names a source picks up: Akili manifests, ODPS products and ODCS contracts. */
export const MANIFEST_FILE_PATTERN =
  /^(dataproduct\.(ya?ml|json)|.+\.odps\.(ya?ml|json)|.+\.odcs\.(ya?ml|json))$/i;
export const CONTRACT_FILE_PATTERN = /\.odcs\.(ya?ml|json)$/i;
