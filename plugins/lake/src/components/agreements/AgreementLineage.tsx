import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { AccessAgreement, isAgreementInForce } from '@akili/plugin-lake-common';
import { Box, makeStyles, Typography } from '@material-ui/core';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  edge: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  node: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(0.5, 1.5),
    background: theme.palette.background.default,
  },
  self: {
    borderColor: theme.palette.primary.main,
    borderWidth: 2,
  },
}));

/** One flow of data between tenants under an agreement in force. */
export interface LineageEdge {
  id: string;
  /** `dataproduct:<tenant>/<name>` of the provider product. */
  product: string;
  port: string;
  consumerTenant: string;
  /** The consumer product, when the agreement names one. */
  consumerProduct?: string;
  until: string;
  /** Which end is the product of the page. */
  side: 'provider' | 'consumer';
}

const sameRef = (a: string | undefined, b: string) =>
  !!a && a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/**
 * The flows across tenants of `product` under agreements in force at `now`: as the provider
 * (its ports to consumer tenants) and as the consumer (other tenants' ports it reads, when the
 * agreement names it). Requested, rejected, withdrawn, revoked and expired agreements are not
 * lineage.
 */
export function lineageOf(
  product: string,
  agreements: AccessAgreement[],
  now: Date,
): LineageEdge[] {
  const edges = new Map<string, LineageEdge>();
  for (const a of agreements) {
    if (!isAgreementInForce(a, now)) continue;
    const base = {
      id: a.id,
      product: a.provider.product,
      port: a.provider.port,
      consumerTenant: a.consumer.tenant,
      consumerProduct: a.consumer.product,
      until: a.until,
    };
    if (sameRef(a.provider.product, product)) {
      edges.set(a.id, { ...base, side: 'provider' });
    } else if (sameRef(a.consumer.product, product)) {
      edges.set(a.id, { ...base, side: 'consumer' });
    }
  }
  return [...edges.values()].sort(
    (x, y) =>
      x.side.localeCompare(y.side) ||
      x.product.localeCompare(y.product) ||
      x.port.localeCompare(y.port) ||
      x.consumerTenant.localeCompare(y.consumerTenant),
  );
}

const short = (ref: string) => ref.replace(/^dataproduct:/i, '');

/** How an edge reads, for its accessible name: `acme/customer-360 port p → globex/shipments`. */
export function describeEdge(edge: LineageEdge): string {
  const to = edge.consumerProduct
    ? short(edge.consumerProduct)
    : `${edge.consumerTenant} (tenant)`;
  return `${short(edge.product)} port ${edge.port} → ${to}`;
}

/** The props of {@link AgreementLineage}. */
export interface AgreementLineageProps {
  /** The product of the page: `dataproduct:<tenant>/<name>`. */
  product: string;
  /** The agreements the caller may read, of any status. */
  agreements: AccessAgreement[];
  now?: Date;
}

/**
 * The lineage across tenants of a product, from the agreements in force only, as boxes and
 * arrows: provider product and port → consumer tenant (and product). The page's product is
 * outlined. Both parties see it: each reads its own agreements.
 */
export const AgreementLineage = (props: AgreementLineageProps) => {
  const classes = useStyles();
  const edges = lineageOf(
    props.product,
    props.agreements,
    props.now ?? new Date(),
  );
  return (
    <Box component="section" mb={3} aria-labelledby="lake-lineage-heading">
      <Typography variant="subtitle2" component="h3" id="lake-lineage-heading">
        Lineage across tenants
      </Typography>
      {edges.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No agreement in force: no data of this product flows to another
          tenant, nor from another tenant's product into it.
        </Typography>
      ) : (
        <ul className={classes.list} aria-label="Lineage across tenants">
          {edges.map(edge => (
            <li
              key={edge.id}
              className={classes.edge}
              aria-label={describeEdge(edge)}
            >
              <span
                className={`${classes.node} ${
                  edge.side === 'provider' ? classes.self : ''
                }`}
              >
                <EntityRefLink
                  entityRef={edge.product}
                  defaultKind="dataproduct"
                  hideIcon
                />{' '}
                <Typography variant="caption" component="span">
                  port {edge.port}
                </Typography>
              </span>
              <ArrowForwardIcon fontSize="small" aria-hidden />
              <span
                className={`${classes.node} ${
                  edge.side === 'consumer' ? classes.self : ''
                }`}
              >
                {edge.consumerProduct ? (
                  <EntityRefLink
                    entityRef={edge.consumerProduct}
                    defaultKind="dataproduct"
                    hideIcon
                  />
                ) : (
                  <>tenant {edge.consumerTenant}</>
                )}
              </span>
              <Typography variant="caption" color="textSecondary">
                until {edge.until.slice(0, 10)}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
};
