import {
  IconButton,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import type { HistoryEntry, SavedQuery } from '../../hooks/useQueryLibrary';
import { Timestamp } from '@akili/plugin-akili-react';
import { formatCount, formatDuration } from '../../lib/format';

const firstLine = (sql: string) => {
  const line = sql.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
};

/** The user's saved queries of the tenant: click to open, delete. */
export const SavedQueries = (props: {
  items: SavedQuery[];
  onOpen(sql: string): void;
  onDelete(id: string): void;
}) => {
  if (props.items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No saved queries yet: write one and choose Save.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Saved queries">
      {props.items.map(query => (
        <ListItem key={query.id} button onClick={() => props.onOpen(query.sql)}>
          <ListItemText primary={query.name} secondary={firstLine(query.sql)} />
          <ListItemSecondaryAction>
            <IconButton
              edge="end"
              size="small"
              aria-label={`Delete ${query.name}`}
              onClick={() => props.onDelete(query.id)}
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          </ListItemSecondaryAction>
        </ListItem>
      ))}
    </List>
  );
};

const outcomeText = (entry: HistoryEntry) => {
  if (entry.outcome === 'succeeded') {
    return `${formatCount(entry.rowCount ?? 0)} rows${
      entry.durationMs !== undefined
        ? ` in ${formatDuration(entry.durationMs)}`
        : ''
    }`;
  }
  return entry.outcome === 'cancelled' ? 'cancelled' : 'failed';
};

/** The user's recent runs in the tenant, newest first: click to open. */
export const QueryHistory = (props: {
  items: HistoryEntry[];
  onOpen(sql: string): void;
}) => {
  if (props.items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No queries run yet.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Query history">
      {props.items.map((entry, index) => (
        <ListItem
          key={`${entry.at}-${index}`}
          button
          onClick={() => props.onOpen(entry.sql)}
          title={entry.message ?? entry.sql}
        >
          <ListItemText
            primary={firstLine(entry.sql)}
            secondary={
              <>
                <Timestamp value={entry.at} /> · {outcomeText(entry)}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
};
