import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { akiliTenantsApiRef } from '../../api';
import {
  acmeApiTokens,
  fakeTenantsApi,
  responseError,
} from '../../__testUtils__/fakeTenantsApi';
import { ApiTokensCard } from './ApiTokensCard';

function render(api: ReturnType<typeof fakeTenantsApi>, tenant = 'acme') {
  const onChanged = jest.fn();
  return {
    onChanged,
    ...renderInTestApp(
      <ApiTokensCard tenant={tenant} onChanged={onChanged} />,
      {
        apis: [[akiliTenantsApiRef, api]],
      },
    ),
  };
}

/** Typing without a pause between keys keeps the dialog tests fast. */
const user = userEvent.setup({ delay: null });

const rowOf = (name: string) =>
  screen.getByText(name).closest('tr') as HTMLElement;

describe('ApiTokensCard', () => {
  it('lists the tokens with permissions, issuer, expiry, last use and status', async () => {
    render(fakeTenantsApi());
    const table = await screen.findByRole('table', { name: 'API tokens' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    const active = rowOf('GitLab CI of orders');
    expect(
      within(active).getByText('akili.product.submit'),
    ).toBeInTheDocument();
    expect(within(active).getByText('akili.runs.launch')).toBeInTheDocument();
    expect(within(active).getByText('jane')).toBeInTheDocument();
    expect(within(active).getByText('Active')).toBeInTheDocument();
    expect(
      within(active).getByRole('button', {
        name: 'Revoke GitLab CI of orders',
      }),
    ).toBeInTheDocument();

    const revoked = rowOf('old laptop');
    expect(within(revoked).getByText('Revoked')).toBeInTheDocument();
    expect(within(revoked).getByText('by admin')).toBeInTheDocument();
    expect(within(revoked).getByText('never')).toBeInTheDocument();
    expect(within(revoked).queryByRole('button')).not.toBeInTheDocument();
    // No secret is ever listed.
    expect(screen.queryByText(/^akili_/)).not.toBeInTheDocument();
  });

  it('says when the tenant has no tokens yet', async () => {
    render(fakeTenantsApi(), 'globex');
    expect(
      await screen.findByText(/No API tokens yet: issue one/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Issue token' }),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const api = fakeTenantsApi();
    api.listApiTokens.mockReturnValue(new Promise(() => {}));
    render(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('tells people who are no operators that tokens are for operators', async () => {
    const api = fakeTenantsApi();
    api.listApiTokens.mockRejectedValue(
      await responseError(
        403,
        'NotAllowedError',
        'user:default/omar needs role operator in tenant acme',
      ),
    );
    render(api);
    expect(
      await screen.findByText(
        'Only operators of acme and platform admins can see the API tokens.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Issue token' }),
    ).not.toBeInTheDocument();
  });

  it('names the failure when the tokens cannot be loaded', async () => {
    const api = fakeTenantsApi();
    api.listApiTokens.mockRejectedValue(
      await responseError(503, 'ServiceUnavailableError', 'database down'),
    );
    render(api);
    expect(
      await screen.findByText(/The API tokens of acme could not be loaded/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/database down/).length).toBeGreaterThan(0);
  });

  it('issues a token with the chosen permissions and shows its secret once, with copy', async () => {
    const api = fakeTenantsApi();
    const { onChanged } = render(api);
    await user.click(await screen.findByText('Issue token'));
    const dialog = (await screen.findByText('Issue an API token')).closest(
      '[role="dialog"]',
    ) as HTMLElement;
    const issue = within(dialog).getByText('Issue').closest('button')!;
    expect(issue).toBeDisabled();
    // Only what the caller may grant is offered.
    expect(dialog.querySelectorAll('input[type="checkbox"]')).toHaveLength(4);

    await user.type(within(dialog).getByLabelText(/Name/), 'CI of orders');
    expect(issue).toBeDisabled();
    await user.click(within(dialog).getByLabelText('akili.product.submit'));
    await user.click(within(dialog).getByLabelText('akili.runs.launch'));
    await user.click(issue);

    expect(api.createApiToken).toHaveBeenCalledWith('acme', {
      name: 'CI of orders',
      permissions: ['akili.product.submit', 'akili.runs.launch'],
      expiresInDays: 90,
    });
    const secret = (
      await screen.findByText('API token CI of orders issued')
    ).closest('[role="dialog"]') as HTMLElement;
    expect(within(secret).getByLabelText('API token secret')).toHaveTextContent(
      'akili_eyJ2IjoxfQ.c2VjcmV0LW9uY2U',
    );
    expect(
      within(secret).getByText(/shown this once and cannot be read again/),
    ).toBeInTheDocument();
    expect(within(secret).getByLabelText('Copy the token')).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();
    await waitFor(() => expect(api.listApiTokens).toHaveBeenCalledTimes(2));

    await user.click(within(secret).getByText('Done'));
    // Gone for good: nothing on the page shows it any more.
    await waitFor(() =>
      expect(
        screen.queryByText('akili_eyJ2IjoxfQ.c2VjcmV0LW9uY2U'),
      ).not.toBeInTheDocument(),
    );
  });

  it('keeps a refused issue in the dialog with the reason', async () => {
    const api = fakeTenantsApi();
    api.createApiToken.mockRejectedValue(
      await responseError(
        403,
        'NotAllowedError',
        "user:default/jane may not put akili.runs.launch in an API token of tenant 'acme'",
      ),
    );
    render(api);
    await user.click(await screen.findByText('Issue token'));
    const dialog = (await screen.findByText('Issue an API token')).closest(
      '[role="dialog"]',
    ) as HTMLElement;
    await user.type(within(dialog).getByLabelText(/Name/), 'x');
    await user.click(within(dialog).getByLabelText('akili.runs.launch'));
    await user.click(within(dialog).getByText('Issue').closest('button')!);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'may not put akili.runs.launch in an API token',
    );
  });

  it('revokes a token after confirmation', async () => {
    const api = fakeTenantsApi();
    const { onChanged } = render(api);
    await user.click(
      await screen.findByRole('button', { name: 'Revoke GitLab CI of orders' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke API token GitLab CI of orders?',
    });
    expect(
      within(dialog).getByText(/refused within 30 seconds/),
    ).toBeInTheDocument();
    expect(api.revokeApiToken).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    expect(api.revokeApiToken).toHaveBeenCalledWith(
      'acme',
      acmeApiTokens[0].id,
    );
    expect(
      await screen.findByText(/Revoked GitLab CI of orders/),
    ).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();
  });

  it('cancelling the confirmation revokes nothing', async () => {
    const api = fakeTenantsApi();
    render(api);
    await user.click(
      await screen.findByRole('button', { name: 'Revoke GitLab CI of orders' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.revokeApiToken).not.toHaveBeenCalled();
  });
});
