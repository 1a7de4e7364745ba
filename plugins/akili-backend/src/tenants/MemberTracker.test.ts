import { mockServices } from '@backstage/backend-test-utils';
import { MEMBER_SEEN_THROTTLE_MS, MemberTracker } from './MemberTracker';
import { TenantStore } from './TenantStore';

describe('MemberTracker', () => {
  function setup() {
    let now = 1_700_000_000_000;
    const recordMember = jest.fn().mockResolvedValue(undefined);
    const tracker = new MemberTracker({
      store: { recordMember } as unknown as TenantStore,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    return {
      tracker,
      recordMember,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  const olga = {
    userEntityRef: 'user:default/olga',
    platformAdmin: false,
    tenants: { acme: ['operator' as const], globex: ['consumer' as const] },
  };

  it('writes each tenant once, then again only after the throttle or a role change', async () => {
    const { tracker, recordMember, advance } = setup();
    await tracker.seen(olga);
    expect(recordMember.mock.calls.map(call => call.slice(0, 3))).toEqual([
      ['acme', 'user:default/olga', ['operator']],
      ['globex', 'user:default/olga', ['consumer']],
    ]);

    advance(MEMBER_SEEN_THROTTLE_MS - 1);
    await tracker.seen(olga);
    expect(recordMember).toHaveBeenCalledTimes(2);

    await tracker.seen({
      ...olga,
      tenants: { ...olga.tenants, acme: ['developer', 'operator'] },
    });
    expect(recordMember).toHaveBeenCalledTimes(3);
    expect(recordMember.mock.calls[2].slice(0, 3)).toEqual([
      'acme',
      'user:default/olga',
      ['developer', 'operator'],
    ]);

    advance(1);
    await tracker.seen(olga);
    // globex's minute is over; acme changed back to operator only.
    expect(recordMember).toHaveBeenCalledTimes(5);
  });

  it('logs a failed write and retries it on the next request', async () => {
    const { tracker, recordMember } = setup();
    recordMember.mockRejectedValueOnce(new Error('db down'));
    await expect(
      tracker.seen({ ...olga, tenants: { acme: ['operator'] } }),
    ).resolves.toBeUndefined();
    await tracker.seen({ ...olga, tenants: { acme: ['operator'] } });
    expect(recordMember).toHaveBeenCalledTimes(2);
  });
});
