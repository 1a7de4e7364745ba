import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { akiliLakeDownloadPermission } from '@akili/plugin-lake-common';
import {
  JAN,
  identity,
  januaryPreview,
  trainingPort,
} from '../../__testUtils__/fixtures';
import { renderWithLake, serveLake } from '../../__testUtils__/renderEntity';
import { FilesContent } from './FilesContent';

// usePermission caches decisions (SWR) for the whole test file: the denial has its own file.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('FilesContent permissions', () => {
  it('shows no Download when the permission policy denies akili.lake.download, whatever the roles', async () => {
    const received = serveLake(server, {
      ports: () => ({
        product: 'dataproduct:acme/churn-features',
        ports: [trainingPort],
      }),
      objects: () => ({
        product: 'dataproduct:acme/churn-features',
        port: 'training_snapshots',
        path: JAN,
        folders: [],
        objects: [],
      }),
      preview: () => januaryPreview,
      identity: identity([{ name: 'acme', roles: ['operator'] }]),
    });
    renderWithLake(<FilesContent />, {
      url: `/?file=${encodeURIComponent(`${JAN}part-00000.parquet`)}`,
      allow: name => name !== akiliLakeDownloadPermission.name,
    });
    expect(
      await screen.findByText(
        /Downloading whole files is for the developers and operators of acme/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Download' }),
    ).not.toBeInTheDocument();
    expect(received.filter(r => r.method === 'POST')).toEqual([]);
  });
});
