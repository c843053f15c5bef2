import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { buildProcedure } from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { CONSENT_PURPOSE, startDemoNetwork, type DemoNetwork } from '../cli/demo-network.js';
import { createLogger } from '../platform/logger.js';
import { demoSystemUser } from '../cli/demo.js';
import { verifyRecordProof, type RecordProof } from '../exchange/protocol/record-proof.js';

const PERSON = '001090000001'; // the demo register's first citizen (X-Road-UserId VN001090000001)
const OTHER = '001090000002';

/**
 * Issue 19, "my data": a citizen signed in with the e-ID at level 2 sees every read of their data the gateways
 * recorded (names, purpose, basis, consent), a page at a time, exports them, and decides the consents asked of them.
 * Nobody else's records or consents ever show; level 1 and strangers are refused; writes need the session's CSRF.
 */
describe.each(testDrivers())('my data ($name)', (driver) => {
  let h: Harness;
  let network: DemoNetwork;
  let editor: string;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const sessions: Record<'person' | 'other' | 'level1', { sessionId: string; csrfToken: string }> = {} as never;

  beforeAll(async () => {
    h = await startHarness(driver);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    network = await startDemoNetwork(h.app, h.database, {
      dataDir: h.dataDir,
      basePort: 0,
      logger: createLogger({ logLevel: 'silent' }),
      registryUrl: `http://127.0.0.1:${(h.app.server.server.address() as { port: number }).port}`,
    });
    editor = (await h.tokenFor('000.00.00.H01', 'agency_editor')).token;
    const signIn = (subject: string, idNumber: string, level: 1 | 2) =>
      h.app.services.identity.citizenSignedIn({
        issuer: 'https://eid.test',
        subject,
        name: `Công dân ${subject}`,
        level,
        idNumber: level === 2 ? idNumber : null,
      });
    sessions.person = await signIn('person', PERSON, 2);
    sessions.other = await signIn('other', OTHER, 2);
    sessions.level1 = await signIn('person-l1', PERSON, 1);
  }, 120_000);
  afterAll(async () => {
    agent.destroy();
    await network?.stop();
    await h?.close();
  });

  const as = (
    who: keyof typeof sessions,
    o: { method?: 'GET' | 'POST'; url: string; payload?: object; csrf?: string },
  ) =>
    h.inject({
      method: o.method ?? 'GET',
      url: o.url,
      payload: o.payload,
      cookies: { ndp_public: sessions[who].sessionId },
      headers: o.csrf ? { 'x-csrf-token': o.csrf } : {},
    });
  const form = (who: keyof typeof sessions, url: string, fields: Record<string, string>) =>
    h.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams(fields).toString(),
      cookies: { ndp_public: sessions[who].sessionId },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  /** A call through the demo's two gateways naming a person: the provider gateway records it as a read of their data. */
  const call = (purpose: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; error: string | undefined }>((resolve, reject) => {
      const url = new URL(network.consumerUrl);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          agent,
          path: `/r1/${network.service}/citizens/${network.citizen}`,
          headers: {
            'X-Road-Client': network.client,
            'X-Ndp-Api-Key': network.apiKey,
            'X-Ndp-Purpose': purpose,
            'X-Road-UserId': `VN${PERSON}`,
            ...headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, error: res.headers['x-road-error'] as string }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const ask = async () => {
    const r = await h.inject({
      method: 'POST',
      url: '/api/v1/privacy/consents',
      headers: { authorization: `Bearer ${editor}` },
      payload: {
        subject: `VN${PERSON}`,
        recipient: network.clientSubsystemId,
        services: [{ service: network.serviceId, fields: ['fullName', 'dateOfBirth'] }],
        purpose: CONSENT_PURPOSE,
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        usesPerDay: 50,
        retentionDays: 90,
        note: 'Xét học bổng năm học 2026–2027',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string };
  };

  it('shows the person every read of their data with names, purpose and basis, 50 a page, and nobody else', async () => {
    for (let i = 0; i < 55; i++) expect((await call('verify-residence')).status).toBe(200);
    await network.gateways.provider.report();

    const first = await as('person', { url: '/my-data' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toContain('X-Road-UserId');
    expect(first.body).toContain('Ai đã đọc dữ liệu của tôi');
    // names, not only ids: the reading agency and system, the service's title
    expect(first.body).toContain('Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội');
    expect(first.body).toContain('Tra cứu thông tin công dân');
    expect(first.body).toContain('verify-residence');
    expect(first.body).toContain('Luật Cư trú 2020');
    expect(first.body.match(/data-record="/g)).toHaveLength(50);
    const older = /href="(\/my-data\?before=[^"#]+)#reads"/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const second = await as('person', { url: older!.replaceAll('&amp;', '&') });
    expect(second.statusCode).toBe(200);
    const ids = (b: string) => [...b.matchAll(/data-record="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(second.body)).toHaveLength(5);
    expect(new Set([...ids(first.body), ...ids(second.body)]).size).toBe(55);
    expect(second.body).not.toContain('rel="next"');
    // the proof link of each record, as the issue names it
    expect(first.body).toMatch(/href="\/my-data\/records\/[0-9a-f-]{36}\/\d+\/proof\.json"/);
    // the person's requests under the law are one link away
    expect(first.body).toMatch(/href="\/my-data\/requests"[^>]*>Yêu cầu của tôi/);

    // in English too, with the same sentence about what the records cover
    const en = await as('person', { url: '/my-data?lang=en' });
    expect(en.body).toContain('Who read my data');
    expect(en.body).toContain('named you as the person concerned (X-Road-UserId)');
    expect(en.body).toMatch(/href="\/my-data\/requests\?lang=en"[^>]*>My requests/);
    // the next page stays in English: lang joins the query, not the fragment
    expect(en.body).toMatch(/rel="next" href="\/my-data\?before=[^"#]+&amp;lang=en#reads"/);

    // another person sees none of them
    const other = await as('other', { url: '/my-data' });
    expect(other.statusCode).toBe(200);
    expect(other.body).toContain('data-testid="no-reads"');
    expect(other.body).not.toContain('data-record="');
    const api = await as('other', { url: '/api/v1/my/records' });
    expect(api.json()).toEqual({ records: [], next: null });

    // the API twin pages the same way
    const p1 = (await as('person', { url: '/api/v1/my/records' })).json();
    expect(p1.records).toHaveLength(50);
    expect(p1.records[0]).toMatchObject({
      purpose: 'verify-residence',
      client: { system: 'Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội' },
      service: { title: 'Tra cứu thông tin công dân' },
    });
    const p2 = (await as('person', { url: `/api/v1/my/records?before=${encodeURIComponent(p1.next)}` })).json();
    expect(p2.records).toHaveLength(5);
    expect(p2.next).toBeNull();
  });

  it('names the basis a read’s grant declared, in words, beside its citation', async () => {
    const registry = h.app.services.registry;
    await registry.createGrant(await demoSystemUser(h.app, h.database), {
      client: network.clientSubsystemId,
      service: network.serviceId,
      endpoints: [{ method: 'GET', path: '/citizens/*' }],
      purposes: ['household-check'],
      legalBasis: 'Luật Cư trú 2020, Điều 37',
      basis: 'public_task',
    });
    await network.gateways.consumer.context.holder.refresh();
    await network.gateways.provider.context.holder.refresh();
    expect((await call('household-check')).status).toBe(200);
    await network.gateways.provider.report();
    const read = (await as('person', { url: '/api/v1/my/records' })).json().records[0];
    expect(read).toMatchObject({
      purpose: 'household-check',
      basis: 'public_task',
      legalBasis: 'Luật Cư trú 2020, Điều 37',
    });
    const page = await as('person', { url: '/my-data' });
    expect(page.body).toContain('Nhiệm vụ công của cơ quan');
    expect((await as('person', { url: '/my-data?lang=en' })).body).toContain('A public task of the agency');
    // the demo's first grant declared no code: its reads show the citation alone
    const plain = (await as('person', { url: '/api/v1/my/records?proofs=false' })).json().records as {
      purpose: string;
      basis: string | null;
    }[];
    expect(plain.filter((r) => r.purpose === 'verify-residence').every((r) => r.basis === null)).toBe(true);
  });

  it('refuses level 1, strangers and another person’s proof; sends a level-1 visitor of the page to the e-ID at level 2', async () => {
    const page = await as('level1', { url: '/my-data' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toMatch(/^\/auth\/eid\?level=2&next=%2Fmy-data/);
    const api = await as('level1', { url: '/api/v1/my/records' });
    expect(api.statusCode).toBe(403);
    expect(api.json().error.code).toBe('ASSURANCE_TOO_LOW');
    expect((await h.inject({ method: 'GET', url: '/api/v1/my/consents' })).statusCode).toBe(401);
    expect((await h.inject({ method: 'GET', url: '/my-data' })).headers.location).toMatch(/^\/auth\/eid\?level=2/);
    // a staff token is no citizen
    const staff = await h.inject({
      method: 'GET',
      url: '/api/v1/my/records',
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(staff.statusCode).toBe(401);
    // the person's own record exists; another person asking for its proof learns nothing
    const mine = (await as('person', { url: '/api/v1/my/records' })).json().records[0];
    const theirs = await as('other', { url: mine.proof });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain('checkpoint');
    expect((await as('level1', { url: mine.proof })).statusCode).toBe(303);
    // the account page leads a level-2 citizen to "my data", and offers level 1 the step up instead
    expect((await as('person', { url: '/account' })).body).toContain('href="/my-data"');
    expect((await as('level1', { url: '/account' })).body).not.toContain('href="/my-data"');
  });

  it('serves the proof of each of the person’s reads as JSON, and it verifies against the gateway’s signed checkpoint', async () => {
    for (let i = 0; i < 3; i++) expect((await call('social-benefits')).status).toBe(200);
    await network.gateways.provider.report();
    const mine = (await as('person', { url: '/api/v1/my/records' })).json().records as {
      proof: string;
      gateway: string;
      logIndex: number;
    }[];
    const page = await as('person', { url: mine[0]!.proof });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toContain('application/json');
    const proof = page.json() as RecordProof;
    expect(proof).toMatchObject({ gateway: mine[0]!.gateway, index: mine[0]!.logIndex });
    expect(verifyRecordProof(proof)).toEqual({ ok: true });
    // the API twin gives the same proof; a changed leaf no longer verifies
    const api = await as('person', { url: `/api/v1/my/records/${mine[1]!.gateway}/${mine[1]!.logIndex}/proof` });
    expect(verifyRecordProof(api.json())).toEqual({ ok: true });
    const forged = { ...proof, leaf: api.json().leaf };
    expect(verifyRecordProof(forged).ok).toBe(false);
    // a page of records with their proofs at once, each the proof of its own record
    const withProofs = (await as('person', { url: '/api/v1/my/records?proofs=true' })).json().records as {
      logIndex: number;
      evidence: RecordProof | null;
    }[];
    expect(withProofs.length).toBeGreaterThanOrEqual(3);
    for (const r of withProofs.slice(0, 3)) {
      expect(r.evidence?.index).toBe(r.logIndex);
      expect(verifyRecordProof(r.evidence!)).toEqual({ ok: true });
    }
  });

  it('shows a consent request, decides it only with the session’s CSRF and only for its person, and counts its uses', async () => {
    const c = await ask();
    const waiting = await as('person', { url: '/my-data' });
    expect(waiting.body).toContain(`id="consent-${c.id}"`);
    expect(waiting.body).toContain('Xét học bổng năm học 2026–2027');
    expect(waiting.body).toContain('<li><code>fullName</code></li><li><code>dateOfBirth</code></li>');
    expect(waiting.body).toContain('im lặng không phải là đồng ý');
    // another person neither sees nor decides it
    expect((await as('other', { url: '/my-data' })).body).not.toContain(c.id);
    const stolen = await form('other', `/my-data/consents/${c.id}`, {
      _csrf: sessions.other.csrfToken,
      decision: 'approve',
    });
    expect(stolen.statusCode).toBe(404);
    // no CSRF token, or another session's: refused
    expect((await form('person', `/my-data/consents/${c.id}`, { _csrf: 'x', decision: 'approve' })).statusCode).toBe(
      403,
    );
    expect(
      (
        await as('person', {
          method: 'POST',
          url: `/api/v1/my/consents/${c.id}/decision`,
          payload: { decision: 'approve' },
        })
      ).statusCode,
    ).toBe(403);
    // level 1 cannot decide through the API even with its CSRF
    const low = await as('level1', {
      method: 'POST',
      url: `/api/v1/my/consents/${c.id}/decision`,
      payload: { decision: 'approve' },
      csrf: sessions.level1.csrfToken,
    });
    expect(low.statusCode).toBe(403);
    expect((await as('person', { url: '/api/v1/my/consents' })).json().waiting[0]).toMatchObject({
      id: c.id,
      status: 'requested',
    });

    const approved = await form('person', `/my-data/consents/${c.id}`, {
      _csrf: sessions.person.csrfToken,
      decision: 'approve',
    });
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`/my-data?done=approve#consent-${c.id}`);
    const active = (await as('person', { url: '/api/v1/my/consents' })).json();
    expect(active.active.map((x: { id: string }) => x.id)).toContain(c.id);
    expect(active.active[0].recipient.system).toBe('Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội');

    // a read under the consent-based grant: it names the consent, and the page links the two
    const artefact = (
      await h.inject({
        method: 'GET',
        url: `/api/v1/privacy/consents/${c.id}`,
        headers: { authorization: `Bearer ${editor}` },
      })
    ).json().artefact as string;
    let ok = await call(CONSENT_PURPOSE, { 'X-Ndp-Consent': artefact });
    for (let i = 0; i < 50 && ok.error === 'Server.ServerProxy.ConsentUnverifiable'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ok = await call(CONSENT_PURPOSE, { 'X-Ndp-Consent': artefact });
    }
    expect(ok.status).toBe(200);
    await network.gateways.provider.report();
    const withUse = await as('person', { url: '/my-data' });
    expect(withUse.body).toContain(`href="#consent-${c.id}"`);
    expect(withUse.body).toContain('Sự đồng ý của bạn');
    expect(withUse.body).toContain('1 lần đọc đã dựa vào nó');
    const uses = (await as('person', { url: `/api/v1/my/records?consent=${c.id}` })).json();
    expect(uses.records).toHaveLength(1);
    expect(uses.records[0]).toMatchObject({ consent: c.id, basis: 'consent', purpose: CONSENT_PURPOSE });
    expect((await as('other', { url: `/api/v1/my/records?consent=${c.id}` })).json().records).toEqual([]);

    // withdrawn through the API with the session's CSRF; the decision is audited with the person as a hash only
    const withdrawn = await as('person', {
      method: 'POST',
      url: `/api/v1/my/consents/${c.id}/decision`,
      payload: { decision: 'withdraw' },
      csrf: sessions.person.csrfToken,
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().status).toBe('withdrawn');
    const past = (await as('person', { url: '/api/v1/my/consents' })).json().past;
    expect(past.find((x: { id: string }) => x.id === c.id)).toMatchObject({ status: 'withdrawn', uses: 1 });
    const trail = await h.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', c.id)
      .execute();
    expect(trail.map((t) => t.action)).toEqual(
      expect.arrayContaining(['privacy.consent.approve', 'privacy.consent.withdraw']),
    );
  });

  it('exports every record as CSV and JSON, streamed, and audits each lookup with the person as a keyed hash only', async () => {
    const json = await as('person', { url: '/my-data/records.json' });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toContain('my-data.json');
    const all = json.json().records as { at: string; purpose: string }[];
    expect(all.length).toBeGreaterThanOrEqual(56);
    expect(all.filter((r) => r.purpose === 'verify-residence')).toHaveLength(55);
    const csv = await as('person', { url: '/api/v1/my/records/export.csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^at,client,client_system/);
    expect(lines).toHaveLength(all.length + 1);
    expect(csv.body).toContain('Tra cứu thông tin công dân');
    expect((await as('other', { url: '/my-data/records.csv' })).body.trim().split('\r\n')).toHaveLength(1);

    // one download at a time per person: a second waits for the first to end, however it ends
    const user = (await h.app.services.identity.fromSession(sessions.person.sessionId))!.user;
    const running = await h.app.services.myData.export(user, 'json');
    await expect(h.app.services.myData.export(user, 'csv')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect((await as('person', { url: '/my-data/records.csv' })).statusCode).toBe(429);
    expect((await as('other', { url: '/my-data/records.csv' })).statusCode).toBe(200);
    running.release();
    expect((await as('person', { url: '/my-data/records.csv' })).statusCode).toBe(200);
    expect((await as('person', { url: '/my-data/records.csv' })).statusCode).toBe(200);

    const audited = await h.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'after'])
      .where('action', 'like', 'privacy.my_data.%')
      .execute();
    expect(new Set(audited.map((a) => a.action))).toEqual(
      new Set([
        'privacy.my_data.records',
        'privacy.my_data.consents',
        'privacy.my_data.consent_uses',
        'privacy.my_data.export',
        'privacy.my_data.proof',
      ]),
    );
    const text = JSON.stringify(audited);
    expect(text).not.toContain(PERSON);
    expect(audited.every((a) => /^[0-9a-f]{32}$/.test(a.entity_id))).toBe(true);
  });

  it('shows the person a represented party sent as raw UTF-8 or percent-encoded by name, on the page and in exports', async () => {
    const name = 'Nguyễn Thị Ánh';
    // raw UTF-8 bytes: Node writes a header string as Latin-1, so this string is those bytes
    expect(
      (await call('social-benefits', { 'X-Road-Represented-Party': Buffer.from(name).toString('latin1') })).status,
    ).toBe(200);
    expect(
      (await call('social-benefits', { 'X-Road-Represented-Party': `CITIZEN/${encodeURIComponent(name)}` })).status,
    ).toBe(200);
    await network.gateways.provider.report();
    const page = await as('person', { url: '/my-data' });
    expect(page.body).toContain(`<code>${name}</code>`);
    expect(page.body).toContain(`<code>CITIZEN/${name}</code>`);
    expect(page.body).not.toContain('%C3');
    const json = (await as('person', { url: '/my-data/records.json' })).json().records as {
      representedParty: string;
    }[];
    expect(json.filter((r) => r.representedParty).map((r) => r.representedParty)).toEqual([`CITIZEN/${name}`, name]);
    const csv = (await as('person', { url: '/my-data/records.csv' })).body;
    expect(csv).toContain(`,"CITIZEN/${name}",`);
    expect(csv).toContain(`,"${name}",`);
  });

  it('writes the CSV in Vietnam’s time with its offset, every text cell quoted, after a byte-order mark', async () => {
    const csv = (await as('person', { url: '/my-data/records.csv' })).body;
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [, first] = csv.split('\r\n');
    // the time the page shows (22:27 in Hà Nội is 15:27 UTC), machine-readable; text quoted, numbers bare
    const at = /^"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+07:00)","VN\/GOV\//.exec(first!)?.[1];
    expect(at, first).toBeDefined();
    const json = (await as('person', { url: '/my-data/records.json' })).json().records as { at: string }[];
    expect(new Date(at!).toISOString()).toBe(json[0]!.at);
    expect(first).toMatch(/,200,/);
    // a cell holding ";" or "," stays one cell: split on commas outside quotes, every row has the header's columns
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const width = (row: string) => row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((x) => x !== '').length;
    expect(new Set(rows.map(width))).toEqual(new Set([16]));
    expect(csv).toContain('"Luật Cư trú 2020, Điều 37"');
  });

  it('names the agencies by their English names on the English page, reads and consents alike', async () => {
    const en = await as('person', { url: '/my-data?lang=en' });
    expect(en.body).toContain('data-consent="');
    expect(en.body).toMatch(/People(&#39;|'|&#x27;)s Committee of Hanoi City/);
    expect(en.body).toContain('(Ministry of Public Security)');
    expect(en.body).not.toContain('Bộ Công an');
    expect(en.body).not.toContain('Ủy ban nhân dân');
    const vi = await as('person', { url: '/my-data' });
    expect(vi.body).toContain('(Bộ Công an)');
    expect(vi.body).toContain('Ủy ban nhân dân Thành phố Hà Nội');
  });

  it('writes dates in English as the portal does elsewhere (7 Dec 2026 22:27:59), day first in Vietnamese', async () => {
    const enDate = /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/;
    const en = await as('person', { url: '/my-data?lang=en' });
    expect(en.body).toMatch(new RegExp(`Read at ${enDate.source} \\d{2}:\\d{2}:\\d{2}<`));
    expect(en.body).toMatch(new RegExp(`from ${enDate.source} to ${enDate.source}`));
    expect(en.body).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
    const account = await as('person', { url: '/account?lang=en' });
    expect(account.body).toMatch(new RegExp(`<dd>${enDate.source} \\d{2}:\\d{2}</dd>`));
    expect(account.body).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
    const vi = await as('person', { url: '/my-data' });
    expect(vi.body).toMatch(/lúc \d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
  });

  it('boxes a refused read as a refusal, not in the success green, and makes "refuse" the secondary button', async () => {
    // a consent-based service called without a consent: the provider refuses and records the attempt
    expect((await call(CONSENT_PURPOSE)).status).toBeGreaterThanOrEqual(400);
    await network.gateways.provider.report();
    const page = await as('person', { url: '/my-data' });
    expect(page.body).toMatch(/data-refused="4\d\d"/);
    expect(page.body).toContain('<p class="notice refusal" data-testid="refused">');
    const css = (await h.inject({ method: 'GET', url: '/assets/site.css' })).body;
    expect(css).toMatch(/\.notice\.refusal \{\s*border-color: var\(--error\);/);
    await ask();
    const waiting = (await as('person', { url: '/my-data' })).body;
    expect(waiting).toMatch(/<button type="submit" data-decision="approve">/);
    expect(waiting).toMatch(/<button type="submit" data-decision="refuse" class="secondary">/);
  });

  it('shows the fields a consent names by their dictionary labels, the code small beside, and links a read to its consent in words', async () => {
    await h.db
      .insertInto('dictionary_fields')
      .values({ id: 'fullName', label_vi: 'Họ và tên', label_en: 'Full name', type: 'string' })
      .execute();
    await ask();
    const vi = (await as('person', { url: '/my-data' })).body;
    expect(vi).toContain('<li>Họ và tên <small><code>fullName</code></small></li>');
    expect(vi).toContain('<li><code>dateOfBirth</code></li>'); // not in the dictionary: its code, as it is
    expect((await as('person', { url: '/my-data?lang=en' })).body).toContain(
      '<li>Full name <small><code>fullName</code></small></li>',
    );
    const api = (await as('person', { url: '/api/v1/my/consents' })).json();
    expect(api.waiting[0].services[0].fieldLabels).toEqual([{ vi: 'Họ và tên', en: 'Full name' }, null]);
    // the read that relied on a consent links to it by whom it was given to, not by a bare id
    const link = /data-testid="read-consent">([^<]*)<\/a>/.exec(vi)?.[1];
    expect(link).toBe(
      'Sự đồng ý bạn đã cho Ủy ban nhân dân Thành phố Hà Nội — Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội',
    );
  });

  it('names a read’s purpose by its published procedure, code beside, in both languages; any other code stays as it is', async () => {
    const published = await buildProcedure(h);
    const draft = await buildProcedure(h, { status: 'draft' });
    await h.app.services.registry.createGrant(await demoSystemUser(h.app, h.database), {
      client: network.clientSubsystemId,
      service: network.serviceId,
      endpoints: [{ method: 'GET', path: '/citizens/*' }],
      purposes: [published.code, draft.code],
      legalBasis: 'Nghị định 45/2020/NĐ-CP',
      basis: 'public_task',
    });
    await network.gateways.consumer.context.holder.refresh();
    await network.gateways.provider.context.holder.refresh();
    for (const code of [published.code, draft.code]) expect((await call(code)).status).toBe(200);
    await network.gateways.provider.report();
    const purposes = async (url: string) =>
      [...(await as('person', { url })).body.matchAll(/data-testid="purpose">([^<]*)</g)].map((m) => m[1]);
    const vi = await purposes('/my-data');
    expect(vi).toContain(`${published.name_vi} (${published.code})`);
    // a draft is no public procedure: its code is not named
    expect(vi).toContain(draft.code);
    expect(await purposes('/my-data?lang=en')).toContain(`${published.name_en} (${published.code})`);
  });
});
