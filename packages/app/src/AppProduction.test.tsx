import { render, screen } from '@testing-library/react';
import App from './App';

function configure(providers: string[]) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Akili Portal' },
          backend: { baseUrl: 'http://localhost:7007' },
          auth: { environment: 'production' },
          akili: { signIn: { providers } },
        },
        context: 'test',
      },
    ] as any,
  };
}

describe('App in production', () => {
  it('offers Authentik in production', async () => {
    configure(['authentik']);

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
