import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { TenantPicker } from './TenantPicker';

/** The scaffolder form field `AkiliTenantPicker` (a tenant name of the user's own). */
export const tenantPickerField = createFormField({
  name: 'AkiliTenantPicker',
  component: TenantPicker,
});
