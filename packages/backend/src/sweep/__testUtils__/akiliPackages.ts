import fs from 'node:fs';
import path from 'node:path';

/** An `@akili/*` backend package the portal backend depends on. */
export interface AkiliBackendPackage {
  name: string;
  role: 'backend-plugin' | 'backend-plugin-module';
  /** The plugin the package is (role backend-plugin) or extends (role backend-plugin-module). */
  pluginId: string;
}

const backendPackageJson = path.resolve(__dirname, '../../../package.json');

/**
 * The `@akili/*` backend plugins and modules among the dependencies of packages/backend, read
 * from each package's `backstage` field. A new Akili backend package added to the backend is
 * picked up here without editing the sweep.
 */
export function readAkiliBackendPackages(): AkiliBackendPackage[] {
  const { dependencies = {} } = JSON.parse(
    fs.readFileSync(backendPackageJson, 'utf8'),
  ) as { dependencies?: Record<string, string> };
  const packages: AkiliBackendPackage[] = [];
  for (const name of Object.keys(dependencies).sort()) {
    if (!name.startsWith('@akili/')) continue;
    const manifest = JSON.parse(
      fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8'),
    ) as { backstage?: { role?: string; pluginId?: string } };
    const role = manifest.backstage?.role;
    if (role !== 'backend-plugin' && role !== 'backend-plugin-module') {
      continue;
    }
    const pluginId = manifest.backstage?.pluginId;
    if (!pluginId) {
      throw new Error(`${name} has no backstage.pluginId in its package.json`);
    }
    packages.push({ name, role, pluginId });
  }
  return packages;
}

/**
 * The ids of the Akili plugins: plugins whose backend package is an `@akili/*` package. Their
 * routes, all of them, are what the sweeps cover (`/api/<pluginId>/...`).
 */
export function akiliPluginIds(
  packages = readAkiliBackendPackages(),
): string[] {
  return [
    ...new Set(
      packages.filter(p => p.role === 'backend-plugin').map(p => p.pluginId),
    ),
  ].sort();
}
