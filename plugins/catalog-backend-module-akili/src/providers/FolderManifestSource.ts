import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import { isTenantPlaceName } from '../tenancy';
import {
  ManifestFile,
  ManifestScan,
  ManifestSource,
  MANIFEST_FILE_PATTERN,
  UnreadablePlace,
} from './types';

/** Options of {@link FolderManifestSource}. */
export interface FolderManifestSourceOptions {
  /** The folder, absolute. */
  folder: string;
  /**
   * The one tenant the whole folder belongs to. Without it, each top-level subfolder is a
   * tenant's folder (`<folder>/<tenant>/...`, the layout of `examples/data-products`), and files
   * outside a tenant's folder are refused.
   */
  tenant?: string;
}

/**
 * Finds manifests in a local folder tree (hidden folders, node_modules and symbolic links are
 * skipped). Each file's tenant is the folder's tenant, or the top-level subfolder it is in.
 */
export class FolderManifestSource implements ManifestSource {
  private readonly root: string;
  private readonly tenant?: string;

  constructor(options: FolderManifestSourceOptions) {
    this.root = options.folder;
    this.tenant = options.tenant;
  }

  describe() {
    return this.tenant
      ? `folder ${this.root} (tenant ${this.tenant})`
      : `folder ${this.root} (a folder per tenant)`;
  }

  async listFiles(): Promise<ManifestScan> {
    if (this.tenant) {
      const found = await walk(this.root);
      return {
        files: await Promise.all(
          found.map(file => readManifestFile(file, this.tenant)),
        ),
        unreadable: [],
      };
    }
    // A folder per tenant: each is listed on its own, so one that cannot be read keeps its
    // products and leaves the other tenants' alone.
    const files: ManifestFile[] = [];
    const unreadable: UnreadablePlace[] = [];
    for (const entry of await visibleEntries(this.root)) {
      const full = path.join(this.root, entry.name);
      if (entry.isFile()) {
        if (MANIFEST_FILE_PATTERN.test(entry.name)) {
          files.push(await readManifestFile(full, undefined));
        }
        continue;
      }
      if (!entry.isDirectory()) continue;
      const tenant = isTenantPlaceName(entry.name) ? entry.name : undefined;
      try {
        const found = await walk(full);
        files.push(
          ...(await Promise.all(
            found.map(file => readManifestFile(file, tenant)),
          )),
        );
      } catch (error) {
        unreadable.push({
          targetPrefix: `${full}${path.sep}`,
          reason: `cannot list ${full}: ${(error as Error).message}`,
        });
      }
    }
    return { files, unreadable };
  }

  /** The tenant of a file of this folder by its place; undefined outside a tenant's folder. */
  tenantOf(file: string): string | undefined {
    if (this.tenant) return this.tenant;
    const [first, ...rest] = path.relative(this.root, file).split(path.sep);
    return rest.length > 0 && first !== '..' && isTenantPlaceName(first)
      ? first
      : undefined;
  }
}

async function visibleEntries(dir: string) {
  return (await fs.readdir(dir, { withFileTypes: true }))
    .filter(e => !e.name.startsWith('.') && e.name !== 'node_modules')
    .sort((a, b) => {
      if (a.name === b.name) return 0;
      return a.name < b.name ? -1 : 1;
    });
}

/** Manifest files under a folder, sorted; symbolic links are not followed. */
async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (current: string) => {
    for (const entry of await visibleEntries(current)) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        await visit(full);
      } else if (entry.isFile() && MANIFEST_FILE_PATTERN.test(entry.name)) {
        found.push(full);
      }
    }
  };
  await visit(dir);
  return found.sort();
}

/**
 * Reads one file, refusing oversized ones before reading them. A symbolic link is not followed
 * (the scan skips them; this also holds when a file is swapped for one after the scan).
 */
export async function readManifestFile(
  file: string,
  tenant: string | undefined,
): Promise<ManifestFile> {
  const base = {
    target: file,
    locationType: 'file' as const,
    fileName: path.basename(file),
    tenant,
  };
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    const { size } = await handle.stat();
    if (size > MAX_MANIFEST_BYTES) {
      return {
        ...base,
        readError: `file is ${size} bytes, larger than the ${MAX_MANIFEST_BYTES}-byte limit for manifests`,
      };
    }
    return { ...base, text: await handle.readFile('utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ...base,
      readError:
        code === 'ELOOP'
          ? 'cannot read file: it is a symbolic link'
          : `cannot read file: ${code ?? (error as Error).message}`,
    };
  } finally {
    await handle?.close();
  }
}
