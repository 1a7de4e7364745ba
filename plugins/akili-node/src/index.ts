/**
 * Backend services shared by Akili plugins.
 *
 * @packageDocumentation
 */
export { requireTestDatabaseIds } from './testDatabases';
