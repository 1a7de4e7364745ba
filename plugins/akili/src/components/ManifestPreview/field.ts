import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  describeProblem,
  ManifestPreview,
  ManifestPreviewOptions,
  templateManifest,
} from './ManifestPreview';

/** Problems named in the form's error for the field; the preview lists them all. */
const PROBLEMS_NAMED = 3;

/**
 * Keeps the form from going on with a manifest the validator refuses: the manifest is made
 * again from the form's values (not taken from the field's value), as the run will make it.
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
    const more =
      errors.length > PROBLEMS_NAMED
        ? ` (and ${errors.length - PROBLEMS_NAMED} more)`
        : '';
    field.addError(
      `The manifest is not valid: ${errors
        .slice(0, PROBLEMS_NAMED)
        .map(describeProblem)
        .join('; ')}${more}`,
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
