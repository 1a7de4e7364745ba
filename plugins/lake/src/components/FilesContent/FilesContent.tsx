import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '@backstage/frontend-plugin-api';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { LakeFilePort } from '@akili/plugin-lake-common';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { lakeApiRef } from '../../api';
import { LakeErrorPanel } from '../common/LakeErrorPanel';
import { DownloadButton } from './DownloadButton';
import { FolderBrowser } from './FolderBrowser';
import { FileCard } from './PreviewPanel';

/** The URL query of the tab: the port, the folder and the file shown, so reload and back keep them. */
const PORT = 'port';
const PATH = 'path';
const FILE = 'file';

/** The folder `file` is in (`a/b/` of `a/b/c.parquet`; `''` at the root). */
function folderOf(file: string): string {
  const cut = file.lastIndexOf('/');
  return cut < 0 ? '' : file.slice(0, cut + 1);
}

const PortPicker = (props: {
  ports: LakeFilePort[];
  value: string;
  onChange: (port: string) => void;
}) => (
  <FormControl variant="outlined" size="small" style={{ minWidth: 260 }}>
    <InputLabel id="lake-port-label">Output port</InputLabel>
    <Select
      labelId="lake-port-label"
      id="lake-port"
      label="Output port"
      value={props.value}
      onChange={e => props.onChange(String(e.target.value))}
    >
      {props.ports.map(port => (
        <MenuItem key={port.name} value={port.name}>
          {port.title ? `${port.title} (${port.name})` : port.name}
        </MenuItem>
      ))}
    </Select>
  </FormControl>
);

/**
 * The Files tab of a data product: its `files` output ports (a picker when several), a folder
 * browser, and the selected file's preview (masked as the query API masks) and download.
 */
export const FilesContent = () => {
  const { entity } = useEntity();
  const namespace = entity.metadata.namespace ?? 'default';
  const name = entity.metadata.name;
  const api = useApi(lakeApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const ports = useAsyncRetry(
    () => api.getPorts(namespace, name),
    [api, namespace, name],
  );

  const navigate = useCallback(
    (changes: Record<string, string | undefined>, replace = false) => {
      setSearchParams(
        current => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace },
      );
    },
    [setSearchParams],
  );

  const notice = <DependencyNotice dependencies={['ceph-s3']} />;
  if (ports.loading) {
    return <Progress />;
  }
  if (ports.error) {
    return (
      <>
        {notice}
        <LakeErrorPanel
          error={ports.error}
          what={`the files of ${name}`}
          onRetry={ports.retry}
        />
      </>
    );
  }
  const list = ports.value?.ports ?? [];
  if (list.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No file output port"
        description={`${name} declares no output port of kind files (location.s3) in its manifest, so it has no files to browse. Declare one in dataproduct.yaml to store files in the lake.`}
      />
    );
  }

  const asked = searchParams.get(PORT);
  const port = list.find(p => p.name === asked) ?? list[0];
  const file = searchParams.get(FILE) ?? undefined;
  const path = searchParams.get(PATH) ?? (file ? folderOf(file) : '');

  return (
    <>
      {notice}
      <Box
        mb={2}
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        {list.length > 1 && (
          <PortPicker
            ports={list}
            value={port.name}
            onChange={next =>
              navigate({ [PORT]: next, [PATH]: undefined, [FILE]: undefined })
            }
          />
        )}
        <Box>
          <Typography variant="subtitle1" component="h2">
            {port.title ?? port.name}
            {port.format ? ` · ${port.format}` : ''}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            <code>
              s3://{port.location.bucket}/{port.location.prefix}
            </code>
          </Typography>
        </Box>
      </Box>
      {port.problem ? (
        <Alert severity="error">
          The files of port {port.name} are not shown: {port.problem}
        </Alert>
      ) : (
        <Grid container spacing={3}>
          <Grid item xs={12} lg={file ? 5 : 12}>
            <InfoCard title="Files">
              <FolderBrowser
                key={`${port.name}:${path}`}
                namespace={namespace}
                name={name}
                port={port}
                path={path}
                selectedFile={file}
                onNavigate={next =>
                  navigate({
                    [PORT]: port.name,
                    [PATH]: next || undefined,
                    [FILE]: undefined,
                  })
                }
                onSelectFile={next =>
                  navigate({
                    [PORT]: port.name,
                    [PATH]: path || undefined,
                    [FILE]: next,
                  })
                }
              />
            </InfoCard>
          </Grid>
          {file && (
            <Grid item xs={12} lg={7}>
              <FileCard
                key={`${port.name}:${file}`}
                namespace={namespace}
                name={name}
                port={port.name}
                path={file}
                download={
                  <DownloadButton
                    target={{
                      namespace,
                      name,
                      port: port.name,
                      path: file,
                      fileName: file.split('/').pop() ?? file,
                    }}
                  />
                }
              />
            </Grid>
          )}
        </Grid>
      )}
    </>
  );
};
