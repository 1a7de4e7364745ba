import { ReactNode, useEffect, useState } from 'react';
import {
  AkiliIdentityInfo,
  AkiliRole,
  akiliRolesGrant,
  AkiliTenantPermission,
} from '@akili/plugin-akili-common';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

/**
 * What {@link useUserTenants} asks of a plugin's API: the signed-in user's identity to Akili
 * (`GET /v1/me` of the akili backend) and, for platform admins, every tenant's name.
 *
 * @public
 */
export interface UserTenantsSource {
  getIdentity(): Promise<AkiliIdentityInfo>;
  listTenantNames(): Promise<string[]>;
}

/** A tenant the user may pick, with their roles in it (none for a platform admin's others). @public */
export interface UserTenant {
  name: string;
  roles: AkiliRole[];
}

/** The answer of {@link useUserTenants}. @public */
export interface UserTenantsState {
  loading: boolean;
  error?: Error;
  /** Who the user is to Akili, once loaded. */
  identity?: AkiliIdentityInfo;
  /** The tenants the user may pick; empty while loading or on error. */
  tenants: UserTenant[];
}

const byName = (a: UserTenant, b: UserTenant) => a.name.localeCompare(b.name);

/**
 * The tenants a tenant picker offers: the user's own (where their roles grant `permission`, when
 * given), by name; for platform admins then every other tenant, by name. The backends decide
 * again on every request: this only keeps the picker from offering what they would refuse.
 *
 * @public
 */
export function useUserTenants(
  source: UserTenantsSource,
  options: { permission?: AkiliTenantPermission } = {},
): UserTenantsState {
  const { permission } = options;
  const [state, setState] = useState<UserTenantsState>({
    loading: true,
    tenants: [],
  });
  useEffect(() => {
    let current = true;
    setState({ loading: true, tenants: [] });
    (async () => {
      const identity = await source.getIdentity();
      const own = identity.tenants
        .filter(t => !permission || akiliRolesGrant(t.roles, permission))
        .map(t => ({ name: t.name, roles: t.roles }))
        .sort(byName);
      if (!identity.platformAdmin) {
        return { identity, tenants: own };
      }
      const ownNames = new Set(own.map(t => t.name));
      const others = (await source.listTenantNames())
        .filter(name => !ownNames.has(name))
        .map(name => ({ name, roles: [] }))
        .sort(byName);
      return { identity, tenants: [...own, ...others] };
    })().then(
      value => current && setState({ loading: false, ...value }),
      error => current && setState({ loading: false, error, tenants: [] }),
    );
    return () => {
      current = false;
    };
  }, [source, permission]);
  return state;
}

/**
 * The tenant a tenant page shows: the one `asked` for (from its URL) when the user may pick it,
 * else the first they operate, else their first; none when they may pick none. A link to another
 * tenant thus falls back to one of the user's.
 *
 * @public
 */
export function chooseTenant(
  tenants: readonly UserTenant[],
  asked: string | null | undefined,
): string | undefined {
  if (asked && tenants.some(t => t.name === asked)) return asked;
  return (tenants.find(t => t.roles.includes('operator')) ?? tenants[0])?.name;
}

/** The props of {@link TenantPicker}. @public */
export interface TenantPickerProps {
  /** The id of the select; its label's id is `<id>-label`. */
  id: string;
  /** The tenant names offered, in order (see {@link useUserTenants}). */
  tenants: readonly string[];
  /** The chosen tenant; a name that is not offered shows as no choice. */
  value: string | undefined;
  onChange: (tenant: string) => void;
  /** Default "Tenant". */
  label?: string;
  helperText?: ReactNode;
  required?: boolean;
  error?: boolean;
  disabled?: boolean;
  className?: string;
  fullWidth?: boolean;
  margin?: 'none' | 'dense' | 'normal';
}

/**
 * The one tenant select of the Akili plugins (the Query page, the operators' Runs page, the
 * templates' `AkiliTenantPicker`): a labelled select of the given tenant names.
 *
 * @public
 */
export function TenantPicker(props: TenantPickerProps) {
  const {
    id,
    tenants,
    value,
    onChange,
    label = 'Tenant',
    helperText,
    required,
    error,
    disabled,
    className,
    fullWidth,
    margin,
  } = props;
  return (
    <FormControl
      className={className}
      fullWidth={fullWidth}
      margin={margin}
      required={required}
      error={error}
      disabled={disabled}
    >
      <InputLabel id={`${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={value !== undefined && tenants.includes(value) ? value : ''}
        onChange={event => onChange(String(event.target.value))}
      >
        {tenants.map(name => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </Select>
      {/* Not greyed with a disabled field: it may say why the field is disabled. */}
      {helperText && (
        <FormHelperText disabled={false}>{helperText}</FormHelperText>
      )}
    </FormControl>
  );
}
