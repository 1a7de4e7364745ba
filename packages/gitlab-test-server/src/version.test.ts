import { GitlabTestServer } from './GitlabTestServer';
import { apiCaller } from './__testUtils__/apiCall';

describe('GitlabTestServer GET /version', () => {
  const gitlab = new GitlabTestServer('t0ken');

  beforeAll(() => gitlab.start());
  afterAll(() => gitlab.stop());

  it("answers the instance's version to a valid token only", async () => {
    const ok = await apiCaller(gitlab, 't0ken')('GET', '/version');
    expect(ok.status).toBe(200);
    expect(ok.body.version).toMatch(/^\d+\.\d+\.\d+/);
    const refused = await apiCaller(gitlab, 'wrong')('GET', '/version');
    expect(refused.status).toBe(401);
  });
});
