import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Breadcrumbs from '@material-ui/core/Breadcrumbs';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import FolderIcon from '@material-ui/icons/Folder';
import FileIcon from '@material-ui/icons/InsertDriveFileOutlined';
import Alert from '@material-ui/lab/Alert';
import type {
  LakeFilePort,
  LakeFolder,
  LakeListing,
  LakeObject,
  LakePartition,
} from '@akili/plugin-lake-common';
import { Timestamp } from '@akili/plugin-akili-react';
import { lakeApiRef } from '../../api';
import { formatBytes, formatCount } from '../../lib/format';
import { LakeErrorPanel } from '../common/LakeErrorPanel';

/** Objects asked per page: one screen of rows, well under S3's 1,000. */
export const PAGE_SIZE = 200;

const useStyles = makeStyles(theme => ({
  row: { cursor: 'pointer' },
  icon: {
    verticalAlign: 'middle',
    marginRight: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  chip: { marginRight: theme.spacing(0.5) },
  // Long names wrap between characters only when they must; sizes and times never wrap (at
  // 1280-1400 px, beside the preview, they were squeezed to a few letters a line).
  name: { overflowWrap: 'anywhere', minWidth: 140 },
  nowrap: { whiteSpace: 'nowrap' },
}));

/** The segments of a folder path (`a/b/`) with the path of each: for the breadcrumbs. */
export function pathSegments(
  path: string,
): Array<{ name: string; path: string }> {
  const parts = path.split('/').filter(Boolean);
  return parts.map((name, i) => ({
    name,
    path: `${parts.slice(0, i + 1).join('/')}/`,
  }));
}

const PartitionChips = (props: { partition?: LakePartition }) => {
  const classes = useStyles();
  const entries = Object.entries(props.partition ?? {});
  if (entries.length === 0) return null;
  return (
    <>
      {entries.map(([key, value]) => (
        <Chip
          key={key}
          className={classes.chip}
          size="small"
          variant="outlined"
          label={`${key}=${value}`}
        />
      ))}
    </>
  );
};

interface ListingState {
  loading: boolean;
  loadingMore: boolean;
  error?: unknown;
  folders: LakeFolder[];
  objects: LakeObject[];
  nextCursor?: string;
  /** The listing answered at least once for this folder. */
  loaded: boolean;
}

const initial: ListingState = {
  loading: true,
  loadingMore: false,
  folders: [],
  objects: [],
  loaded: false,
};

/**
 * One folder of a port, page by page: folders first, then files with size, last modified and
 * partition values; "Load more" asks the next page (never all of them: a folder of 100,000
 * objects stays as fast as one of ten).
 */
export const FolderBrowser = (props: {
  namespace: string;
  name: string;
  port: LakeFilePort;
  path: string;
  selectedFile?: string;
  onNavigate: (path: string) => void;
  onSelectFile: (path: string) => void;
}) => {
  const { namespace, name, port, path, selectedFile } = props;
  const classes = useStyles();
  const api = useApi(lakeApiRef);
  const [state, setState] = useState<ListingState>(initial);
  // Answers of a folder left since are dropped.
  const generation = useRef(0);

  const load = useCallback(
    async (cursor?: string) => {
      const mine = generation.current;
      setState(s =>
        cursor ? { ...s, loadingMore: true, error: undefined } : initial,
      );
      let page: LakeListing;
      try {
        page = await api.listObjects(namespace, name, port.name, {
          path,
          cursor,
          limit: PAGE_SIZE,
        });
      } catch (error) {
        if (mine === generation.current) {
          setState(s => ({ ...s, loading: false, loadingMore: false, error }));
        }
        return;
      }
      if (mine !== generation.current) return;
      setState(s => ({
        loading: false,
        loadingMore: false,
        loaded: true,
        folders: cursor ? [...s.folders, ...page.folders] : page.folders,
        objects: cursor ? [...s.objects, ...page.objects] : page.objects,
        nextCursor: page.nextCursor,
      }));
    },
    [api, namespace, name, port.name, path],
  );

  useEffect(() => {
    generation.current += 1;
    load();
  }, [load]);

  const now = Date.now();
  const segments = pathSegments(path);
  const breadcrumbs = (
    <Breadcrumbs aria-label="Folder">
      {segments.length === 0 ? (
        <Typography color="textPrimary">{port.name}</Typography>
      ) : (
        <Link component="button" onClick={() => props.onNavigate('')}>
          {port.name}
        </Link>
      )}
      {segments.map((segment, i) =>
        i === segments.length - 1 ? (
          <Typography key={segment.path} color="textPrimary">
            {segment.name}
          </Typography>
        ) : (
          <Link
            key={segment.path}
            component="button"
            onClick={() => props.onNavigate(segment.path)}
          >
            {segment.name}
          </Link>
        ),
      )}
    </Breadcrumbs>
  );

  let body: JSX.Element;
  if (state.loading) {
    body = <Progress />;
  } else if (!state.loaded && state.error !== undefined) {
    body = (
      <LakeErrorPanel
        error={state.error}
        what={`the files of ${name}`}
        notFound={`There is no folder ${path} in port ${port.name}.`}
        onRetry={() => load()}
      />
    );
  } else if (state.folders.length === 0 && state.objects.length === 0) {
    body =
      path === '' ? (
        <Alert severity="info">
          No files yet — the product's job writes them here (
          <code>
            s3://{port.location.bucket}/{port.location.prefix}
          </code>
          ).
        </Alert>
      ) : (
        <Alert severity="info">
          This folder is empty: go back up with the folder path above.
        </Alert>
      );
  } else {
    const shown = state.folders.length + state.objects.length;
    body = (
      <>
        <Table size="small" aria-label={`Files in ${path || port.name}`}>
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell align="right" className={classes.nowrap}>
                Size
              </TableCell>
              <TableCell className={classes.nowrap}>Last modified</TableCell>
              <TableCell>Partition</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {state.folders.map(folder => (
              <TableRow
                key={folder.path}
                hover
                className={classes.row}
                onClick={() => props.onNavigate(folder.path)}
              >
                <TableCell className={classes.name}>
                  <FolderIcon className={classes.icon} fontSize="small" />
                  <Link
                    component="button"
                    onClick={(e: React.MouseEvent) => {
                      e.stopPropagation();
                      props.onNavigate(folder.path);
                    }}
                  >
                    {folder.name}/
                  </Link>
                </TableCell>
                <TableCell align="right">—</TableCell>
                <TableCell>—</TableCell>
                <TableCell>
                  <PartitionChips partition={folder.partition} />
                </TableCell>
              </TableRow>
            ))}
            {state.objects.map(object => (
              <TableRow
                key={object.path}
                hover
                selected={object.path === selectedFile}
                className={classes.row}
                onClick={() => props.onSelectFile(object.path)}
              >
                <TableCell className={classes.name}>
                  <FileIcon className={classes.icon} fontSize="small" />
                  <Link
                    component="button"
                    onClick={(e: React.MouseEvent) => {
                      e.stopPropagation();
                      props.onSelectFile(object.path);
                    }}
                  >
                    {object.name}
                  </Link>
                </TableCell>
                <TableCell
                  align="right"
                  className={classes.nowrap}
                  title={`${formatCount(object.size)} bytes`}
                >
                  {formatBytes(object.size)}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <Timestamp
                    value={object.lastModified}
                    format="relative"
                    now={now}
                  />
                </TableCell>
                <TableCell>
                  <PartitionChips partition={object.partition} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Box mt={1} display="flex" alignItems="center" style={{ gap: 12 }}>
          <Typography variant="caption" color="textSecondary">
            {state.nextCursor
              ? `${formatCount(shown)} items shown; the folder has more.`
              : `${formatCount(shown)} item${shown === 1 ? '' : 's'}.`}
          </Typography>
          {state.nextCursor && (
            <Button
              size="small"
              variant="outlined"
              disabled={state.loadingMore}
              onClick={() => load(state.nextCursor)}
            >
              {state.loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          )}
        </Box>
        {state.error !== undefined && (
          <Box mt={1}>
            <LakeErrorPanel
              error={state.error}
              what={`the next page of ${path || port.name}`}
              onRetry={() => load(state.nextCursor)}
            />
          </Box>
        )}
      </>
    );
  }

  return (
    <Box>
      <Box mb={1}>{breadcrumbs}</Box>
      {body}
    </Box>
  );
};
