import { Link } from '@backstage/core-components';
import {
  Box,
  Card,
  CardContent,
  Chip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { QualityStatusBadge } from '@akili/plugin-akili-react';
import { DataProductSummary, formatOwner } from '../../lib/marketplace';
import { PiiBadge } from '../common/Chips';
import type { ProductQuality } from './QualityFilter';

const useStyles = makeStyles(theme => ({
  card: {
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  description: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    margin: theme.spacing(1, 0),
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.25),
    margin: theme.spacing(1, 0),
  },
  tags: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
}));

const Fact = (props: { label: string; value: string }) => (
  <>
    <Typography variant="body2" color="textSecondary">
      {props.label}
    </Typography>
    <Typography variant="body2">{props.value}</Typography>
  </>
);

/** The product's quality status and score, or why there is none. */
const Quality = (props: { quality: ProductQuality }) => {
  const { quality } = props;
  if (quality === undefined) {
    return (
      <Typography variant="body2" color="textSecondary">
        …
      </Typography>
    );
  }
  if (quality === 'unavailable') {
    return (
      <Typography variant="body2" color="textSecondary">
        unavailable
      </Typography>
    );
  }
  return <QualityStatusBadge status={quality.status} score={quality.score} />;
};

/** One data product in the marketplace. */
export const DataProductCard = (props: {
  product: DataProductSummary;
  href?: string;
  /** Absent when the page does not show quality. */
  quality?: ProductQuality;
  showQuality?: boolean;
}) => {
  const { product, href, quality, showQuality } = props;
  const classes = useStyles();
  return (
    <Card
      className={classes.card}
      variant="outlined"
      component="article"
      aria-label={product.title}
    >
      <CardContent>
        <Box className={classes.header}>
          <Typography variant="h6" component="h2">
            {href ? <Link to={href}>{product.title}</Link> : product.title}
          </Typography>
          {product.hasPii && <PiiBadge />}
        </Box>
        <Typography variant="caption" color="textSecondary">
          {product.ref}
        </Typography>
        {product.description && (
          <Typography variant="body2" className={classes.description}>
            {product.description}
          </Typography>
        )}
        <Box className={classes.facts}>
          <Fact label="Tenant" value={product.namespace} />
          <Fact label="Domain" value={product.domain ?? 'none'} />
          <Fact label="Type" value={product.type ?? 'unknown'} />
          <Fact label="Owner" value={formatOwner(product.owner)} />
          <Fact label="Output ports" value={String(product.outputPortCount)} />
          {showQuality && (
            <>
              <Typography variant="body2" color="textSecondary">
                Quality
              </Typography>
              <Box aria-label="Quality">
                <Quality quality={quality} />
              </Box>
            </>
          )}
        </Box>
        {product.tags.length > 0 && (
          <Box className={classes.tags} aria-label="Tags">
            {product.tags.map(tag => (
              <Chip key={tag} size="small" label={tag} />
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
