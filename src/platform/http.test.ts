import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createServer } from './http.js';

describe('client address behind proxies', () => {
  const ipOf = async (trustProxy: false | string[] | undefined, remoteAddress: string) => {
    const app = await createServer({ logger: pino({ level: 'silent' }), maxUploadBytes: 1024, trustProxy });
    app.get('/ip', async (req) => ({ ip: req.ip }));
    const res = await app.inject({ url: '/ip', remoteAddress, headers: { 'x-forwarded-for': '192.0.2.7' } });
    await app.close();
    return res.json().ip as string;
  };

  it('ignores X-Forwarded-For unless the sender is a configured proxy', async () => {
    expect(await ipOf(undefined, '198.51.100.1')).toBe('198.51.100.1');
    expect(await ipOf(['10.0.0.0/8'], '198.51.100.1')).toBe('198.51.100.1');
    expect(await ipOf(['10.0.0.0/8'], '10.2.3.4')).toBe('192.0.2.7');
  });
});
