import { useEffect, useState } from 'react';
import {
  dataProductNameProblem,
  isValidTenantName,
} from '@akili/plugin-akili-common';
import { errorMessage, isNotFound } from '@akili/plugin-akili-react';
import { ApiHolder, useApiHolder } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { akiliTenantsApiRef } from '../../api';

/** How long the field waits after the last keystroke before it asks whether a name is free. */
const CHECK_DELAY_MS = 400;

/**
 * Why a new product cannot take a name, or `undefined`: a name the manifest would refuse
 * (`dataProductNameProblem` of `@akili/plugin-akili-common`), a product of that name in the
 * tenant's registry or catalog (both asked as the user, at once), or that either could not be
 * asked (the run's own check would fail the same way). Without a valid tenant there is nothing
 * to look up: the tenant field says what is missing.
 */
export async function productNameProblem(
  name: unknown,
  tenant: unknown,
  apis: ApiHolder,
): Promise<string | undefined> {
  const invalid = dataProductNameProblem(name);
  if (invalid || !isValidTenantName(tenant)) {
    return invalid;
  }
  const product = name as string;
  const catalog = apis.get(catalogApiRef);
  const akili = apis.get(akiliTenantsApiRef);
  const unchecked = (where: string, error: unknown) =>
    new Error(
      `Could not check whether '${product}' is free: the ${where} answered "${errorMessage(
        error,
      )}". Try again in a moment.`,
    );
  let lookups;
  try {
    lookups = await Promise.all([
      akili?.getProduct(tenant, product).catch(error => {
        if (isNotFound(error)) {
          return undefined;
        }
        throw unchecked('registry', error);
      }),
      catalog
        ?.getEntityByRef({
          kind: 'DataProduct',
          namespace: tenant,
          name: product,
        })
        .catch(error => {
          throw unchecked('catalog', error);
        }),
    ]);
  } catch (error) {
    return errorMessage(error);
  }
  const [registered, entity] = lookups;
  if (registered) {
    return `Tenant '${tenant}' has registered a data product '${product}' already (revision ${registered.revision}): choose another name`;
  }
  if (entity) {
    return `Tenant '${tenant}' has a data product '${product}' in the catalog already: choose another name`;
  }
  return undefined;
}

type Check =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'done'; name: string; tenant: string; problem?: string };

/**
 * `ui:field: AkiliProductNamePicker`: the name of a new data product, checked as the user types
 * against the name rule and against the registry and the catalog of the form's `tenant` field;
 * the field's validation checks again before the form goes on, and the run's registration step
 * a last time.
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
      productNameProblem(formData, tenant, apis).then(problem => {
        if (current) {
          setCheck({
            state: 'done',
            name: formData,
            tenant: String(tenant ?? ''),
            problem,
          });
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
  } else if (check.state === 'done' && isValidTenantName(check.tenant)) {
    helperText = `'${check.name}' is free in ${check.tenant}: no product of that name in its registry or catalog`;
  } else if (check.state === 'done') {
    helperText = 'Choose the tenant to check whether the name is free';
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
