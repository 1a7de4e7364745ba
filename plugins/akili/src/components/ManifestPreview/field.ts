import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ManifestPreview,
  ManifestPreviewOptions,
  templateManifest,
} from './ManifestPreview';

/**
 * Keeps the form from going on with a manifest the validator refuses: the manifest is made
 * again from the form's values (not taken from the field's value), as the run will make it.
 * The message counts the problems; the field lists them, with their paths and lines.
 */
export const validateManifestPreview: CustomFieldValidator<
  string,
  ManifestPreviewOptions
> = (_value, field, { formData, uiSchema }) => {
  const { errors } = templateManifest(
    uiSchema?.['ui:options']?.template,
    formData ?? {},
  );
  if (errors.length > 0) {
    const count =
      errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    field.addError(
      `The manifest is not valid (${count}, listed with it): go back and change the values they name`,
    );
  }
};

/**
 * The scaffolder form field `AkiliManifestPreview`: the manifest a new-product template will
 * create, live and validated.
 */
export const manifestPreviewField = createFormField({
  name: 'AkiliManifestPreview',
  component: ManifestPreview,
  validation: validateManifestPreview,
});
