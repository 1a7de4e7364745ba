import fs from 'node:fs';
import path from 'node:path';

/**
 * The monorepo's root: the nearest directory above this package whose package.json declares
 * workspaces.
 */
// eslint-disable-next-line no-restricted-syntax -- a test-only package, run from its sources
export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces !== undefined
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no workspace root above ${from}`);
    }
    dir = parent;
  }
}

/** Files under `dir` (recursively) whose names end with one of `extensions`, sorted. */
export function listFiles(dir: string, extensions: string[]): string[] {
  if (!fs.existsSync(dir)) {
    throw new Error(`${dir} does not exist`);
  }
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (extensions.some(ext => entry.name.endsWith(ext))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
