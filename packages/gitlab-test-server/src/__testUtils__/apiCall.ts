import { GitlabTestServer } from '../GitlabTestServer';

/** A REST v4 call to the test server with `token`: its status, headers and JSON body. */
export function apiCaller(gitlab: GitlabTestServer, token: string) {
  return async (method: string, path: string, body?: object) => {
    const res = await fetch(`${gitlab.baseUrl}/api/v4${path}`, {
      method,
      headers: {
        'private-token': token,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      headers: res.headers,
      body: await res.json(),
    };
  };
}
