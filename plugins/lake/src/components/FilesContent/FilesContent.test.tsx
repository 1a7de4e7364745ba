import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  JAN,
  exportsPort,
  identity,
  januaryPreview,
  partObject,
  rootListing,
  strayPort,
  trainingPort,
} from '../../__testUtils__/fixtures';
import {
  LakeRoutes,
  ReceivedRequest,
  renderWithLake,
  serveLake,
} from '../../__testUtils__/renderEntity';
import { startDownload } from '../../lib/download';
import { FilesContent } from './FilesContent';
import { PAGE_SIZE } from './FolderBrowser';

jest.mock('../../lib/download', () => ({ startDownload: jest.fn() }));

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  jest.mocked(startDownload).mockReset();
});
afterAll(() => server.close());

const product = 'dataproduct:acme/churn-features';
const PORTS = '/api/lake/v1/products/acme/churn-features/ports';

/** Objects per page the test backend answers: fewer than asked, as S3 may (and fast to render). */
const PER_PAGE = 20;

/** A January folder of `pages` pages: the cursor is the page number. */
function januaryPages(pages: number) {
  return (req: ReceivedRequest) => {
    if (req.query.path !== JAN) return rootListing;
    const page = Number(req.query.cursor ?? '0');
    const limit = PER_PAGE;
    return {
      product,
      port: 'training_snapshots',
      path: JAN,
      folders: [],
      objects: Array.from({ length: limit }, (_, i) =>
        partObject(JAN, page * limit + i),
      ),
      nextCursor: page + 1 < pages ? String(page + 1) : undefined,
    };
  };
}

function render(
  routes: LakeRoutes,
  options: { url?: string; allow?: (p: string) => boolean } = {},
) {
  const received = serveLake(server, {
    ports: () => ({ product, ports: [trainingPort] }),
    identity: identity([{ name: 'acme', roles: ['developer'] }]),
    ...routes,
  });
  renderWithLake(<FilesContent />, options);
  return received;
}

const objectRequests = (received: ReceivedRequest[]) =>
  received.filter(r => r.path.endsWith('/objects'));

const location = () => screen.getByTestId('location').textContent ?? '';

