import { render, screen } from '@testing-library/react';
import App from './App';
import { configureApp } from './__testUtils__/configureApp';

// One app per test file: the app's config is read once per module registry.
describe('App', () => {
  it('offers only the guest locally', async () => {
    configureApp(['guest']);

    render(App.createRoot());

    expect(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 15000 }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Akili Portal').length).toBeGreaterThan(0);
    expect(screen.queryByText('Authentik')).not.toBeInTheDocument();
  });
});
