export { TenantPicker, useRunnerTenants } from './TenantPicker';
export { tenantPickerField } from './field';
