import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { IdentityService } from './identity.service.js';
import type { Mail } from './mailer.js';

for (const driver of testDrivers()) {
  describe(`public users, their sessions, attempts and links (${driver.name})`, () => {
    let h: Harness;
    let service: IdentityService;
    let clock = new Date('2026-03-01T08:00:00Z');
    const sent: Mail[] = [];
    const later = (minutes: number) => {
      clock = new Date(clock.getTime() + minutes * 60_000);
    };

    beforeAll(async () => {
      h = await startHarness(driver);
      service = new IdentityService({
        db: h.db,
        baseUrl: 'http://ndp.test',
        publicSessionTtlHours: 8,
        mailer: { send: async (m) => void sent.push(m) },
        subjectHashes: async (who) => [`hash-of-${who}-current`, `hash-of-${who}-previous`],
        now: () => clock,
      });
    });
    afterAll(() => h?.close());

    const attempt = (address = '192.0.2.10') =>
      service.startAttempt(
        { provider: 'eid', state: 's', nonce: 'n', code_verifier: 'v', level: 2, next: '/account' },
        address,
      );

    it('serves an OpenID attempt once, to its own provider, within ten minutes', async () => {
      const a = await attempt();
      await expect(service.takeAttempt('staff', a.id)).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
      const b = await attempt();
      expect((await service.takeAttempt('eid', b.id)).level).toBe(2);
      await expect(service.takeAttempt('eid', b.id)).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
      const c = await attempt();
      later(11);
      await expect(service.takeAttempt('eid', c.id)).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
      await expect(service.takeAttempt('eid', undefined)).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
    });

    it('lets one client address start 30 attempts in 15 minutes, and others theirs', async () => {
      for (let i = 0; i < 30; i++) await attempt('198.51.100.7');
      await expect(attempt('198.51.100.7')).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
      await expect(attempt('198.51.100.8')).resolves.toHaveProperty('id');
    });

    it('finds a citizen again by issuer and subject, and replaces their hashes at each sign-in that releases the id', async () => {
      const first = await service.citizenSignedIn({
        issuer: 'https://eid.test',
        subject: 'pairwise-1',
        name: 'Nguyễn Văn An',
        level: 2,
        idNumber: '001090000001',
      });
      expect(await service.subjectHashes(first.user)).toEqual([
        'hash-of-VN001090000001-current',
        'hash-of-VN001090000001-previous',
      ]);
      const second = await service.citizenSignedIn({
        issuer: 'https://eid.test',
        subject: 'pairwise-1',
        name: 'Nguyễn Văn Ân',
        level: 1,
        idNumber: null,
      });
      expect(second.user.userId).toBe(first.user.userId);
      expect(second.user.name).toBe('Nguyễn Văn Ân');
      // a level 1 session may not read them; the level 2 one still may, and they were kept from the last release
      await expect(service.subjectHashes(second.user)).rejects.toMatchObject({ code: 'ASSURANCE_TOO_LOW' });
      expect(await service.subjectHashes(first.user)).toHaveLength(2);
      const other = await service.citizenSignedIn({
        issuer: 'https://other-eid.test',
        subject: 'pairwise-1',
        name: 'Someone else',
        level: 2,
        idNumber: null,
      });
      expect(other.user.userId).not.toBe(first.user.userId);
    });

    it('ends a public session after its lifetime, and at sign-out', async () => {
      const s = await service.citizenSignedIn({
        issuer: 'https://eid.test',
        subject: 'pairwise-2',
        name: 'Trần Thị Bình',
        level: 1,
        idNumber: null,
      });
      expect((await service.fromSession(s.sessionId))?.user.level).toBe(1);
      later(8 * 60 - 1);
      expect(await service.fromSession(s.sessionId)).not.toBeNull();
      later(2);
      expect(await service.fromSession(s.sessionId)).toBeNull();
      const t = await service.citizenSignedIn({
        issuer: 'https://eid.test',
        subject: 'pairwise-2',
        name: 'Trần Thị Bình',
        level: 1,
        idNumber: null,
      });
      await service.signOut(t.sessionId);
      expect(await service.fromSession(t.sessionId)).toBeNull();
    });

    it('uses an e-mailed link once even when two uses race, and never after thirty minutes', async () => {
      const tokenOf = (m: Mail) => /token=([\w-]+)/.exec(m.text)![1]!;
      await service.requestEmailLink({ email: 'Race@Example.org', name: 'Race', clientAddress: '192.0.2.1' });
      const token = tokenOf(sent.at(-1)!);
      expect(await service.emailLinkLive(token)).toBe(true);
      const results = await Promise.allSettled([service.emailLinkUsed(token), service.emailLinkUsed(token)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await service.emailLinkLive(token)).toBe(false);

      await service.requestEmailLink({ email: 'late@example.org', name: 'Late', clientAddress: '192.0.2.1' });
      const late = tokenOf(sent.at(-1)!);
      later(31);
      expect(await service.emailLinkLive(late)).toBe(false);
      await expect(service.emailLinkUsed(late)).rejects.toMatchObject({ code: 'LINK_INVALID' });
      await expect(service.emailLinkUsed('not-a-token')).rejects.toMatchObject({ code: 'LINK_INVALID' });
    });
  });
}
