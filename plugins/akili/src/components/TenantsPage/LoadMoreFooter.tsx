import { Box, Button } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { errorMessage } from '../../lib/tenants';

/**
 * The end of a paged list (`usePagedList`): why a further page failed, and "Load more" while
 * there is one.
 */
export const LoadMoreFooter = (props: {
  /** What the list holds, for the error: "entries", "dead letters". */
  what: string;
  shown: number;
  error?: unknown;
  nextCursor?: string;
  loadingMore: boolean;
  loadMore: () => void;
}) => (
  <>
    {props.error !== undefined && props.shown > 0 && (
      <Alert severity="error" role="alert">
        More {props.what} could not be loaded: {errorMessage(props.error)}
      </Alert>
    )}
    {props.nextCursor && (
      <Box mt={1}>
        <Button
          variant="outlined"
          onClick={props.loadMore}
          disabled={props.loadingMore}
        >
          {props.loadingMore ? 'Loading…' : 'Load more'}
        </Button>
      </Box>
    )}
  </>
);
