import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import { ManifestFile, ManifestSource, MANIFEST_FILE_PATTERN } from './types';

/** Finds manifests in a local folder tree (hidden folders and node_modules are skipped). */
export class FolderManifestSource implements ManifestSource {
  constructor(private readonly root: string) {}

  describe() {
    return `folder ${this.root}`;
  }

  async listFiles(): Promise<ManifestFile[]> {
    const found: string[] = [];
    const walk = async (dir: string) => {
      const entries = await fs.readdir(dir, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules')
          continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile() && MANIFEST_FILE_PATTERN.test(entry.name)) {
          found.push(full);
        }
      }
    };
    await walk(this.root);
    found.sort();
    return Promise.all(found.map(file => readManifestFile(file)));
  }
}

/** Reads one file, refusing oversized ones before reading them. */
export async function readManifestFile(file: string): Promise<ManifestFile> {
  const base = {
    target: file,
    locationType: 'file' as const,
    fileName: path.basename(file),
  };
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_MANIFEST_BYTES) {
      return {
        ...base,
        readError: `file is ${size} bytes, larger than the ${MAX_MANIFEST_BYTES}-byte limit for manifests`,
      };
    }
    return { ...base, text: await fs.readFile(file, 'utf8') };
  } catch (error) {
    return {
      ...base,
      readError: `cannot read file: ${(error as Error).message}`,
    };
  }
}
