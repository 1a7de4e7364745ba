/**
 * Types shared by the Akili lake plugins (`@akili/plugin-lake-backend` and the Files tab,
 * storage and access agreement pages of `@akili/plugin-lake`): the files of data products'
 * `files` output ports, previews, storage use per tenant, access agreements between tenants,
 * and the permissions.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './api';
export * from './agreements';
