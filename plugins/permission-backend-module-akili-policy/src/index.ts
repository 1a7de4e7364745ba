/**
 * The Akili tenant permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */

export { permissionModuleAkiliPolicy as default } from './module';
export { AkiliPermissionPolicy } from './policy';
export { AKILI_POLICY_TABLE } from './table';
export type {
  PermissionDecider,
  PolicyContext,
  PolicyTableEntry,
} from './table';
