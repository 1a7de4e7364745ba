/**
 * Tenant-scoped SQL over StarRocks (MySQL protocol) for the Akili portal.
 *
 * @packageDocumentation
 */
export {};
