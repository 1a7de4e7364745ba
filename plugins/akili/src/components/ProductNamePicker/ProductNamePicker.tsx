import { useEffect, useState } from 'react';
import {
  dataProductNameProblem,
  isValidTenantName,
} from '@akili/plugin-akili-common';
import { errorMessage } from '@akili/plugin-akili-react';
import { ApiHolder, useApiHolder } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { akiliTenantsApiRef } from '../../api';

/** How long the field waits after the last keystroke before it asks whether a name is free. */
const CHECK_DELAY_MS = 400;

/** What the form knows about a name for a new product. */
export interface ProductNameCheck {
  /** Why the product cannot take the name (invalid, taken, or the check failed). */
  problem?: string;
  /** What to tell about a name that can be taken (where it is free, what could not be asked). */
  note?: string;
}

/**
 * Whether a new product can take a name in a tenant: a name the manifest would refuse
 * (`dataProductNameProblem` of `@akili/plugin-akili-common`) is refused without a lookup; else
 * the control plane answers as the user whether the registry, the catalog or GitLab has it.
 * A check that failed is a problem, never a free name (the run's own check would fail the same
 * way). Without a valid tenant there is nothing to look up: the tenant field says what is missing.
 */
export async function checkProductName(
  name: unknown,
  tenant: unknown,
  apis: ApiHolder,
): Promise<ProductNameCheck> {
  const invalid = dataProductNameProblem(name);
  if (invalid) {
    return { problem: invalid };
  }
  if (!isValidTenantName(tenant)) {
    return { note: 'Choose the tenant to check whether the name is free' };
  }
  const product = name as string;
  const akili = apis.get(akiliTenantsApiRef);
  if (!akili) {
    return { problem: `Could not check whether '${product}' is free` };
  }
  let answer;
  try {
    answer = await akili.checkProductName(tenant, product);
  } catch (error) {
    return {
      problem: `Could not check whether '${product}' is free: the control plane answered "${errorMessage(
        error,
      )}". Try again in a moment.`,
    };
  }
  if (!answer.available) {
    return {
      problem:
        answer.message ??
        `Tenant '${tenant}' has a data product '${product}' already: choose another name`,
    };
  }
  return {
    note: answer.unchecked?.includes('gitlab')
      ? `'${product}' is free in ${tenant}'s registry and catalog; GitLab could not be checked, publishing will tell if the project exists`
      : `'${product}' is free in ${tenant}: no product or GitLab project of that name`,
  };
}

/** Why a new product cannot take a name, or `undefined` (see {@link checkProductName}). */
export async function productNameProblem(
  name: unknown,
  tenant: unknown,
  apis: ApiHolder,
): Promise<string | undefined> {
  return (await checkProductName(name, tenant, apis)).problem;
}

type Check =
  | { state: 'idle' }
  | { state: 'checking' }
  | ({ state: 'done' } & ProductNameCheck);

/**
 * `ui:field: AkiliProductNamePicker`: the name of a new data product, checked as the user types
 * against the name rule and, through the control plane, against the registry, the catalog and
 * GitLab of the form's `tenant` field; the field's validation checks again before the form goes
 * on, and the run's registration step a last time.
 */
export function ProductNamePicker(props: FieldExtensionComponentProps<string>) {
  const {
    onChange,
    formData,
    formContext,
    required,
    rawErrors,
    schema,
    idSchema,
  } = props;
  const apis = useApiHolder();
  const tenant: unknown = formContext?.formData?.tenant;
  const [check, setCheck] = useState<Check>({ state: 'idle' });

  useEffect(() => {
    if (!formData) {
      setCheck({ state: 'idle' });
      return undefined;
    }
    let current = true;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      checkProductName(formData, tenant, apis).then(result => {
        if (current) {
          setCheck({ state: 'done', ...result });
        }
      });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [formData, tenant, apis]);

  let helperText = schema.description;
  let error = Boolean(rawErrors?.length);
  if (check.state === 'checking') {
    helperText = 'Checking the name…';
  } else if (check.state === 'done' && check.problem) {
    helperText = check.problem;
    error = true;
  } else if (check.state === 'done') {
    helperText = check.note;
  }
  return (
    <TextField
      id={idSchema?.$id ?? 'akili-product-name'}
      label={schema.title ?? 'Name'}
      helperText={helperText}
      required={required}
      fullWidth
      margin="normal"
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      error={error}
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
}