describe('FilesContent', () => {
  it('browses folders with partitions and breadcrumbs, keeping the position in the URL', async () => {
    const received = render({ objects: januaryPages(1) });
    expect(
      await screen.findByRole('button', { name: 'snapshot_month=2025-01-01/' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('snapshot_month=2025-02-01')).toHaveLength(1);
    expect(
      screen.getByText(
        's3://akili-acme/data-products/churn-features/training/',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'snapshot_month=2025-01-01/' }),
    );
    const table = await screen.findByRole('table', { name: `Files in ${JAN}` });
    const first = within(table)
      .getByRole('button', { name: 'part-00000.parquet' })
      .closest('tr')!;
    expect(within(first).getByText('1.5 MB')).toBeInTheDocument();
    expect(within(first).getByText('3 hours ago')).toBeInTheDocument();
    expect(
      within(first).getByText('snapshot_month=2025-01-01'),
    ).toBeInTheDocument();
    expect(new URLSearchParams(location()).get('path')).toBe(JAN);
    expect(new URLSearchParams(location()).get('port')).toBe(
      'training_snapshots',
    );
    expect(objectRequests(received).map(r => r.query)).toEqual([
      { limit: String(PAGE_SIZE) },
      { path: JAN, limit: String(PAGE_SIZE) },
    ]);

    // The breadcrumb of the port goes back to its root.
    await userEvent.click(
      within(screen.getByRole('navigation', { name: 'Folder' })).getByRole(
        'button',
        { name: 'training_snapshots' },
      ),
    );
    expect(
      await screen.findByRole('button', { name: 'snapshot_month=2025-02-01/' }),
    ).toBeInTheDocument();
    expect(new URLSearchParams(location()).get('path')).toBeNull();
  });

  it('goes back to the folder it came from with the browser', async () => {
    render({ objects: januaryPages(1) });
    await userEvent.click(
      await screen.findByRole('button', { name: 'snapshot_month=2025-01-01/' }),
    );
    await screen.findByRole('table', { name: `Files in ${JAN}` });
    await userEvent.click(screen.getByRole('button', { name: 'Browser back' }));
    expect(
      await screen.findByRole('table', { name: 'Files in training_snapshots' }),
    ).toBeInTheDocument();
    expect(location()).toBe('');
  });

  it('pages a large folder with "Load more", one page at a time, never all of them', async () => {
    const received = render(
      { objects: januaryPages(500) },
      { url: `/?port=training_snapshots&path=${encodeURIComponent(JAN)}` },
    );
    const table = await screen.findByRole('table', { name: `Files in ${JAN}` });
    expect(within(table).getAllByRole('row')).toHaveLength(PER_PAGE + 1);
    expect(
      screen.getByText(`${PER_PAGE} items shown; the folder has more.`),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByText(
        `${2 * PER_PAGE} items shown; the folder has more.`,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: `part-${String(2 * PER_PAGE - 1).padStart(5, '0')}.parquet`,
      }),
    ).toBeInTheDocument();
    // Two pages asked, the second with the first one's cursor: not the 500 the folder has.
    expect(objectRequests(received).map(r => r.query)).toEqual([
      { path: JAN, limit: String(PAGE_SIZE) },
      { path: JAN, cursor: '1', limit: String(PAGE_SIZE) },
    ]);
  });

  it('ends paging on the last page', async () => {
    render(
      { objects: januaryPages(2) },
      { url: `/?path=${encodeURIComponent(JAN)}` },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more' }),
    );
    expect(
      await screen.findByText(`${2 * PER_PAGE} items.`),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('previews a Parquet file with its masked column marked, from a reloaded URL', async () => {
    const file = `${JAN}part-00000.parquet`;
    const received = render(
      { objects: januaryPages(1), preview: () => januaryPreview },
      {
        url: `/?port=training_snapshots&file=${encodeURIComponent(file)}`,
      },
    );
    expect(
      await screen.findByText(
        /Masked: your role does not see pii\/confidential columns \(customer_key\)/,
      ),
    ).toBeInTheDocument();
    // The folder of the file is listed, the preview asked for the file.
    expect(objectRequests(received)[0].query.path).toBe(JAN);
    expect(received.find(r => r.path.endsWith('/preview'))?.query).toEqual({
      path: file,
      rows: '50',
    });
    const schema = screen.getByRole('table', { name: 'Schema' });
    const keyRow = within(schema).getByText('customer_key').closest('tr')!;
    expect(within(keyRow).getByText('Confidential')).toBeInTheDocument();
    expect(
      within(keyRow).getByTitle('customer_key is masked'),
    ).toBeInTheDocument();
    expect(within(schema).getByText('not in the contract')).toBeInTheDocument();

    const rows = within(
      screen.getByRole('table', { name: 'First rows' }),
    ).getAllByRole('row');
    // Masked values read "masked" (not empty, not null); a real null reads "null".
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['masked', '12', 'false']);
    expect(
      within(rows[2])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['masked', 'null', 'true']);
    expect(screen.getByText('First 2 rows of 48,213')).toBeInTheDocument();
    expect(screen.getByText('65.5 KB of 1.5 MB')).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Row groups' })).getByText(
        '32,768',
      ),
    ).toBeInTheDocument();
  });

  it('says when a file cannot be previewed', async () => {
    render(
      {
        objects: januaryPages(1),
        preview: () => ({
          status: 422,
          name: 'LakePreviewError',
          message: 'avro files are not previewed',
        }),
      },
      { url: `/?file=${encodeURIComponent(`${JAN}x.avro`)}` },
    );
    expect(
      await screen.findByText(
        'This file cannot be previewed: avro files are not previewed',
      ),
    ).toBeInTheDocument();
  });

  it("downloads through a presigned URL for the tenant's developers, saying it is audited", async () => {
    const file = `${JAN}part-00000.parquet`;
    const received = render(
      {
        objects: januaryPages(1),
        preview: () => januaryPreview,
        download: () => ({
          url: 'https://s3.example/akili-acme/x?X-Amz-Signature=abc',
          expiresAt: new Date(Date.now() + 300_000).toISOString(),
          size: 1_500_000,
        }),
      },
      { url: `/?file=${encodeURIComponent(file)}` },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download' }),
    );
    expect(
      screen.getByText(/recorded in the tenant's audit trail/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(startDownload).toHaveBeenCalledWith(
        'https://s3.example/akili-acme/x?X-Amz-Signature=abc',
        'part-00000.parquet',
      ),
    );
    expect(received.filter(r => r.method === 'POST')).toEqual([
      expect.objectContaining({
        path: `${PORTS}/training_snapshots/download`,
        body: { path: file },
      }),
    ]);
  });

  it('shows no Download to a consumer of the tenant (a file cannot be masked)', async () => {
    const received = render(
      {
        objects: januaryPages(1),
        preview: () => januaryPreview,
        identity: identity([
          { name: 'acme', roles: ['consumer'] },
          { name: 'globex', roles: ['developer'] },
        ]),
      },
      { url: `/?file=${encodeURIComponent(`${JAN}part-00000.parquet`)}` },
    );
    expect(
      await screen.findByText(
        /Downloading whole files is for the developers and operators of acme/,
      ),
    ).toBeInTheDocument();
    await screen.findByRole('table', { name: 'Schema' });
    expect(
      screen.queryByRole('button', { name: 'Download' }),
    ).not.toBeInTheDocument();
    expect(received.filter(r => r.method === 'POST')).toEqual([]);
  });

  it("shows the backend's refusal of a download", async () => {
    render(
      {
        objects: januaryPages(1),
        preview: () => januaryPreview,
        download: () => ({
          status: 403,
          name: 'NotAllowedError',
          message: 'needs akili.lake.download in acme',
        }),
      },
      { url: `/?file=${encodeURIComponent(`${JAN}part-00000.parquet`)}` },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download' }),
    );
    expect(
      await screen.findByText('You are not allowed to download files of acme.'),
    ).toBeInTheDocument();
    expect(startDownload).not.toHaveBeenCalled();
  });

  it('picks among several ports and shows the problem of a port outside the tenant', async () => {
    const received = render({
      ports: () => ({ product, ports: [trainingPort, exportsPort, strayPort] }),
      objects: req =>
        req.path.includes('/exports/')
          ? {
              product,
              port: 'exports',
              path: '',
              folders: [],
              objects: [partObject('', 7)],
            }
          : rootListing,
    });
    await screen.findByRole('button', { name: 'snapshot_month=2025-01-01/' });
    await userEvent.click(screen.getByRole('button', { name: /^Output port/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'exports' }),
    );
    expect(
      await screen.findByRole('button', { name: 'part-00007.parquet' }),
    ).toBeInTheDocument();
    expect(new URLSearchParams(location()).get('port')).toBe('exports');
    expect(objectRequests(received).map(r => r.path)).toEqual([
      `${PORTS}/training_snapshots/objects`,
      `${PORTS}/exports/objects`,
    ]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Output port exports' }),
    );
    await userEvent.click(await screen.findByRole('option', { name: 'stray' }));
    expect(
      await screen.findByText(
        /The files of port stray are not shown: The location s3:\/\/akili-globex\/x\/ is outside/,
      ),
    ).toBeInTheDocument();
    expect(objectRequests(received)).toHaveLength(2);
  });

  it('says when the product has no files yet', async () => {
    render({
      objects: () => ({
        product,
        port: 'training_snapshots',
        path: '',
        folders: [],
        objects: [],
      }),
    });
    expect(
      await screen.findByText(
        /No files yet — the product's job writes them here/,
      ),
    ).toBeInTheDocument();
  });

  it('names the lake when it does not answer (503)', async () => {
    render({
      ports: () => ({
        status: 503,
        name: 'ServiceUnavailableError',
        message:
          "The lake's S3 endpoint http://ceph:7480 did not answer within 5 s",
      }),
    });
    expect(
      await screen.findByText(/The data lake \(Ceph S3\) did not answer/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/http:\/\/ceph:7480 did not answer/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });

  it("blames the deployment when S3 refuses the portal's credentials (502)", async () => {
    render({
      ports: () => ({ product, ports: [trainingPort] }),
      objects: () => ({
        status: 502,
        name: 'LakeCredentialsError',
        message:
          "The lake's S3 endpoint refused the portal's credentials (InvalidAccessKeyId)",
      }),
    });
    expect(
      await screen.findByText(/The data lake refused the portal's credentials/),
    ).toBeInTheDocument();
    expect(screen.getByText(/not of your access/)).toBeInTheDocument();
  });

  it('says when the lake is not set up', async () => {
    render({
      ports: () => ({
        status: 503,
        name: 'LakeNotConfiguredError',
        message: 'lake.s3 is not configured',
      }),
    });
    expect(
      await screen.findByText(/The data lake is not set up in this portal/),
    ).toBeInTheDocument();
  });

  it('says so when the user may not read the files (403)', async () => {
    render({
      ports: () => ({ status: 403, name: 'NotAllowedError', message: 'no' }),
    });
    expect(
      await screen.findByText(
        'You are not allowed to see the files of churn-features.',
      ),
    ).toBeInTheDocument();
  });
});
