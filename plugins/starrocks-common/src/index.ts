/**
 * Shared by the Akili query plugins (`@akili/plugin-starrocks-backend` and its frontend): the
 * read-only SQL guard of the StarRocks query API, its permissions and API types.
 *
 * @packageDocumentation
 */
export {};
