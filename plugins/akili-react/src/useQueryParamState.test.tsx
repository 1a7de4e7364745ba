import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation, useNavigate } from 'react-router-dom';
import { useQueryParamState } from './useQueryParamState';

const Location = () => {
  const location = useLocation();
  return <output aria-label="location">{location.search}</output>;
};

const Back = () => {
  const navigate = useNavigate();
  return (
    <>
      <button onClick={() => navigate(-1)}>Back</button>
      <button onClick={() => navigate(1)}>Forward</button>
    </>
  );
};

const List = () => {
  const [status, setStatus] = useQueryParamState('status', 'all');
  const [page, setPage] = useQueryParamState('page', '1');
  const [search, setSearch] = useQueryParamState('q', '', { replace: true });
  return (
    <>
      <p>
        status {status}, page {page}, search {search || '(none)'}
      </p>
      <button onClick={() => setStatus('failed', { reset: ['page'] })}>
        Failed
      </button>
      <button onClick={() => setStatus('all', { reset: ['page'] })}>All</button>
      <button onClick={() => setPage(String(Number(page) + 1))}>Next</button>
      <label>
        Search
        <input value={search} onChange={e => setSearch(e.target.value)} />
      </label>
      <Location />
      <Back />
    </>
  );
};

const renderAt = (url: string) =>
  render(
    <MemoryRouter
      initialEntries={['/start', url]}
      initialIndex={1}
      future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
    >
      <List />
    </MemoryRouter>,
  );

const search = () => screen.getByLabelText('location').textContent;

describe('useQueryParamState', () => {
  it('reads the state from the URL, defaults when absent', () => {
    renderAt('/runs?status=failed&page=3&other=kept');
    expect(
      screen.getByText('status failed, page 3, search (none)'),
    ).toBeInTheDocument();
    renderAt('/runs');
    expect(
      screen.getByText('status all, page 1, search (none)'),
    ).toBeInTheDocument();
  });

  it('writes changes to the URL, keeps other parameters, drops the default and the reset ones', async () => {
    renderAt('/runs?page=3&other=kept');
    await userEvent.click(screen.getByRole('button', { name: 'Failed' }));
    expect(search()).toBe('?other=kept&status=failed');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(search()).toBe('?other=kept&status=failed&page=2');
    await userEvent.click(screen.getByRole('button', { name: 'All' }));
    expect(search()).toBe('?other=kept');
  });

  it('steps back and forward through choices, not through key strokes', async () => {
    renderAt('/runs');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText(/page 3/)).toBeInTheDocument();
    await userEvent.type(screen.getByRole('textbox', { name: 'Search' }), 'ab');
    expect(search()).toBe('?page=3&q=ab');

    // Back undoes the last page change at once: typing replaced the entry.
    await userEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(search()).toBe('?page=2');
    expect(
      screen.getByText('status all, page 2, search (none)'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Forward' }));
    expect(
      screen.getByText('status all, page 3, search ab'),
    ).toBeInTheDocument();
  });
});
