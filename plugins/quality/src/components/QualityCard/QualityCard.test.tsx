import { screen } from '@testing-library/react';
import {
  fakeQualityApi,
  responseError,
} from '../../__testUtils__/fakeQualityApi';
import { renderForEntity } from '../../__testUtils__/renderEntity';
import { QualityCard } from './QualityCard';

describe('QualityCard', () => {
  it('shows score, status, coverage and freshness, and links to the Quality tab', async () => {
    const api = fakeQualityApi();
    await renderForEntity(<QualityCard />, api);

    expect(await screen.findByLabelText('Quality score')).toHaveTextContent(
      '71.4',
    );
    expect(screen.getByText('Failing')).toBeInTheDocument();
    expect(
      screen.getByText('7 of 9 rules ran (2 unknown)'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Fresh: last success/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /See the quality of this product/ }),
    ).toHaveAttribute('href', '/catalog/acme/dataproduct/orders/quality');
  });

  it('says quality is not available when the backend is not there', async () => {
    const api = fakeQualityApi();
    api.getSummary.mockRejectedValue(
      await responseError(503, 'ServiceUnavailableError', 'database down'),
    );
    await renderForEntity(<QualityCard />, api);
    expect(
      await screen.findByText(/Quality is not available in this portal/),
    ).toBeInTheDocument();
  });
});
