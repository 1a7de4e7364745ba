import { useEffect, useMemo } from 'react';
import {
  ManifestProblem,
  parseManifest,
  PRODUCT_TEMPLATE_KINDS,
  ProductTemplateKind,
  ProductTemplateValues,
  templateManifestYaml,
} from '@akili/plugin-akili-common';
import { CodeSnippet } from '@backstage/core-components';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';

/** The options of the field: which new-product template the form belongs to. */
export interface ManifestPreviewOptions {
  template?: ProductTemplateKind;
}

/** The manifest of a template form's values and its problems, as the template's run would see them. */
export interface TemplateManifest {
  text: string;
  errors: ManifestProblem[];
}

/**
 * The manifest a template's run will write for the form's values (`templateManifestYaml`, the
 * function of its `akili:manifest:create` step) and what the validator says of it. An unknown
 * template kind is a problem of the template itself, named as such.
 */
export function templateManifest(
  template: unknown,
  values: ProductTemplateValues,
): TemplateManifest {
  if (!PRODUCT_TEMPLATE_KINDS.includes(template as ProductTemplateKind)) {
    return {
      text: '',
      errors: [
        {
          path: 'ui:options.template',
          message: `The template names no product kind this field knows ('${String(
            template,
          )}'): use one of ${PRODUCT_TEMPLATE_KINDS.join(', ')}`,
        },
      ],
    };
  }
  const text = templateManifestYaml(template as ProductTemplateKind, values);
  return { text, errors: parseManifest(text).errors };
}

/** `$.spec.owner (line 9): missing required field 'owner'`. */
export function describeProblem(problem: ManifestProblem): string {
  const line = problem.line !== undefined ? ` (line ${problem.line})` : '';
  return `${problem.path}${line}: ${problem.message}`;
}

/**
 * `ui:field: AkiliManifestPreview`: the DataProduct manifest the template will create, rendered
 * live from every step's values (`ui:options.template`: `sql`, `python` or `ingestion`) and
 * validated as the registry will validate it; its problems are listed with their paths and lines
 * highlighted. The field's value is the manifest text, so the form's validation sees it.
 */
export function ManifestPreview(
  props: FieldExtensionComponentProps<string, ManifestPreviewOptions>,
) {
  const { formContext, uiSchema, onChange, formData, schema, rawErrors } =
    props;
  const values = (formContext?.formData ?? {}) as ProductTemplateValues;
  const template = uiSchema?.['ui:options']?.template;
  const manifest = useMemo(
    () => templateManifest(template, values),
    // The form hands a new object on each change; its content is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [template, JSON.stringify(values)],
  );

  useEffect(() => {
    if (manifest.text && formData !== manifest.text) {
      onChange(manifest.text);
    }
  }, [manifest.text, formData, onChange]);

  const lines = manifest.errors.flatMap(e =>
    e.line !== undefined ? [e.line] : [],
  );
  return (
    <Box mt={2} mb={1}>
      <Typography variant="h6" component="h3">
        {schema.title ?? 'Manifest'}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        The project gets this <code>dataproduct.yaml</code>. Go back to change
        it; it is validated again when you create the product.
      </Typography>
      {manifest.errors.length > 0 ? (
        <Alert severity="error" role="alert">
          <AlertTitle>The manifest is not valid</AlertTitle>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {manifest.errors.map(problem => (
              <li key={`${problem.path} ${problem.message}`}>
                {describeProblem(problem)}
              </li>
            ))}
          </ul>
        </Alert>
      ) : (
        <Alert severity={rawErrors?.length ? 'error' : 'success'}>
          {rawErrors?.length ? rawErrors.join('; ') : 'The manifest is valid.'}
        </Alert>
      )}
      {manifest.text && (
        <Box mt={2} data-testid="akili-manifest-preview">
          <CodeSnippet
            text={manifest.text}
            language="yaml"
            showLineNumbers
            highlightedNumbers={lines}
            showCopyCodeButton
          />
        </Box>
      )}
    </Box>
  );
}
