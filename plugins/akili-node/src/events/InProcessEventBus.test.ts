import { AkiliEventMessage } from '@akili/plugin-akili-common';
import { InProcessEventBus } from './InProcessEventBus';

const message = (topic: string, n: number): AkiliEventMessage => ({
  topic,
  key: `k${n % 2}`,
  value: String(n),
});

describe('InProcessEventBus', () => {
  it('delivers in publish order, also across concurrent publishes, to matching subscribers', async () => {
    const bus = new InProcessEventBus();
    const all: string[] = [];
    const products: string[] = [];
    bus.subscribe(/^akili\.acme\./, async m => {
      // A slow handler must not let a later message overtake.
      await new Promise(resolve => setTimeout(resolve, Number(m.value) % 3));
      all.push(m.value);
    });
    const unsubscribe = bus.subscribe('akili.acme.product', async m => {
      products.push(m.value);
    });
    await Promise.all([
      bus.publish([
        message('akili.acme.product', 1),
        message('akili.acme.execution', 2),
      ]),
      bus.publish([message('akili.acme.product', 3)]),
      bus.publish([message('akili.globex.product', 4)]),
    ]);
    expect(all).toEqual(['1', '2', '3']);
    expect(products).toEqual(['1', '3']);
    unsubscribe();
    await bus.publish([message('akili.acme.product', 5)]);
    expect(products).toEqual(['1', '3']);
    expect(all).toEqual(['1', '2', '3', '5']);
  });

  it('stops at a failing handler and rejects, so the relay publishes the rest again', async () => {
    const bus = new InProcessEventBus();
    const seen: string[] = [];
    let failOnce = true;
    bus.subscribe(/.*/, async m => {
      if (m.value === '2' && failOnce) {
        failOnce = false;
        throw new Error('handler failed');
      }
      seen.push(m.value);
    });
    const batch = [1, 2, 3].map(n => message('t', n));
    await expect(bus.publish(batch)).rejects.toThrow('handler failed');
    expect(seen).toEqual(['1']);
    await bus.publish(batch);
    expect(seen).toEqual(['1', '1', '2', '3']);
  });
});
