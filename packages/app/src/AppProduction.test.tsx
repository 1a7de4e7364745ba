import { render, screen } from '@testing-library/react';
import App from './App';
import { configureApp } from './__testUtils__/configureApp';

describe('App in production', () => {
  it('offers Authentik in production', async () => {
    configureApp(['authentik']);

    render(App.createRoot());

    expect(
      await screen.findByText('Sign in with your Akili account', undefined, {
        timeout: 15000,
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Enter' }),
    ).not.toBeInTheDocument();
  });
});
