import { TestJobConfigSchema } from './model';

/** A member of Dagster's `PipelineConfigValidationError` interface, ready to resolve. */
export interface ConfigError {
  __typename: string;
  message: string;
  path: string[];
  reason: string;
  stack: {
    entries: Array<{
      __typename: 'EvaluationStackPathEntry';
      fieldName: string;
    }>;
  };
  [field: string]: unknown;
}

/** Keys Dagster accepts at the root of any job's run config besides `ops`. */
const ROOT_KEYS = ['ops', 'execution', 'loggers', 'resources'];
const OP_KEYS = ['config', 'inputs', 'outputs'];

/** A `ConfigTypeField` for a missing field; the test server types config values as `Any`. */
function configField(name: string) {
  return {
    name,
    description: null,
    isRequired: true,
    isSecret: false,
    defaultValueAsJson: null,
    configTypeKey: 'Any',
    configType: {
      __typename: 'RegularConfigType',
      key: 'Any',
      givenName: 'Any',
      description: null,
      recursiveConfigTypes: [],
      typeParamKeys: [],
      isSelector: false,
    },
  };
}

function where(path: string[]) {
  return path.length ? `path root:${path.join(':')}` : 'the root';
}

function error(
  typename: string,
  reason: string,
  path: string[],
  message: string,
) {
  return {
    __typename: typename,
    message,
    path,
    reason,
    stack: {
      entries: path.map(fieldName => ({
        __typename: 'EvaluationStackPathEntry' as const,
        fieldName,
      })),
    },
  };
}

const pythonList = (names: string[]) =>
  `[${names.map(name => `'${name}'`).join(', ')}]`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a dict against the fields it may and must have, with the errors and messages Dagster's
 * config validation gives (one `…ConfigError` for one field, the plural type for several).
 */
function checkShape(
  value: unknown,
  path: string[],
  allowed: string[],
  required: string[],
  errors: ConfigError[],
): value is Record<string, unknown> {
  const expected = `{ ${allowed
    .map(key => (required.includes(key) ? key : `${key}?`))
    .join(' ')} }`;
  if (!isObject(value)) {
    errors.push({
      ...error(
        'RuntimeMismatchConfigError',
        'RUNTIME_TYPE_MISMATCH',
        path,
        `Value at ${where(path)} must be dict. Expected: "${expected}".`,
      ),
      valueRep: JSON.stringify(value),
    });
    return false;
  }
  const unknown = Object.keys(value).filter(key => !allowed.includes(key));
  if (unknown.length === 1) {
    errors.push({
      ...error(
        'FieldNotDefinedConfigError',
        'FIELD_NOT_DEFINED',
        path,
        `Received unexpected config entry "${unknown[0]}" at ${where(
          path,
        )}. Expected: "${expected}".`,
      ),
      fieldName: unknown[0],
    });
  } else if (unknown.length > 1) {
    errors.push({
      ...error(
        'FieldsNotDefinedConfigError',
        'FIELDS_NOT_DEFINED',
        path,
        `Received unexpected config entries "${pythonList(unknown)}" at ${where(
          path,
        )}. Expected: "${expected}".`,
      ),
      fieldNames: unknown,
    });
  }
  const missing = required.filter(key => !(key in value));
  if (missing.length === 1) {
    errors.push({
      ...error(
        'MissingFieldConfigError',
        'MISSING_REQUIRED_FIELD',
        path,
        `Missing required config entry "${missing[0]}" at ${where(
          path,
        )}. Sample config for missing entry: {'${missing[0]}': '...'}`,
      ),
      field: configField(missing[0]),
    });
  } else if (missing.length > 1) {
    errors.push({
      ...error(
        'MissingFieldsConfigError',
        'MISSING_REQUIRED_FIELDS',
        path,
        `Missing required config entries ${pythonList(missing)} at ${where(
          path,
        )}.`,
      ),
      fields: missing.map(configField),
    });
  }
  return true;
}

/**
 * Validates run config against a job's config schema: the ops it names must be the job's, their
 * `config` may hold only the allowed keys and must hold the required ones.
 */
export function validateRunConfig(
  schema: TestJobConfigSchema,
  steps: string[],
  runConfig: unknown,
): ConfigError[] {
  const errors: ConfigError[] = [];
  const opNames = [...new Set([...Object.keys(schema.ops), ...steps])];
  const requiredOps = Object.entries(schema.ops)
    .filter(([, op]) => op.required?.length)
    .map(([name]) => name);
  const root = runConfig ?? {};
  if (
    !checkShape(root, [], ROOT_KEYS, requiredOps.length ? ['ops'] : [], errors)
  ) {
    return errors;
  }
  if (root.ops === undefined) return errors;
  if (!checkShape(root.ops, ['ops'], opNames, requiredOps, errors))
    return errors;
  for (const [opName, opConfig] of Object.entries(root.ops)) {
    const op = schema.ops[opName];
    if (!opNames.includes(opName)) continue;
    const path = ['ops', opName];
    const needsConfig = !!op?.required?.length;
    if (
      !checkShape(
        opConfig,
        path,
        OP_KEYS,
        needsConfig ? ['config'] : [],
        errors,
      )
    )
      continue;
    // Ops outside the schema take any config, like an op without a config schema.
    if (!op || opConfig.config === undefined) continue;
    checkShape(
      opConfig.config,
      [...path, 'config'],
      op.config,
      op.required ?? [],
      errors,
    );
  }
  return errors;
}
