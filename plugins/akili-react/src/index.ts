/**
 * What the Akili frontend plugins share: reading API errors, calling their backends, and the
 * one-action dialog.
 *
 * @packageDocumentation
 */
export { ActionDialog } from './ActionDialog';
export type { ActionDialogProps } from './ActionDialog';
export { BackendRequester, queryString } from './BackendRequester';
export {
  errorMessage,
  errorName,
  errorStatus,
  isForbidden,
  isNotFound,
} from './errors';
