import { useState } from 'react';
import {
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import {
  launchRunConfigProblem,
  type LaunchRunRequest,
  type ProductRunTarget,
  type RunDetail,
} from '@akili/plugin-dagster-common';
import { ActionDialog } from '../common/ActionDialog';
import { formatAssetKey } from '../../lib/runs';

const useStyles = makeStyles(theme => ({
  field: {
    marginTop: theme.spacing(2),
  },
  config: {
    fontFamily: 'monospace',
  },
}));

/**
 * What is wrong with run config typed as JSON, or nothing: it must parse, and be an object
 * (Dagster's run config is a mapping of sections such as `ops` and `resources`).
 */
export function runConfigError(text: string): string | undefined {
  if (!text.trim()) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'Run config must be a JSON object, such as {"ops": {...}}';
  }
  const problem = launchRunConfigProblem(parsed as Record<string, unknown>);
  return problem ? `The ${problem}` : undefined;
}

/**
 * Launches a run of the product: one of its jobs, optionally only some of its assets, with run
 * config as JSON. The JSON is checked here; what Dagster says about its content (a 400) stays
 * in the dialog.
 */
export const LaunchRunDialog = (props: {
  target: ProductRunTarget;
  onLaunch: (request: LaunchRunRequest) => Promise<RunDetail>;
  onLaunched: (run: RunDetail) => void;
  onClose: () => void;
}) => {
  const { target } = props;
  const classes = useStyles();
  const [job, setJob] = useState(target.jobs[0] ?? '');
  const [assets, setAssets] = useState<string[]>([]);
  const [config, setConfig] = useState('');
  const configError = runConfigError(config);
  const noJob = target.jobs.length === 0;

  const toggleAsset = (key: string, checked: boolean) =>
    setAssets(current =>
      checked ? [...current, key] : current.filter(k => k !== key),
    );

  const submit = async () => {
    const request: LaunchRunRequest = {};
    if (job) {
      request.job = job;
    }
    if (assets.length) {
      // Kept in the manifest's order, whatever order they were ticked in.
      request.assetKeys = target.assetKeys.filter(key =>
        assets.includes(formatAssetKey(key)),
      );
    }
    if (config.trim()) {
      request.runConfig = JSON.parse(config);
    }
    props.onLaunched(await props.onLaunch(request));
  };

  return (
    <ActionDialog
      title={`Launch a run of ${target.product.replace(/^dataproduct:/, '')}`}
      submitLabel="Launch"
      canSubmit={!configError && (!noJob || assets.length > 0)}
      onClose={props.onClose}
      onSubmit={submit}
    >
      {noJob ? (
        <Typography variant="body2" color="textSecondary">
          The product's manifest names no Dagster job
          (transformation.dagster.job); pick the assets to materialize.
        </Typography>
      ) : (
        <FormControl fullWidth className={classes.field}>
          <InputLabel id="dagster-launch-job-label">Job</InputLabel>
          <Select
            labelId="dagster-launch-job-label"
            id="dagster-launch-job"
            value={job}
            onChange={e => setJob(e.target.value as string)}
          >
            {target.jobs.map(name => (
              <MenuItem key={name} value={name}>
                {name}
              </MenuItem>
            ))}
          </Select>
          <FormHelperText>
            Code location {target.codeLocation}, repository {target.repository}
          </FormHelperText>
        </FormControl>
      )}
      {target.assetKeys.length > 0 && (
        <FormControl component="fieldset" className={classes.field} fullWidth>
          <FormLabel component="legend">Assets (optional)</FormLabel>
          <FormGroup>
            {target.assetKeys.map(key => {
              const name = formatAssetKey(key);
              return (
                <FormControlLabel
                  key={name}
                  control={
                    <Checkbox
                      size="small"
                      checked={assets.includes(name)}
                      onChange={e => toggleAsset(name, e.target.checked)}
                    />
                  }
                  label={name}
                />
              );
            })}
          </FormGroup>
          <FormHelperText>
            {assets.length
              ? `Materializes only ${
                  assets.length === 1 ? 'this asset' : 'these assets'
                }.`
              : 'None ticked: the whole job runs.'}
          </FormHelperText>
        </FormControl>
      )}
      <TextField
        id="dagster-launch-config"
        className={classes.field}
        label="Run config (JSON, optional)"
        multiline
        minRows={4}
        fullWidth
        variant="outlined"
        value={config}
        onChange={e => setConfig(e.target.value)}
        error={!!configError}
        helperText={
          configError ??
          'The ops section of Dagster run config, passed on as it is, e.g. {"ops": {"load": {"config": {"day": "2025-03-01"}}}}'
        }
        InputProps={{ classes: { input: classes.config } }}
      />
    </ActionDialog>
  );
};
