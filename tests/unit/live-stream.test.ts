import { LiveStream, MAX_QUEUED } from '../../src/modules/live/live-stream';

// One subscription's stream (modules/live): catch-up and live items meet without a gap or a
// repeat, and a token that no longer holds stops delivery before the next item.

const item = (seq: number) => ({ seq: String(seq), kind: 'update', entityId: String(seq), fields: ['status'], occurredAt: new Date(0), node: { seq } });

async function drain(stream: LiveStream<unknown>, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await stream.next();
    if (r.done) break;
    out.push(r.value.seq);
  }
  return out;
}

describe('LiveStream', () => {
  const ok = async () => true;

  it('buffers live items during catch-up and lets through each seq once, in order', async () => {
    const stream = new LiveStream(10n, true, ok, () => undefined);
    // Live pages arrive while the outbox is read back; they overlap what catch-up reads.
    stream.offer([item(14), item(15)]);
    stream.caughtUpTo([item(11), item(12), item(13), item(14)]);
    stream.offer([item(16)]);
    stream.goLive();
    stream.offer([item(15), item(17)]);
    expect(await drain(stream, 7)).toEqual(['11', '12', '13', '14', '15', '16', '17']);
  });

  it('drops what the subscriber already has (afterSeq ahead of the feed)', async () => {
    const stream = new LiveStream(20n, false, ok, () => undefined);
    stream.offer([item(19), item(20), item(21)]);
    expect(await drain(stream, 1)).toEqual(['21']);
  });

  it('ends without handing over the next item once the token no longer holds', async () => {
    let valid = true;
    let ended = 0;
    const stream = new LiveStream(0n, false, async () => valid, () => ended++);
    stream.offer([item(1), item(2)]);
    expect((await stream.next()).value?.seq).toBe('1');
    valid = false;
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
    stream.offer([item(3)]);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends with EVENTS_OVERFLOW when a subscriber falls too far behind', async () => {
    const stream = new LiveStream(0n, false, ok, () => undefined);
    stream.offer(Array.from({ length: MAX_QUEUED + 1 }, (_, i) => item(i + 1)));
    await expect(drain(stream, MAX_QUEUED + 2)).rejects.toMatchObject({ extensions: { code: 'EVENTS_OVERFLOW' } });
  });

  it('a waiting reader is woken by the next item', async () => {
    const stream = new LiveStream(0n, false, ok, () => undefined);
    const pending = stream.next();
    stream.offer([item(1)]);
    expect((await pending).value?.seq).toBe('1');
    await stream.return();
    expect((await stream.next()).done).toBe(true);
  });
});
