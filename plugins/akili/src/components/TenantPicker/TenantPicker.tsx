import { useEffect, useMemo } from 'react';
import { akiliProductSubmitPermission } from '@akili/plugin-akili-common';
import {
  TenantPicker as AkiliTenantSelect,
  UserTenantsSource,
  useUserTenants,
} from '@akili/plugin-akili-react';
import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { akiliTenantsApiRef } from '../../api';

/**
 * The tenants where the signed-in user may run templates: where their roles grant product
 * submission (developers and operators), the rule the scaffolder module applies; every tenant
 * for platform admins.
 */
export function useRunnerTenants() {
  const api = useApi(akiliTenantsApiRef);
  const source = useMemo<UserTenantsSource>(
    () => ({
      getIdentity: () => api.getIdentity(),
      listTenantNames: async () =>
        (await api.listTenants()).items.map(t => t.name),
    }),
    [api],
  );
  return useUserTenants(source, { permission: akiliProductSubmitPermission });
}

/**
 * `ui:field: AkiliTenantPicker`: a tenant of the user's own, where they may run templates. The
 * value is the tenant's name; with a single tenant it is chosen already. The scaffolder checks
 * the value again when the run is created, whatever the form sent.
 */
export function TenantPicker(props: FieldExtensionComponentProps<string>) {
  const { onChange, formData, required, rawErrors, schema, idSchema } = props;
  const tenants = useRunnerTenants();
  const choices = tenants.tenants.map(t => t.name);
  const only = choices.length === 1 ? choices[0] : undefined;

  useEffect(() => {
    if (only && formData !== only) {
      onChange(only);
    }
  }, [only, formData, onChange]);

  let help = schema.description ?? 'A tenant where you develop or operate';
  if (tenants.error) {
    help = `Your tenants could not be loaded: ${tenants.error.message}`;
  } else if (!tenants.loading && choices.length === 0) {
    help =
      'You are not a developer or operator of any tenant, so you cannot create data products';
  }
  return (
    <AkiliTenantSelect
      id={idSchema?.$id ?? 'akili-tenant'}
      label={schema.title ?? 'Tenant'}
      tenants={choices}
      value={formData}
      onChange={onChange}
      helperText={help}
      required={required}
      error={Boolean(rawErrors?.length) || Boolean(tenants.error)}
      disabled={tenants.loading || choices.length === 0}
      fullWidth
      margin="normal"
    />
  );
}
