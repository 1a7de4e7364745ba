import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ActionDialog } from './ActionDialog';
import { queryString } from './BackendRequester';
import { errorMessage, errorName, isForbidden, isNotFound } from './errors';
import { responseError } from './__testUtils__/responseError';

describe('queryString', () => {
  it('keeps the options that are set, encoded, in order', () => {
    expect(queryString({ a: 1, b: undefined, c: '', d: 'x y&z' })).toBe(
      '?a=1&d=x+y%26z',
    );
    expect(queryString({ a: undefined })).toBe('');
  });
});

describe('errors', () => {
  it('reads the server’s message, name and status', async () => {
    const error = await responseError(403, 'NotAllowedError', 'Not yours');
    expect(errorMessage(error)).toBe('Not yours');
    expect(errorName(error)).toBe('NotAllowedError');
    expect(isForbidden(error)).toBe(true);
    expect(isNotFound(error)).toBe(false);
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('text')).toBe('text');
  });
});

describe('ActionDialog', () => {
  it('keeps a failure in the dialog, described as asked, and closes on success', async () => {
    const onClose = jest.fn();
    const onSubmit = jest
      .fn()
      .mockRejectedValueOnce(await responseError(409, 'ConflictError', 'Busy'))
      .mockResolvedValueOnce(undefined);
    render(
      <ActionDialog
        title="Do it?"
        submitLabel="Do"
        canSubmit
        onClose={onClose}
        onSubmit={onSubmit}
        describeError={e => `Could not: ${errorMessage(e)}`}
      >
        Really.
      </ActionDialog>,
    );
    expect(screen.getByRole('dialog', { name: 'Do it?' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Do' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not: Busy',
    );
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Do' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onSubmit).toHaveBeenCalledTimes(2);
  });
});
