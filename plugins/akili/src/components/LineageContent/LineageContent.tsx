import { useCallback } from 'react';
import {
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_PART_OF,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApiHolder, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  EntityRefLink,
  entityRouteParams,
  entityRouteRef,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import {
  Direction,
  EntityNode,
  EntityRelationsGraph,
  catalogGraphApiRef,
} from '@backstage/plugin-catalog-graph';
import { Grid, Typography, makeStyles } from '@material-ui/core';
import { useNavigate } from 'react-router-dom';
import { DATA_PRODUCT_KIND_ID } from '../../lib/dataProduct';
import { useDataProduct } from '../common/useDataProduct';

const useStyles = makeStyles(theme => ({
  graph: {
    height: 420,
    minHeight: 0,
  },
  list: {
    margin: theme.spacing(0, 0, 2),
    paddingLeft: theme.spacing(2.5),
  },
}));

/** Lineage is about products and the domains they belong to; owners would clutter it. */
export const LINEAGE_KINDS = [DATA_PRODUCT_KIND_ID, 'domain'];
export const LINEAGE_RELATIONS = [
  RELATION_DEPENDS_ON,
  RELATION_DEPENDENCY_OF,
  RELATION_PART_OF,
];
// Upstream on the left: an edge reads "upstream is a dependency of downstream".
const LINEAGE_RELATION_PAIRS: [string, string][] = [
  [RELATION_DEPENDENCY_OF, RELATION_DEPENDS_ON],
  [RELATION_HAS_PART, RELATION_PART_OF],
];

const RefList = (props: { refs: string[]; label: string; empty: string }) => {
  const classes = useStyles();
  if (props.refs.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary" paragraph>
        {props.empty}
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label={props.label}>
      {props.refs.map(ref => (
        <li key={ref}>
          <EntityRefLink entityRef={ref} />
        </li>
      ))}
    </ul>
  );
};

const LineageGraph = (props: { maxDepth: number }) => {
  const classes = useStyles();
  const { entity } = useDataProduct();
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);
  const onNodeClick = useCallback(
    (node: EntityNode) => {
      if (entityRoute) {
        navigate(entityRoute(entityRouteParams(parseEntityRef(node.id))));
      }
    },
    [entityRoute, navigate],
  );
  return (
    <EntityRelationsGraph
      rootEntityNames={getCompoundEntityRef(entity)}
      kinds={LINEAGE_KINDS}
      relations={LINEAGE_RELATIONS}
      relationPairs={LINEAGE_RELATION_PAIRS}
      maxDepth={props.maxDepth}
      unidirectional
      mergeRelations
      direction={Direction.LEFT_RIGHT}
      onNodeClick={onNodeClick}
      zoom="enable-on-click"
      className={classes.graph}
    />
  );
};

/**
 * The "Lineage" tab: a graph of upstream and downstream products (the catalog graph,
 * limited to data products and domains) and the same neighbours as plain lists.
 */
export const LineageContent = (props: { maxDepth?: number }) => {
  const { entity } = useDataProduct();
  const graphAvailable = !!useApiHolder().get(catalogGraphApiRef);
  const refsOf = (type: string) =>
    getEntityRelations(entity, type, { kind: DATA_PRODUCT_KIND_ID }).map(r =>
      stringifyEntityRef(r),
    );
  const upstream = refsOf(RELATION_DEPENDS_ON);
  const downstream = refsOf(RELATION_DEPENDENCY_OF);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={8}>
        <InfoCard title="Lineage graph">
          {graphAvailable ? (
            <LineageGraph maxDepth={props.maxDepth ?? 3} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              The catalog graph plugin is not installed in this portal, so
              lineage is shown as lists only.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={4}>
        <InfoCard title="Neighbours">
          <Typography variant="subtitle2" component="h3">
            Upstream (this product reads)
          </Typography>
          <RefList
            refs={upstream}
            label="Upstream products"
            empty="No upstream data products: it reads only external sources, or none."
          />
          <Typography variant="subtitle2" component="h3">
            Downstream (read by)
          </Typography>
          <RefList
            refs={downstream}
            label="Downstream products"
            empty="No data product reads this one yet."
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
};
