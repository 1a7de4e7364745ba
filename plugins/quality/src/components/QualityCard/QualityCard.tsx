import { InfoCard, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { Typography } from '@material-ui/core';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { qualityApiRef } from '../../api';
import { QualityErrorPanel } from '../common/QualityErrorPanel';
import { ScoreOverview } from '../QualityContent/QualityContent';

/** The quality card of a DataProduct's overview: score, status, coverage, freshness. */
export const QualityCard = () => {
  const { entity } = useEntity();
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const name = entity.metadata.name;
  const api = useApi(qualityApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const summary = useAsyncRetry(
    () => api.getSummary(namespace, name),
    [api, namespace, name],
  );
  // The tab lives under the entity page: `<entity page>/quality`.
  const tab = entityRoute
    ? `${entityRoute(entityRouteParams(entity))}/quality`
    : undefined;

  let body: JSX.Element;
  if (summary.loading) {
    body = <Progress />;
  } else if (summary.error || !summary.value) {
    body = (
      <QualityErrorPanel
        error={summary.error}
        what={`the quality of ${name}`}
        onRetry={summary.retry}
      />
    );
  } else if (summary.value.coverage.rules === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        The contract has no quality rules yet.
      </Typography>
    );
  } else {
    body = (
      <>
        <ScoreOverview summary={summary.value} />
        {summary.value.coverage.rulesWithResults === 0 && (
          <Typography variant="body2" color="textSecondary">
            No checks have reported for this product yet.
          </Typography>
        )}
      </>
    );
  }
  return (
    <InfoCard
      title="Quality"
      deepLink={
        tab
          ? { title: 'See the quality of this product', link: tab }
          : undefined
      }
    >
      {body}
    </InfoCard>
  );
};
