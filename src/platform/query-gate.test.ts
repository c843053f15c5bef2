import { describe, expect, it } from 'vitest';
import { QueryGate } from './query-gate.js';

describe('query gate', () => {
  it('runs a few at once, queues the rest in order, and refuses a client past its share', async () => {
    const gate = new QueryGate({ slots: 2, perClient: 2, queue: 1, waitMs: 1000 });
    const a1 = await gate.acquire('a');
    const b1 = await gate.acquire('b');
    let started = false;
    const queued = gate.acquire('c').then((release) => {
      started = true;
      return release;
    });
    expect(gate.stats()).toEqual({ running: 2, waiting: 1 });
    // the queue is full: a fourth is told the service is busy
    await expect(gate.acquire('d')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    // a client under its share is still refused while the queue is full
    await expect(gate.acquire('a')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    a1();
    const c = await queued;
    expect(started).toBe(true);
    b1();
    c();
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
    const x1 = await gate.acquire('x');
    const x2 = await gate.acquire('x');
    await expect(gate.acquire('x')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    x1();
    x2();
  });

  it('gives up waiting after waitMs with SERVICE_UNAVAILABLE and frees the client’s share', async () => {
    const gate = new QueryGate({ slots: 1, perClient: 1, waitMs: 20 });
    const held = await gate.acquire('a');
    await expect(gate.acquire('b')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    held();
    (await gate.acquire('b'))();
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
  });
});
