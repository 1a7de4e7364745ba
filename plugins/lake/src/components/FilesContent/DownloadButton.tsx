import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import { errorMessage, isForbidden } from '@akili/plugin-akili-react';
import { lakeApiRef } from '../../api';
import { startDownload } from '../../lib/download';
import { useCanDownload } from './useCanDownload';

/** The file a download is for. */
export interface DownloadTarget {
  namespace: string;
  name: string;
  port: string;
  path: string;
  fileName: string;
}

/**
 * "Download" for the roles that may download whole files (a file cannot be masked): asks the
 * backend for a short-lived presigned URL (the request is audited) and starts the download.
 * Others read why there is no button; a refusal of the backend is shown, not thrown.
 */
export const DownloadButton = (props: { target: DownloadTarget }) => {
  const { target } = props;
  const api = useApi(lakeApiRef);
  const canDownload = useCanDownload(target.namespace);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  if (canDownload.loading) {
    return null;
  }
  if (!canDownload.allowed) {
    return (
      <Typography variant="caption" color="textSecondary" component="p">
        Downloading whole files is for the developers and operators of{' '}
        {target.namespace}: a file cannot be masked.
      </Typography>
    );
  }

  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.createDownload(
        target.namespace,
        target.name,
        target.port,
        target.path,
      );
      startDownload(answer.url, target.fileName);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box>
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<GetAppIcon />}
          onClick={download}
          disabled={busy}
        >
          {busy ? 'Preparing download…' : 'Download'}
        </Button>
        <Typography variant="caption" color="textSecondary">
          Downloads are recorded in the tenant's audit trail under your name;
          the link is valid for a few minutes.
        </Typography>
      </Box>
      {error !== undefined && (
        <Box mt={1}>
          <Alert severity={isForbidden(error) ? 'info' : 'error'}>
            {isForbidden(error)
              ? `You are not allowed to download files of ${target.namespace}.`
              : `The download could not be prepared: ${errorMessage(error)}`}
          </Alert>
        </Box>
      )}
    </Box>
  );
};
