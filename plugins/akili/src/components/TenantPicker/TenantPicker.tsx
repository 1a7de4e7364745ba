import { useEffect } from 'react';
import {
  akiliProductSubmitPermission,
  akiliTenantsGranting,
} from '@akili/plugin-akili-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import useAsync from 'react-use/esm/useAsync';
import { akiliTenantsApiRef } from '../../api';

/**
 * The tenants where the signed-in user may run templates: where their roles grant product
 * submission (developers and operators), the rule the scaffolder module applies; every tenant
 * for platform admins.
 */
export function useRunnerTenants() {
  const api = useApi(akiliTenantsApiRef);
  return useAsync(async () => {
    const identity = await api.getIdentity();
    if (identity.platformAdmin) {
      return (await api.listTenants()).items.map(t => t.name).sort();
    }
    return akiliTenantsGranting(
      {
        platformAdmin: false,
        tenantRoles: new Map(
          identity.tenants.map(t => [t.name, new Set(t.roles)]),
        ),
      },
      akiliProductSubmitPermission,
    );
  }, [api]);
}

/**
 * `ui:field: AkiliTenantPicker`: a tenant of the user's own, where they may run templates. The
 * value is the tenant's name; with a single tenant it is chosen already. The scaffolder checks
 * the value again when the run is created, whatever the form sent.
 */
export function TenantPicker(props: FieldExtensionComponentProps<string>) {
  const { onChange, formData, required, rawErrors, schema, idSchema } = props;
  const tenants = useRunnerTenants();
  const choices = tenants.value ?? [];
  const only = choices.length === 1 ? choices[0] : undefined;

  useEffect(() => {
    if (only && formData !== only) {
      onChange(only);
    }
  }, [only, formData, onChange]);

  const id = idSchema?.$id ?? 'akili-tenant';
  let help = schema.description ?? 'A tenant where you develop or operate';
  if (tenants.error) {
    help = `Your tenants could not be loaded: ${tenants.error.message}`;
  } else if (!tenants.loading && choices.length === 0) {
    help =
      'You are not a developer or operator of any tenant, so you cannot create data products';
  }
  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={Boolean(rawErrors?.length) || Boolean(tenants.error)}
      disabled={tenants.loading || choices.length === 0}
    >
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Tenant'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={choices.includes(formData ?? '') ? formData : ''}
        onChange={event => onChange(String(event.target.value))}
      >
        {choices.map(tenant => (
          <MenuItem key={tenant} value={tenant}>
            {tenant}
          </MenuItem>
        ))}
      </Select>
      <FormHelperText>{help}</FormHelperText>
    </FormControl>
  );
}
