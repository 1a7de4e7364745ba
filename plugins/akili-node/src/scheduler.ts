/**
 * The Akili scheduler as a backend feature, for `backend.add(...)`: Backstage's scheduler with
 * its HTTP routes for platform admins and backend plugins only (see
 * `akiliSchedulerServiceFactory`).
 *
 * @packageDocumentation
 */
export { akiliSchedulerServiceFactory as default } from './scheduler/schedulerServiceFactory';
