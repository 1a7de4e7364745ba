import fs from 'node:fs';
import path from 'node:path';

const PLUGINS_DIR = path.resolve(__dirname, '../../../../../plugins');

/**
 * Every Akili backend plugin (role `backend-plugin` in plugins/) with the OpenAPI spec it must
 * keep in `src/schema/openapi.yaml`. A backend plugin without one fails the sweep's spec check
 * (its `openapi.json` answers 404).
 */
export function akiliApiSpecs(): Array<{ pluginId: string; specFile: string }> {
  return fs
    .readdirSync(PLUGINS_DIR)
    .sort()
    .flatMap(dir => {
      const manifestFile = path.join(PLUGINS_DIR, dir, 'package.json');
      if (!fs.existsSync(manifestFile)) return [];
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      if (manifest.backstage?.role !== 'backend-plugin') return [];
      return [
        {
          pluginId: manifest.backstage.pluginId as string,
          specFile: `plugins/${dir}/src/schema/openapi.yaml`,
        },
      ];
    });
}
