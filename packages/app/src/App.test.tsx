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

// One app per test file: the app's config is read once per module registry.
describe('App', () => {
  it('offers only the guest locally', async () => {
    configure(['guest']);

    render(App.createRoot());

    expect(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 15000 }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Akili Portal').length).toBeGreaterThan(0);
    expect(screen.queryByText('Authentik')).not.toBeInTheDocument();
  });
});
