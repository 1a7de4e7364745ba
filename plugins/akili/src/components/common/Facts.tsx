import { ReactNode } from 'react';
import { Grid, Typography, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '10px',
    fontWeight: 'bold',
    letterSpacing: 0.5,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  },
  value: {
    fontWeight: 'bold',
    overflowWrap: 'anywhere',
    lineHeight: '24px',
  },
}));

/** One labelled value in a grid of facts, as in the catalog's About card. */
export const Fact = (props: {
  label: string;
  children?: ReactNode;
  gridSizes?: Record<string, number>;
}) => {
  const classes = useStyles();
  // `cond && <x />` renders nothing when cond is false, so false is empty too.
  const empty =
    props.children === undefined ||
    props.children === null ||
    props.children === false ||
    props.children === '';
  return (
    <Grid item {...(props.gridSizes ?? { xs: 12, sm: 6, lg: 4 })}>
      <Typography variant="h2" className={classes.label} component="dt">
        {props.label}
      </Typography>
      <Typography variant="body2" className={classes.value} component="dd">
        {empty ? (
          <Typography variant="body2" component="span" color="textSecondary">
            not set
          </Typography>
        ) : (
          props.children
        )}
      </Typography>
    </Grid>
  );
};
