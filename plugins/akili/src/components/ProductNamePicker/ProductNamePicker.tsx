import { NAME_PATTERN } from '@akili/plugin-akili-common';
import { ApiHolder } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';

const NAME = new RegExp(NAME_PATTERN);
const MAX_NAME_LENGTH = 63;

/**
 * Why a new product's name cannot be taken, or `undefined`: a data product of that name in the
 * tenant already (as far as the user's catalog shows). A name the manifest would refuse
 * (`NAME_PATTERN` of `@akili/plugin-akili-common`, at most 63 characters) is not looked up: the
 * template's schema (`pattern`, `maxLength` with their `errorMessage`) says what is wrong with it.
 */
export async function productNameProblem(
  name: unknown,
  tenant: unknown,
  apis: ApiHolder,
): Promise<string | undefined> {
  if (
    typeof name !== 'string' ||
    name.length > MAX_NAME_LENGTH ||
    !NAME.test(name) ||
    typeof tenant !== 'string' ||
    !tenant
  ) {
    return undefined;
  }
  const catalog = apis.get(catalogApiRef);
  const existing = await catalog?.getEntityByRef({
    kind: 'DataProduct',
    namespace: tenant,
    name,
  });
  return existing
    ? `Tenant '${tenant}' has a data product '${name}' already: choose another name`
    : undefined;
}

/**
 * `ui:field: AkiliProductNamePicker`: the name of a new data product, checked in the form
 * against the tenant's products in the catalog (the form's `tenant` field); GitLab refuses a
 * project that exists when the run publishes.
 */
export function ProductNamePicker(props: FieldExtensionComponentProps<string>) {
  const { onChange, formData, required, rawErrors, schema, idSchema } = props;
  return (
    <TextField
      id={idSchema?.$id ?? 'akili-product-name'}
      label={schema.title ?? 'Name'}
      helperText={schema.description}
      required={required}
      fullWidth
      margin="normal"
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      error={Boolean(rawErrors?.length)}
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
}
