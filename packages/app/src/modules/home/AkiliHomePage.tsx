import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { HomePageSearchBar } from '@backstage/plugin-search';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import {
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { audiences } from './audiences';

const wrapText = { whiteSpace: 'normal', overflowWrap: 'break-word' } as const;

/** Counts of catalog entities by kind, so people see at once what the portal holds. */
const CatalogAtAGlance = () => {
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(
    () => catalogApi.getEntityFacets({ facets: ['kind'] }),
    [catalogApi],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <WarningPanel severity="error" title="The catalog could not be reached">
        {error.message}
      </WarningPanel>
    );
  }
  const kinds = [...(value?.facets.kind ?? [])].sort(
    (a, b) => b.count - a.count,
  );
  if (kinds.length === 0) {
    return (
      <Typography>
        The catalog is empty. Register a location or add a data product manifest
        to get started.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Catalog contents">
      {kinds.map(({ value: kind, count }) => (
        <ListItem key={kind}>
          <ListItemText
            primary={
              <Link to={`/catalog?filters[kind]=${kind.toLowerCase()}`}>
                {kind}
              </Link>
            }
            secondary={`${count} ${count === 1 ? 'entity' : 'entities'}`}
          />
        </ListItem>
      ))}
    </List>
  );
};

export const AkiliHomePage = ({ widgets }: HomePageLayoutProps) => (
  <Page themeId="home">
    <Header
      title="Akili Portal"
      subtitle="Build, run and discover data products across your tenants"
    />
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <HomePageSearchBar placeholder="Search data products, columns, owners..." />
        </Grid>
        {audiences.map(audience => (
          <Grid item xs={12} md={4} key={audience.id}>
            <InfoCard title={audience.title} subheader={audience.summary}>
              <List dense aria-label={audience.title}>
                {audience.links.map(link => (
                  <ListItem key={link.to}>
                    <ListItemText
                      primary={<Link to={link.to}>{link.label}</Link>}
                      secondary={link.description}
                      // Descriptions are shown whole: they wrap inside the card.
                      secondaryTypographyProps={{ style: wrapText }}
                    />
                  </ListItem>
                ))}
              </List>
            </InfoCard>
          </Grid>
        ))}
        <Grid item xs={12} md={4}>
          <InfoCard title="Catalog at a glance">
            <CatalogAtAGlance />
          </InfoCard>
        </Grid>
        {widgets
          .filter(w => w.name === 'HomePageStarredEntities')
          .map(w => (
            <Grid item xs={12} md={8} key={w.name}>
              {w.component}
            </Grid>
          ))}
      </Grid>
    </Content>
  </Page>
);
