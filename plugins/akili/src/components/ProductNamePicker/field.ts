import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ProductNamePicker, productNameProblem } from './ProductNamePicker';

/** Adds the name's problem to the field; the tenant is the form's `tenant` field. */
export const validateProductName: CustomFieldValidator<string> = async (
  name,
  field,
  { apiHolder, formData },
) => {
  const problem = await productNameProblem(name, formData?.tenant, apiHolder);
  if (problem) {
    field.addError(problem);
  }
};

/**
 * The scaffolder form field `AkiliProductNamePicker`: a valid name no data product of the form's
 * tenant has yet, in its registry, its catalog or its GitLab group (the control plane answers).
 */
export const productNamePickerField = createFormField({
  name: 'AkiliProductNamePicker',
  component: ProductNamePicker,
  validation: validateProductName,
});
