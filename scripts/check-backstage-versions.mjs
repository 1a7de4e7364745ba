// Fails when yarn.lock holds more than one version of any @backstage package: a mixed set
// fails at start-up (e.g. "httpRouter.addWebSocketHandler is not a function").
import fs from 'node:fs';

const lock = fs.readFileSync(new URL('../yarn.lock', import.meta.url), 'utf8');
const versions = new Map();
for (const m of lock.matchAll(
  /^"?(@backstage\/[^@\s]+)@[^\n]*\n\s+version: "?([^"\n]+)"?/gm,
)) {
  const set = versions.get(m[1]) ?? new Set();
  set.add(m[2]);
  versions.set(m[1], set);
}
const mixed = [...versions].filter(([, v]) => v.size > 1);
if (versions.size === 0) {
  console.error('no @backstage packages found in yarn.lock');
  process.exit(1);
}
if (mixed.length > 0) {
  for (const [name, v] of mixed) {
    console.error(`${name}: ${[...v].join(', ')}`);
  }
  console.error(
    '@backstage packages must be on one release line: pin them in package.json "resolutions"',
  );
  process.exit(1);
}
const backstage = JSON.parse(
  fs.readFileSync(new URL('../backstage.json', import.meta.url), 'utf8'),
);
console.log(
  `${versions.size} @backstage packages, one version each (Backstage ${backstage.version})`,
);
