// The harness lives in ../kafkaMock.ts so the package index may export it (index files must
// not import from __testUtils__); this path stays for tests that import it relatively.
export { startKafkaMock } from '../kafkaMock';
export type { KafkaMock } from '../kafkaMock';
