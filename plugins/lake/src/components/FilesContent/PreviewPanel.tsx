import { useApi } from '@backstage/frontend-plugin-api';
import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import LockIcon from '@material-ui/icons/Lock';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { LakePreview } from '@akili/plugin-lake-common';
import { ClassificationChip, errorMessage } from '@akili/plugin-akili-react';
import { lakeApiRef } from '../../api';
import { isPreviewError } from '../../lib/errors';
import { formatBytes, formatCell, formatCount } from '../../lib/format';
import { LakeErrorPanel } from '../common/LakeErrorPanel';

/** Rows a preview asks for. */
export const PREVIEW_ROWS = 50;

/** Row groups listed before "and N more". */
const ROW_GROUPS_SHOWN = 10;

const useStyles = makeStyles(theme => ({
  lock: {
    fontSize: 14,
    verticalAlign: 'text-bottom',
    marginRight: theme.spacing(0.5),
    color: theme.palette.warning.main,
  },
  masked: {
    fontStyle: 'italic',
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
  },
  nullValue: { color: theme.palette.text.disabled },
  rows: { maxHeight: 480 },
  cell: {
    whiteSpace: 'nowrap',
    maxWidth: 320,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    marginBottom: theme.spacing(2),
  },
}));

const Fact = (props: { label: string; value: string }) => (
  <Box>
    <Typography variant="caption" color="textSecondary" component="div">
      {props.label}
    </Typography>
    <Typography variant="body2">{props.value}</Typography>
  </Box>
);

const Masked = () => {
  const classes = useStyles();
  return (
    <span className={classes.masked}>
      <LockIcon className={classes.lock} aria-hidden />
      masked
    </span>
  );
};

/** "First 50 rows of 48,213", "First 1 row", "3 rows": what the rows table holds. */
export function rowsHeading(preview: LakePreview): string {
  const count = preview.rows.length;
  const rows = `${formatCount(count)} row${count === 1 ? '' : 's'}`;
  if (!preview.truncated && preview.totalRows === undefined) {
    return rows;
  }
  const of =
    preview.totalRows !== undefined
      ? ` of ${formatCount(preview.totalRows)}`
      : '';
  return `First ${rows}${of}`;
}

