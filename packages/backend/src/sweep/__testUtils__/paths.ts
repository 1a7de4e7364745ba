import path from 'node:path';

/** The repository's root directory. */
export const repoRoot = path.resolve(__dirname, '../../../../..');

/** packages/backend: the directory relative paths of app-config.yaml are resolved from. */
export const backendDir = path.resolve(__dirname, '../../..');
