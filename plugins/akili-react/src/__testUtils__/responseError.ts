import { ResponseError } from '@backstage/errors';

/** A `ResponseError` as a backend's Backstage error body makes it (tests only). */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const body = JSON.stringify({
    error: { name, message },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    status,
    statusText: '',
    headers: { get: () => 'application/json' },
    text: async () => body,
  } as unknown as Response);
}