/** The preview of a file: what it is, its schema, row groups (Parquet) and first rows. */
export const PreviewView = (props: { preview: LakePreview }) => {
  const { preview } = props;
  const classes = useStyles();
  const maskedSet = new Set(preview.masked);
  return (
    <Box>
      <Box className={classes.facts}>
        <Fact label="Format" value={preview.format} />
        <Fact label="Size" value={formatBytes(preview.size)} />
        {preview.totalRows !== undefined && (
          <Fact label="Rows" value={formatCount(preview.totalRows)} />
        )}
        {preview.rowGroups && (
          <Fact
            label="Row groups"
            value={formatCount(preview.rowGroups.length)}
          />
        )}
        <Fact
          label="Read for this preview"
          value={`${formatBytes(preview.bytesRead)} of ${formatBytes(
            preview.size,
          )}`}
        />
        {preview.createdBy && (
          <Fact label="Written by" value={preview.createdBy} />
        )}
      </Box>

      {preview.masked.length > 0 && (
        <Box mb={2}>
          <Alert severity="warning" icon={<LockIcon />}>
            Masked: your role does not see pii/confidential columns (
            {preview.masked.join(', ')}). Their values show as masked, as the
            query API shows them.
          </Alert>
        </Box>
      )}

      <Typography variant="h6" component="h3" gutterBottom>
        Schema
      </Typography>
      <Table size="small" aria-label="Schema">
        <TableHead>
          <TableRow>
            <TableCell>Column</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Classification</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.columns.map(column => (
            <TableRow key={column.name}>
              <TableCell>
                {column.masked && (
                  <LockIcon
                    className={classes.lock}
                    titleAccess={`${column.name} is masked`}
                  />
                )}
                {column.name}
              </TableCell>
              <TableCell>
                <code>{column.type}</code>
              </TableCell>
              <TableCell>
                {column.classification ? (
                  <ClassificationChip classification={column.classification} />
                ) : (
                  <Typography variant="caption" color="textSecondary">
                    not in the contract
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      {preview.rowGroups && preview.rowGroups.length > 0 && (
        <Box mt={3}>
          <Typography variant="h6" component="h3" gutterBottom>
            Row groups
          </Typography>
          <Table size="small" aria-label="Row groups">
            <TableHead>
              <TableRow>
                <TableCell>#</TableCell>
                <TableCell align="right">Rows</TableCell>
                <TableCell align="right">Compressed size</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {preview.rowGroups.slice(0, ROW_GROUPS_SHOWN).map(group => (
                <TableRow key={group.index}>
                  <TableCell>{group.index}</TableCell>
                  <TableCell align="right">{formatCount(group.rows)}</TableCell>
                  <TableCell align="right">
                    {formatBytes(group.bytes)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {preview.rowGroups.length > ROW_GROUPS_SHOWN && (
            <Typography variant="caption" color="textSecondary">
              and {formatCount(preview.rowGroups.length - ROW_GROUPS_SHOWN)}{' '}
              more
            </Typography>
          )}
        </Box>
      )}

      <Box mt={3}>
        <Typography variant="h6" component="h3" gutterBottom>
          {rowsHeading(preview)}
        </Typography>
        {preview.rows.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            The file has no rows.
          </Typography>
        ) : (
          <TableContainer className={classes.rows}>
            <Table size="small" stickyHeader aria-label="First rows">
              <TableHead>
                <TableRow>
                  {preview.columns.map(column => (
                    <TableCell key={column.name}>
                      {maskedSet.has(column.name) && (
                        <LockIcon className={classes.lock} aria-hidden />
                      )}
                      {column.name}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {preview.rows.map((row, r) => (
                  <TableRow key={r}>
                    {preview.columns.map((column, c) => {
                      const value = row[c];
                      let content: JSX.Element | string;
                      if (maskedSet.has(column.name) || column.masked) {
                        content = <Masked />;
                      } else if (value === null || value === undefined) {
                        content = (
                          <span className={classes.nullValue}>null</span>
                        );
                      } else {
                        content = formatCell(value);
                      }
                      return (
                        <TableCell
                          key={column.name}
                          className={classes.cell}
                          title={
                            typeof content === 'string' ? content : undefined
                          }
                        >
                          {content}
                        </TableCell>
                      );
                    })}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Box>
    </Box>
  );
};

/** Loads and shows the preview of one file, with its loading and error states. */
export const PreviewPanel = (props: {
  namespace: string;
  name: string;
  port: string;
  path: string;
}) => {
  const { namespace, name, port, path } = props;
  const api = useApi(lakeApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getPreview(namespace, name, port, path, { rows: PREVIEW_ROWS }),
    [api, namespace, name, port, path],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    if (isPreviewError(error)) {
      return (
        <Alert severity="info">
          This file cannot be previewed: {errorMessage(error)}
        </Alert>
      );
    }
    return (
      <LakeErrorPanel
        error={error}
        what={`the preview of ${path}`}
        notFound={`The file ${path} is no longer there.`}
        onRetry={retry}
      />
    );
  }
  return value ? <PreviewView preview={value} /> : null;
};

/**
 * The card of a selected file: its name, the download and the preview (the backend says when
 * the file is not Parquet, CSV or JSON lines, and the card shows it).
 */
export const FileCard = (props: {
  namespace: string;
  name: string;
  port: string;
  path: string;
  download: JSX.Element;
}) => {
  const fileName = props.path.split('/').pop() ?? props.path;
  return (
    <InfoCard title={fileName} subheader={props.path}>
      <Box mb={2}>{props.download}</Box>
      <PreviewPanel
        namespace={props.namespace}
        name={props.name}
        port={props.port}
        path={props.path}
      />
    </InfoCard>
  );
};
