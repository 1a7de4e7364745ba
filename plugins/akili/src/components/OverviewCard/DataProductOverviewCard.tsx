import { InfoCard, Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Chip, Grid, Typography, makeStyles } from '@material-ui/core';
import { describeSchedule, formatAssetKey } from '../../lib/format';
import {
  getDomainRef,
  getOwnerRef,
  resolveSharedRef,
} from '../../lib/dataProduct';
import { Fact } from '../common/Facts';
import { useDataProduct } from '../common/useDataProduct';

const useStyles = makeStyles(theme => ({
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
  list: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
}));

const TeamMemberLink = (props: { user: string }) => {
  const ref = resolveSharedRef(props.user, 'user');
  return ref ? <EntityRefLink entityRef={ref} /> : <span>{props.user}</span>;
};

/** The product at a glance: what it is, who runs it, how it is built and scheduled. */
export const DataProductOverviewCard = () => {
  const classes = useStyles();
  const { entity, spec, namespace } = useDataProduct();
  const owner = getOwnerRef(entity);
  const domain = getDomainRef(entity);
  const transformation = spec.transformation;
  const dagster = transformation?.dagster;
  const support = spec.support;
  const team = Array.isArray(spec.team) ? spec.team : [];
  const tags = entity.metadata.tags ?? [];

  return (
    <InfoCard title="Data product">
      {entity.metadata.description && (
        <Typography variant="body1" paragraph>
          {entity.metadata.description}
        </Typography>
      )}
      <Grid container spacing={2} component="dl">
        <Fact label="Type">{spec.type}</Fact>
        <Fact label="Lifecycle">{spec.lifecycle}</Fact>
        <Fact label="Version">{spec.version}</Fact>
        <Fact label="Tenant">{namespace}</Fact>
        <Fact label="Domain">
          {domain ? <EntityRefLink entityRef={domain} /> : spec.domain}
        </Fact>
        <Fact label="Owner">
          {owner ? <EntityRefLink entityRef={owner} /> : spec.owner}
        </Fact>
        <Fact label="Schedule">
          {spec.schedule?.cron && (
            <span title={spec.schedule.cron}>
              {describeSchedule(spec.schedule.cron, spec.schedule.timezone)}
            </span>
          )}
        </Fact>
        <Fact label="Transformation">
          {transformation &&
            `${transformation.language?.toUpperCase()} · ${
              transformation.entrypoint
            }`}
        </Fact>
        <Fact label="Dagster">
          {dagster && (
            <>
              <span>
                {dagster.codeLocation}
                {dagster.repository &&
                  dagster.repository !== '__repository__' &&
                  ` / ${dagster.repository}`}
                {dagster.job && ` · job ${dagster.job}`}
              </span>
              {dagster.assetKeys && dagster.assetKeys.length > 0 && (
                <Box className={classes.chips} component="span" mt={0.5}>
                  {dagster.assetKeys.map(key => (
                    <Chip
                      key={formatAssetKey(key)}
                      size="small"
                      variant="outlined"
                      label={formatAssetKey(key)}
                    />
                  ))}
                </Box>
              )}
            </>
          )}
        </Fact>
        <Fact label="Support">
          {support && (support.channel || support.email || support.url) && (
            <>
              {support.channel && <span>{support.channel} </span>}
              {support.email && (
                <Link to={`mailto:${support.email}`}>{support.email} </Link>
              )}
              {support.url && <Link to={support.url}>{support.url}</Link>}
            </>
          )}
        </Fact>
        <Fact label="Team">
          {team.length > 0 && (
            <ul className={classes.list}>
              {team.map(member => (
                <li key={`${member.user}-${member.role}`}>
                  <TeamMemberLink user={member.user} /> ({member.role})
                </li>
              ))}
            </ul>
          )}
        </Fact>
        <Fact label="Tags">
          {tags.length > 0 && (
            <Box className={classes.chips} component="span">
              {tags.map(tag => (
                <Chip key={tag} size="small" label={tag} />
              ))}
            </Box>
          )}
        </Fact>
      </Grid>
    </InfoCard>
  );
};
