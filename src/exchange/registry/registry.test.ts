import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { generateKeyPairSync } from 'node:crypto';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import {
  certificatePin,
  createCaCertificate,
  generateTlsKey,
  issueGatewayCertificate,
  rawEd25519,
} from '../protocol/pki.js';
import { openConfiguration, signConfiguration } from '../protocol/configuration.js';
import { ConfigurationHolder } from '../gateway/config-holder.js';
import { signRegistryCall } from '../protocol/signing.js';
import { certificateFingerprint, hashClientKey } from '../protocol/client-keys.js';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupAccessRecords } from '../protocol/access-records.js';
import { GatewaysRepository } from './gateways.repository.js';
import { RegistryService } from './registry.service.js';

const OPENAPI = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/citizens/{id}': { get: {} } } };

for (const driver of testDrivers()) {
  describe(`exchange registry (${driver.name})`, () => {
    let h: Harness;
    let provider: string;
    let consumer: string;
    let editor: string;
    const call = (token: string | undefined, method: string, url: string, payload?: unknown) =>
      h.inject({
        method: method as 'GET',
        url,
        payload: payload as object,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });

    beforeAll(async () => {
      h = await startHarness(driver);
      provider = (await h.tokenFor('000.00.00.G01', 'agency_admin')).token;
      consumer = (await h.tokenFor('000.00.00.H01', 'agency_admin')).token;
      editor = (await h.tokenFor('000.00.00.H01', 'agency_editor')).token;
    });
    afterAll(() => h.close());

    const gatewayKeysFor = async () => {
      const signing = generateKeyPairSync('ed25519').privateKey;
      return {
        signing,
        body: { signingKey: rawEd25519(signing).toString('base64'), tlsPublicKey: (await generateTlsKey()).publicPem },
      };
    };
    const signedGet = (
      gatewayId: string,
      key: ReturnType<typeof generateKeyPairSync>['privateKey'],
      at = new Date().toISOString(),
    ) =>
      h.inject({
        method: 'GET',
        url: '/api/v1/exchange/configuration',
        headers: {
          'x-ndp-gateway': gatewayId,
          'x-ndp-timestamp': at,
          'x-ndp-signature': signRegistryCall('GET', '/api/v1/exchange/configuration', at, Buffer.alloc(0), key),
        },
      });

    it('lets only an agency’s administrators register its subsystems, services and gateway', async () => {
      expect(
        (
          await call(undefined, 'POST', '/api/v1/exchange/subsystems', {
            agency: '000.00.00.H01',
            code: 'DVC',
            name: 'x',
          })
        ).statusCode,
      ).toBe(401);
      expect(
        (
          await call(editor, 'POST', '/api/v1/exchange/subsystems', { agency: '000.00.00.H01', code: 'DVC', name: 'x' })
        ).json().error.code,
      ).toBe('FORBIDDEN');
      expect(
        (
          await call(consumer, 'POST', '/api/v1/exchange/subsystems', { agency: '000.00.00.G01', code: 'X', name: 'x' })
        ).json().error.code,
      ).toBe('FORBIDDEN');
      const dvc = await call(consumer, 'POST', '/api/v1/exchange/subsystems', {
        agency: '000.00.00.H01',
        code: 'DVC',
        name: 'Dịch vụ công',
      });
      expect(dvc.statusCode).toBe(201);
      expect(dvc.json()).toMatchObject({ memberClass: 'GOV', memberCode: '000.00.00.H01', code: 'DVC' });
      const again = await call(consumer, 'POST', '/api/v1/exchange/subsystems', {
        agency: '000.00.00.H01',
        code: 'DVC',
        name: 'x',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.vi).toContain('DVC');
      expect(
        (
          await call(consumer, 'POST', '/api/v1/exchange/subsystems', {
            agency: '000.00.00.H01',
            code: '../x',
            name: 'x',
          })
        ).statusCode,
      ).toBe(400);
    });

    it('checks a service’s address and description, and keeps what was valid', async () => {
      const sub = (
        await call(provider, 'POST', '/api/v1/exchange/subsystems', {
          agency: '000.00.00.G01',
          code: 'CSDLQGDC',
          name: 'Dân cư',
        })
      ).json();
      const bad = [
        { baseUrl: 'http://user:pw@10.0.0.1/api', openapi: OPENAPI },
        { baseUrl: 'ftp://10.0.0.1/api', openapi: OPENAPI },
        { baseUrl: 'http://10.0.0.1/api', openapi: { openapi: '3.0.0', paths: {} } },
        { baseUrl: 'http://10.0.0.1/api', openapi: { swagger: '2.0', paths: {} } },
      ];
      for (const b of bad)
        expect(
          (
            await call(provider, 'POST', '/api/v1/exchange/services', {
              subsystem: sub.id,
              code: 'citizens',
              title: 't',
              ...b,
            })
          ).statusCode,
          JSON.stringify(b),
        ).toBe(400);
      expect(
        (
          await call(consumer, 'POST', '/api/v1/exchange/services', {
            subsystem: sub.id,
            code: 'citizens',
            title: 't',
            baseUrl: 'http://10.0.0.1/api',
            openapi: OPENAPI,
          })
        ).statusCode,
      ).toBe(403);
      const ok = await call(provider, 'POST', '/api/v1/exchange/services', {
        subsystem: sub.id,
        code: 'citizens',
        title: 'Tra cứu',
        baseUrl: 'http://10.0.0.1/api',
        openapi: OPENAPI,
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({
        serviceId: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
        endpoints: [{ method: 'GET', path: '/citizens/*' }],
      });
      const list = (await call(consumer, 'GET', '/api/v1/exchange/services?agency=000.00.00.G01')).json().services;
      expect(list.map((s: { code: string }) => s.code)).toEqual(['citizens']);
    });

    it('takes a grant asked by the client to the provider for approval, and lets either side revoke it', async () => {
      const dvc = (await call(consumer, 'GET', '/api/v1/exchange/subsystems?agency=000.00.00.H01')).json()
        .subsystems[0];
      const service = (await call(consumer, 'GET', '/api/v1/exchange/services')).json().services[0];
      const asked = await call(consumer, 'POST', '/api/v1/exchange/grants', {
        client: dvc.id,
        service: service.id,
        purposes: ['verify-residence'],
        legalBasis: 'Luật Cư trú',
        dailyQuota: 1000,
      });
      expect(asked.json()).toMatchObject({
        status: 'requested',
        client: 'VN/GOV/000.00.00.H01/DVC',
        service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      });
      expect(
        (
          await call(consumer, 'POST', `/api/v1/exchange/grants/${asked.json().id}/decision`, { decision: 'approve' })
        ).json().error.code,
      ).toBe('FORBIDDEN');
      expect(
        (
          await call(provider, 'POST', `/api/v1/exchange/grants/${asked.json().id}/decision`, { decision: 'approve' })
        ).json().status,
      ).toBe('approved');
      expect(
        (
          await call(provider, 'POST', `/api/v1/exchange/grants/${asked.json().id}/decision`, { decision: 'approve' })
        ).json().error.code,
      ).toBe('INVALID_STATE');
      const second = await call(consumer, 'POST', '/api/v1/exchange/grants', {
        client: dvc.id,
        service: service.id,
        endpoints: [{ method: 'GET', path: '/citizens/*' }],
      });
      expect(
        (
          await call(consumer, 'POST', `/api/v1/exchange/grants/${second.json().id}/decision`, { decision: 'revoke' })
        ).json().status,
      ).toBe('revoked');
      expect(
        (
          await call(consumer, 'POST', '/api/v1/exchange/grants', {
            client: dvc.id,
            service: service.id,
            expiresAt: '2020-01-01T00:00:00Z',
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await call(consumer, 'POST', '/api/v1/exchange/grants', {
            client: dvc.id,
            service: service.id,
            endpoints: [{ method: 'GET', path: '/a/%2e%2e' }],
          })
        ).statusCode,
      ).toBe(400);
      const audit = await h.db.selectFrom('audit_log').select('action').where('action', 'like', 'exchange.%').execute();
      expect(new Set(audit.map((a) => a.action))).toEqual(
        new Set([
          'exchange.subsystem.create',
          'exchange.service.create',
          'exchange.grant.request',
          'exchange.grant.approve',
          'exchange.grant.revoke',
        ]),
      );
    });

    it('gives each registered gateway its own signed configuration, and nothing to anyone else', async () => {
      const anchor = (await call(undefined, 'GET', '/api/v1/exchange/anchor')).json();
      expect(anchor).toMatchObject({
        instance: 'VN',
        registryUrl: 'http://ndp.test',
        signingKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      });
      const p = await gatewayKeysFor();
      const c = await gatewayKeysFor();
      expect(
        (
          await call(consumer, 'POST', '/api/v1/exchange/gateways', {
            agency: '000.00.00.G01',
            address: 'https://10.0.0.1:8443',
            ...p.body,
          })
        ).statusCode,
      ).toBe(403);
      const pg = (
        await call(provider, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.G01',
          address: 'https://10.0.0.1:8443',
          ...p.body,
        })
      ).json();
      const cg = (
        await call(consumer, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.H01',
          address: 'https://gw.hanoi.gov.vn:8443',
          ...c.body,
        })
      ).json();
      expect(pg.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
      // the same gateway registered again at a new address keeps its id, with a certificate for the new host
      const moved = (
        await call(provider, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.G01',
          address: 'https://10.0.0.9:8443',
          ...p.body,
        })
      ).json();
      expect(moved.id).toBe(pg.id);
      expect(moved.address).toBe('https://10.0.0.9:8443');
      expect(moved.certificate).not.toBe(pg.certificate);
      // its key may not be taken by another agency
      expect(
        (
          await call(consumer, 'POST', '/api/v1/exchange/gateways', {
            agency: '000.00.00.H01',
            address: 'https://10.0.0.3:8443',
            ...p.body,
          })
        ).statusCode,
      ).toBe(409);
      const dvc = (await call(consumer, 'GET', '/api/v1/exchange/subsystems?agency=000.00.00.H01')).json()
        .subsystems[0];
      const key = (await call(consumer, 'POST', `/api/v1/exchange/subsystems/${dvc.id}/keys`, { label: 'prod' })).json()
        .key as string;
      expect(key).toMatch(/^ndpx_/);

      const forProvider = await openConfiguration((await signedGet(pg.id, p.signing)).body, anchor, pg.id);
      const forConsumer = await openConfiguration((await signedGet(cg.id, c.signing)).body, anchor, cg.id);
      expect(forProvider.services[0]).toMatchObject({
        serviceCode: 'citizens',
        baseUrl: 'http://10.0.0.1/api',
        gateway: pg.id,
      });
      expect(forConsumer.gateways.find((g) => g.id === pg.id)?.address).toBe('https://10.0.0.9:8443');
      expect(forConsumer.services[0]!.baseUrl).toBeUndefined(); // another member's internal address is not shared
      expect(forConsumer.clients).toEqual([
        { subsystemCode: 'DVC', keyHashes: [hashClientKey(key)], certificates: [] },
      ]);
      expect(forProvider.clients).toEqual([]);
      expect(forProvider.grants.map((g) => g.purposes)).toEqual([['verify-residence']]); // the approved one; not the revoked
      expect(forConsumer.gateways.map((g) => g.id).sort()).toEqual([pg.id, cg.id].sort());
      // a copy for one gateway does not open for another
      await expect(openConfiguration((await signedGet(pg.id, p.signing)).body, anchor, cg.id)).rejects.toThrow(
        /another gateway/,
      );
      // unsigned, badly signed, stale, or from a replaced gateway: refused
      expect((await h.inject({ method: 'GET', url: '/api/v1/exchange/configuration' })).statusCode).toBe(401);
      expect((await signedGet(pg.id, c.signing)).statusCode).toBe(401);
      expect((await signedGet(pg.id, p.signing, new Date(Date.now() - 600_000).toISOString())).statusCode).toBe(401);
      // the same signed call made twice: the second is a replay
      const at = new Date(Date.now() + 1).toISOString();
      expect((await signedGet(pg.id, p.signing, at)).statusCode).toBe(200);
      const replayed = await signedGet(pg.id, p.signing, at);
      expect(replayed.statusCode).toBe(401);
      expect(JSON.stringify(replayed.json().error)).toMatch(/replay|phát lại/);
      // the calls taken are in the database: another registry process on it refuses the replay too
      const other = new GatewaysRepository(h.db);
      const sig = `sig-${randomUUID()}`;
      expect(await new GatewaysRepository(h.db).takeCall(pg.id, sig)).toBe(true);
      expect(await other.takeCall(pg.id, sig)).toBe(false);
      await other.forgetCallsBefore(new Date(Date.now() + 60_000));
      expect(await other.takeCall(pg.id, sig)).toBe(true); // forgotten once out of every clock window
      const p2 = await gatewayKeysFor();
      const replaced = (
        await call(provider, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.G01',
          address: 'https://10.0.0.2:8443',
          ...p2.body,
        })
      ).json();
      expect((await signedGet(pg.id, p.signing)).statusCode).toBe(401);
      const newer = await openConfiguration((await signedGet(replaced.id, p2.signing)).body, anchor, replaced.id);
      expect(newer.version).toBeGreaterThan(forProvider.version);
      expect(newer.gateways.map((g) => g.id)).not.toContain(pg.id);
    });

    it('pins a system’s client certificate, lists its credentials without secrets, and revokes keys and certificates out of the configuration, audited', async () => {
      const anchor = (await call(undefined, 'GET', '/api/v1/exchange/anchor')).json();
      const c = await gatewayKeysFor();
      const gw = (
        await call(consumer, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.H01',
          address: 'https://gw.hanoi.gov.vn:8443',
          ...c.body,
        })
      ).json();
      const config = async () =>
        (
          await openConfiguration(
            (
              await signedGet(gw.id, c.signing, new Date(Date.now() + Math.floor(Math.random() * 1000)).toISOString())
            ).body,
            anchor,
            gw.id,
          )
        ).clients.find((x) => x.subsystemCode === 'DVC')!;
      const dvc = (await call(consumer, 'GET', '/api/v1/exchange/subsystems?agency=000.00.00.H01')).json()
        .subsystems[0];
      const pem = await createCaCertificate((await generateTlsKey()).keyPem, 'DVC Hà Nội', 30);
      const url = `/api/v1/exchange/subsystems/${dvc.id}/certificates`;
      // only the agency's administrators; a certificate that cannot be read, or has expired, is refused in both languages
      expect((await call(editor, 'POST', url, { label: 'x', certificate: pem })).json().error.code).toBe('FORBIDDEN');
      expect((await call(provider, 'POST', url, { label: 'x', certificate: pem })).json().error.code).toBe('FORBIDDEN');
      // cut short: the DER inside says it is longer than what is there
      const lines = pem.trim().split('\n');
      const garbled = await call(consumer, 'POST', url, {
        label: 'x',
        certificate: [...lines.slice(0, 4), lines.at(-1)].join('\n'),
      });
      expect(garbled.statusCode).toBe(400);
      expect(garbled.json().error.details[0]).toMatchObject({
        field: 'certificate',
        en: expect.stringMatching(/cannot be read/),
        vi: expect.stringMatching(/Không đọc được/),
      });
      const expired = await call(consumer, 'POST', url, {
        label: 'x',
        certificate: await createCaCertificate((await generateTlsKey()).keyPem, 'old', -1),
      });
      expect(expired.json().error.details[0].en).toMatch(/expired/);
      const made = await call(consumer, 'POST', url, { label: 'hệ thống một cửa', certificate: pem });
      expect(made.statusCode).toBe(201);
      const fingerprint = certificateFingerprint(new X509Certificate(pem).raw);
      expect(made.json()).toMatchObject({ label: 'hệ thống một cửa', fingerprint, subject: 'CN=DVC Hà Nội' });
      expect((await call(consumer, 'POST', url, { label: 'again', certificate: pem })).statusCode).toBe(409);
      const key = (
        await call(consumer, 'POST', `/api/v1/exchange/subsystems/${dvc.id}/keys`, { label: 'to revoke' })
      ).json();
      expect((await config()).certificates).toEqual([fingerprint]);
      expect((await config()).keyHashes).toContain(hashClientKey(key.key));

      const listed = await call(consumer, 'GET', `/api/v1/exchange/subsystems/${dvc.id}/credentials`);
      expect(listed.json().certificates).toEqual([
        expect.objectContaining({ id: made.json().id, fingerprint, revokedAt: null }),
      ]);
      expect(listed.json().keys).toContainEqual(
        expect.objectContaining({ id: key.id, label: 'to revoke', revokedAt: null }),
      );
      expect(listed.body).not.toContain(key.key);
      expect(listed.body).not.toContain(hashClientKey(key.key));
      expect((await call(provider, 'GET', `/api/v1/exchange/subsystems/${dvc.id}/credentials`)).json().error.code).toBe(
        'FORBIDDEN',
      );

      expect(
        (await call(provider, 'DELETE', `/api/v1/exchange/subsystems/${dvc.id}/keys/${key.id}`)).json().error.code,
      ).toBe('FORBIDDEN');
      expect((await call(consumer, 'DELETE', `/api/v1/exchange/subsystems/${dvc.id}/keys/${key.id}`)).json()).toEqual({
        id: key.id,
        revoked: true,
      });
      expect((await call(consumer, 'DELETE', `/api/v1/exchange/subsystems/${dvc.id}/keys/${key.id}`)).statusCode).toBe(
        404,
      ); // once
      expect(
        (await call(consumer, 'DELETE', `/api/v1/exchange/subsystems/${dvc.id}/certificates/${made.json().id}`))
          .statusCode,
      ).toBe(200);
      const after = await config();
      expect(after.keyHashes).not.toContain(hashClientKey(key.key));
      expect(after.certificates).toEqual([]);
      // revoked ones stay listed, with when; a revoked certificate may be registered again
      const relisted = (await call(consumer, 'GET', `/api/v1/exchange/subsystems/${dvc.id}/credentials`)).json();
      expect(relisted.certificates[0].revokedAt).toEqual(expect.any(String));
      expect((await call(consumer, 'POST', url, { label: 'again', certificate: pem })).statusCode).toBe(201);
      const audit = await h.db.selectFrom('audit_log').select('action').where('entity_id', '=', dvc.id).execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining([
          'exchange.client_certificate.create',
          'exchange.client_key.revoke',
          'exchange.client_certificate.revoke',
        ]),
      );
    });

    it('issues short-lived gateway certificates and renews them through the configuration, for the same key, before they run out', async () => {
      const anchor = (await call(undefined, 'GET', '/api/v1/exchange/anchor')).json();
      const c = await gatewayKeysFor();
      const gw = (
        await call(consumer, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.H01',
          address: 'https://10.1.2.3:8443',
          ...c.body,
        })
      ).json();
      const days = (pem: string) => (Date.parse(new X509Certificate(pem).validTo) - Date.now()) / 86_400_000;
      expect(days(gw.certificate)).toBeGreaterThan(89);
      expect(days(gw.certificate)).toBeLessThan(91);
      const fetch = async () =>
        openConfiguration(
          (await signedGet(gw.id, c.signing, new Date(Date.now() + Math.floor(Math.random() * 1000)).toISOString()))
            .body,
          anchor,
          gw.id,
        );
      const first = await fetch();
      expect(first.gateways.find((g) => g.id === gw.id)!.certificate).toBe(gw.certificate); // not due: the same
      // ten days left (as a certificate issued long ago would have)
      const a = await h.app.services.registry.authority();
      const ageing = await issueGatewayCertificate({
        caKeyPem: a.caKey,
        caCertPem: a.caCert,
        gatewayId: gw.id,
        host: '10.1.2.3',
        publicKeyPem: c.body.tlsPublicKey,
        days: 10,
      });
      await h.db.updateTable('exchange_gateways').set({ certificate: ageing }).where('id', '=', gw.id).execute();
      const renewed = await fetch();
      const cert = renewed.gateways.find((g) => g.id === gw.id)!.certificate;
      expect(cert).not.toBe(ageing);
      expect(days(cert)).toBeGreaterThan(89);
      expect(certificatePin(cert)).toBe(certificatePin(ageing)); // the same key: peers' pins hold
      expect(new X509Certificate(cert).verify(new X509Certificate(a.caCert).publicKey)).toBe(true);
      expect(new X509Certificate(cert).subjectAltName).toBe('IP Address:10.1.2.3');
      expect(renewed.version).toBeGreaterThan(first.version);
      expect((await fetch()).gateways.find((g) => g.id === gw.id)!.certificate).toBe(cert); // once
      // a certificate not from the CA in force (a CA switch that raced a renewal) is issued again too, however long it has left
      const stray = await generateTlsKey();
      const strayCa = await createCaCertificate(stray.keyPem, 'another CA', 30);
      const foreign = await issueGatewayCertificate({
        caKeyPem: stray.keyPem,
        caCertPem: strayCa,
        gatewayId: gw.id,
        host: '10.1.2.3',
        publicKeyPem: c.body.tlsPublicKey,
        days: 80,
      });
      await h.db.updateTable('exchange_gateways').set({ certificate: foreign }).where('id', '=', gw.id).execute();
      const healed = (await fetch()).gateways.find((g) => g.id === gw.id)!.certificate;
      expect(healed).not.toBe(foreign);
      expect(new X509Certificate(healed).verify(new X509Certificate(a.caCert).publicKey)).toBe(true);
      const audit = await h.db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id'])
        .where('entity_id', '=', gw.id)
        .where('action', '=', 'exchange.gateway.certificate_renew')
        .execute();
      expect(audit).toEqual([
        { action: 'exchange.gateway.certificate_renew', actor_user_id: null },
        { action: 'exchange.gateway.certificate_renew', actor_user_id: null },
      ]);
    });

    it('rotates the registry’s keys: announced under the old key, switched once every gateway has them, taken up by gateways without setting them up again, the old CA trusted until every gateway has its new certificate', async () => {
      const anchor = (await call(undefined, 'GET', '/api/v1/exchange/anchor')).json();
      await h.app.services.accounts.bootstrapUser({
        email: 'root@ndp.test',
        name: 'Supervisor',
        password: 'correct horse battery',
        platformAdmin: true,
      });
      const root = await h.signIn('root@ndp.test', 'correct horse battery');
      const asRoot = (method: string, url: string, payload?: unknown) =>
        h.inject({
          method: method as 'POST',
          url,
          payload: payload as object,
          headers: { cookie: root.cookie, 'x-csrf-token': root.csrf },
        });
      // every active gateway must follow; this test's own gateway stands for them all
      const active = await h.db.selectFrom('exchange_gateways').select('id').where('revoked_at', 'is', null).execute();
      const c = await gatewayKeysFor();
      const gw = (
        await call(consumer, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.H01',
          address: 'https://10.2.0.1:8443',
          ...c.body,
        })
      ).json();
      const others = active.map((g) => g.id).filter((id) => id !== gw.id);
      if (others.length)
        await h.db.updateTable('exchange_gateways').set({ revoked_at: new Date() }).where('id', 'in', others).execute();
      const stateDir = mkdtempSync(path.join(os.tmpdir(), 'ndp-holder-'));
      let forged: string | undefined;
      const fetchImpl = (async (url: URL, init: { headers: Record<string, string> }) => {
        if (forged) return new Response(forged, { status: 200 });
        const r = await h.inject({ method: 'GET', url: url.pathname, headers: init.headers });
        return new Response(r.body, { status: r.statusCode });
      }) as unknown as typeof fetch;
      const events: string[] = [];
      const holder = () =>
        new ConfigurationHolder({
          anchor,
          gatewayId: gw.id,
          key: c.signing,
          stateDir,
          intervalMs: 3_600_000,
          fetchImpl,
          onEvent: (m) => events.push(m),
        });
      const first = holder();
      await first.start();
      first.stop();
      expect(first.current()).toBeTruthy();

      expect((await call(consumer, 'POST', '/api/v1/exchange/authority/announce', {})).json().error.code).toBe(
        'FORBIDDEN',
      );
      const announced = (await asRoot('POST', '/api/v1/exchange/authority/announce', {})).json();
      expect(announced).toMatchObject({
        current: anchor.signingKey,
        next: expect.any(String),
        gateways: [expect.objectContaining({ id: gw.id, hasNext: false })],
      });
      expect((await asRoot('POST', '/api/v1/exchange/authority/announce', {})).statusCode).toBe(409);
      // the gateway has not fetched the announcement: switching would cut it off
      const early = await asRoot('POST', '/api/v1/exchange/authority/switch', {});
      expect(early.statusCode).toBe(409);
      expect(early.json().error.vi).toContain('000.00.00.H01');
      expect(await first.refresh()).toBe(true);
      expect(events).toContain('the registry announced its next configuration key');
      const cas = (pem: string) =>
        pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)!.map((c) => new X509Certificate(c));
      const [oldCa, nextCa] = cas(first.current()!.c.ca); // the successor trusted beside the CA in force, before it signs anything
      expect(cas(first.current()!.c.ca)).toHaveLength(2);
      expect(new X509Certificate(first.current()!.self.certificate).verify(oldCa!.publicKey)).toBe(true);
      const oldPem = (await h.db.selectFrom('exchange_authority').select('signing_key').executeTakeFirstOrThrow())
        .signing_key as string;
      const switched = (await asRoot('POST', '/api/v1/exchange/authority/switch', {})).json();
      expect(switched).toMatchObject({ current: announced.next, next: null });
      expect((await call(undefined, 'GET', '/api/v1/exchange/anchor')).json().signingKey).toBe(announced.next);
      // configurations now verify with the new key only; the gateway takes it up and keeps it across a restart
      expect(await first.refresh()).toBe(true);
      expect(first.signingKey).toBe(announced.next);
      // its certificate issued again by the new CA, for the same key; the old CA still trusted for peers not yet renewed
      const mine = new X509Certificate(first.current()!.self.certificate);
      expect(mine.verify(nextCa!.publicKey)).toBe(true);
      expect(certificatePin(first.current()!.self.certificate)).toBe(certificatePin(gw.certificate));
      expect(cas(first.current()!.c.ca).map((c) => c.fingerprint256)).toEqual([
        nextCa!.fingerprint256,
        oldCa!.fingerprint256,
      ]);
      // every gateway (this one) has fetched a configuration from after the switch: the old CA is trusted no more
      expect(await first.refresh()).toBe(true);
      expect(cas(first.current()!.c.ca).map((c) => c.fingerprint256)).toEqual([nextCa!.fingerprint256]);
      await expect(openConfiguration((await signedGet(gw.id, c.signing)).body, anchor, gw.id)).rejects.toThrow();
      const restarted = holder(); // set up with the old anchor, as it was
      await restarted.start();
      restarted.stop();
      expect(restarted.current()?.c.version).toBeGreaterThanOrEqual(first.current()!.c.version);
      expect(restarted.signingKey).toBe(announced.next);
      // a configuration signed with the old key (stolen, say) is refused from now on
      forged = await signConfiguration(
        { ...first.current()!.c, version: first.current()!.c.version + 100 },
        createPrivateKey(oldPem),
      );
      expect(await first.refresh()).toBe(false);
      expect(first.status().lastError).toMatch(/signature/i);
      forged = undefined;
      const audit = await h.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'exchange_authority')
        .orderBy('id')
        .execute();
      expect(audit.map((x) => x.action)).toEqual([
        'exchange.authority.announce',
        'exchange.authority.switch',
        'exchange.authority.retire_ca',
      ]);
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('stores the access records a gateway reports, each once, and keeps its figures when a report holds records alone', async () => {
      const k = await gatewayKeysFor();
      const gw = (
        await call(provider, 'POST', '/api/v1/exchange/gateways', {
          agency: '000.00.00.G01',
          address: 'https://10.0.0.5:8443',
          ...k.body,
        })
      ).json();
      const report = (content: unknown) => {
        const body = Buffer.from(JSON.stringify(content));
        const at = new Date().toISOString();
        return h.inject({
          method: 'POST',
          url: '/api/v1/exchange/reports',
          payload: body,
          headers: {
            'content-type': 'application/json',
            'x-ndp-gateway': gw.id,
            'x-ndp-timestamp': at,
            'x-ndp-signature': signRegistryCall('POST', '/api/v1/exchange/reports', at, body, k.signing),
          },
        });
      };
      // each record is an entry of the gateway's log: here the message id's number is its index
      const record = (id: string, purpose: string | null, index = Number(id.slice(1))) => ({
        subject: 'VN001090000007',
        at: '2026-11-24T08:00:00.000Z',
        id,
        index,
        client: 'VN/GOV/000.00.00.H01/DVC',
        service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
        purpose,
        legalBasis: purpose ? 'Luật Cư trú 2020' : null,
        status: 200,
      });
      expect(
        (
          await report({
            metrics: { services: [{ side: 'provider', requests: 7 }] },
            accessRecords: [record('m1', 'verify-residence'), record('m2', null)],
          })
        ).json(),
      ).toEqual({ accepted: 2 });
      expect((await report({ accessRecords: [record('m2', null), record('m3', 'verify-residence')] })).statusCode).toBe(
        200,
      ); // m2 again: kept once
      const wrong = await report({ accessRecords: [{ ...record('m4', null), subject: 1 }] });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details[0]).toMatchObject({
        field: 'body.accessRecords.0.subject',
        vi: 'Phải là một chuỗi ký tự.',
        en: 'Must be text.',
      });
      // as gateways send them now: grouped by what they share; m3 again is kept once, m5 and m6 are new
      const grouped = groupAccessRecords([
        record('m3', 'verify-residence'),
        record('m5', 'verify-residence'),
        record('m6', null),
      ]);
      expect(grouped.map((g) => g.ids)).toEqual([['m3', 'm5'], ['m6']]);
      expect((await report({ accessRecordGroups: grouped })).json()).toEqual({ accepted: 3 });
      // a group whose columns do not line up is refused whole, with nothing written
      const uneven = (
        await report({
          accessRecordGroups: [{ ...grouped[0]!, ids: ['m7', 'm8'], at: [grouped[0]!.at[0]], indexes: [7, 8] }],
        })
      ).json();
      expect(uneven.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(uneven.error)).toMatch(/as many subjects/);
      const mail = `dpo-${driver.name}@ndp.test`;
      await h.tokenFor('000.00.00.G01', 'agency_editor', mail);
      const dpo = await h.app.services.accounts.principalFor(mail);
      dpo.isPlatformAdmin = true;
      let rows = await h.app.services.registry.accessRecords(dpo, 'vn001090000007');
      expect(rows.map((r) => r.message_id).sort()).toEqual(['m1', 'm2', 'm3', 'm5', 'm6']);
      // the calling system chooses X-Road-Id: a later read under an id used before is another exchange (another
      // entry of the log) and is recorded too, not taken for a copy of the first
      expect(
        (await report({ accessRecordGroups: groupAccessRecords([record('m1', 'verify-residence', 41)]) })).json(),
      ).toEqual({ accepted: 1 });
      expect(
        (await report({ accessRecordGroups: groupAccessRecords([record('m1', 'verify-residence', 41)]) })).statusCode,
      ).toBe(200); // the same again: kept once
      rows = await h.app.services.registry.accessRecords(dpo, 'vn001090000007');
      expect(rows.map((r) => r.message_id).sort()).toEqual(['m1', 'm1', 'm2', 'm3', 'm5', 'm6']);
      // the person's own page, two at a time: every record once, though all share one time (the keyset breaks ties)
      const hashes = (
        await sql<{ h: string }>`select distinct encode(subject, 'hex') as h from exchange_access_records`.execute(h.db)
      ).rows.map((r) => r.h);
      const paged: string[] = [];
      let before: { at: Date; gatewayId: string; logIndex: number } | undefined;
      for (let page = await h.app.services.registry.recordsOfSubject(hashes, 2); page.length; ) {
        expect(page.length).toBeLessThanOrEqual(2);
        paged.push(...page.map((r) => `${r.message_id}@${r.log_index}`));
        const last = page.at(-1)!;
        before = { at: last.at as Date, gatewayId: last.gateway_id, logIndex: Number(last.log_index) };
        page = await h.app.services.registry.recordsOfSubject(hashes, 2, before);
      }
      const byIndex = [...rows].sort((a, b) => Number(b.log_index) - Number(a.log_index)); // one gateway, one time
      expect(paged).toEqual(byIndex.map((r) => `${r.message_id}@${r.log_index}`));
      expect(await h.app.services.registry.recordsOfSubject([], 2)).toEqual([]);
      const noIndex = await report({ accessRecordGroups: [{ ...grouped[0]!, indexes: undefined }] });
      expect(noIndex.statusCode).toBe(400);
      expect(JSON.stringify(noIndex.json().error)).toMatch(/indexes/);
      expect(rows.find((r) => r.message_id === 'm2')).toMatchObject({
        purpose: null,
        legal_basis: null,
        represented_party: null,
        status: 200,
        gateway_id: gw.id,
      });
      // a read made for a represented party names it: grouped apart from the reads the client made for itself
      const forParty = groupAccessRecords([
        { ...record('m10', 'verify-residence', 100), representedParty: 'COM/0101234567' },
        record('m11', 'verify-residence', 110),
      ]);
      expect(forParty.map((g) => [g.ids, g.representedParty])).toEqual([
        [['m10'], 'COM/0101234567'],
        [['m11'], undefined],
      ]);
      expect((await report({ accessRecordGroups: forParty })).json()).toEqual({ accepted: 2 });
      const withParty = await h.app.services.registry.accessRecords(dpo, 'VN001090000007');
      expect(withParty.find((r) => r.message_id === 'm10')).toMatchObject({
        purpose: 'verify-residence',
        represented_party: 'COM/0101234567',
      });
      expect(withParty.find((r) => r.message_id === 'm11')).toMatchObject({
        purpose: 'verify-residence',
        represented_party: null,
      });
      expect(
        (await report({ accessRecordGroups: [{ ...forParty[0]!, representedParty: 'x'.repeat(600) }] })).statusCode,
      ).toBe(400);
      await sql`delete from exchange_access_records where message_id in ('m10', 'm11')`.execute(h.db);
      expect((rows[0]!.at as Date).toISOString()).toBe('2026-11-24T08:00:00.000Z');
      const monitored = (await call(provider, 'GET', '/api/v1/exchange/gateways'))
        .json()
        .gateways.find((g: { id: string }) => g.id === gw.id);
      expect(monitored.lastReport.metrics.services[0].requests).toBe(7);

      // a new subject key (after a suspected leak): records from now on are kept under it, the older ones still found
      expect((await call(provider, 'POST', '/api/v1/exchange/authority/subject-key', {})).json().error.code).toBe(
        'FORBIDDEN',
      );
      const subjectBefore = (
        await sql<{
          s: Buffer;
        }>`select subject as s from exchange_access_records where message_id = 'm1' limit 1`.execute(h.db)
      ).rows[0]!.s;
      expect(await h.app.services.registry.rotateSubjectKey(dpo)).toMatchObject({ previousKeysKept: 1 });
      expect(
        (await report({ accessRecordGroups: groupAccessRecords([record('m9', 'verify-residence', 90)]) })).json(),
      ).toEqual({ accepted: 1 });
      rows = await h.app.services.registry.accessRecords(dpo, 'VN001090000007');
      expect(rows.map((r) => r.message_id).sort()).toEqual(['m1', 'm1', 'm2', 'm3', 'm5', 'm6', 'm9']);
      const subjectAfter = (
        await sql<{ s: Buffer }>`select subject as s from exchange_access_records where message_id = 'm9'`.execute(h.db)
      ).rows[0]!.s;
      expect(Buffer.compare(subjectAfter, subjectBefore)).not.toBe(0);
      const rotation = await h.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'exchange.authority.subject_key')
        .orderBy('id')
        .execute();
      expect(rotation).toHaveLength(1);
      expect(rotation[0]!.after).toEqual({ previousKeysKept: 1 }); // never a key
    });

    it('seals its secret keys in the database with a key-encryption key, and says plainly when started without it or with another', async () => {
      const before = await h.db.selectFrom('exchange_authority').selectAll().executeTakeFirstOrThrow();
      const options = {
        instance: 'VN',
        baseUrl: 'http://ndp.test',
        validityHours: 72,
        resolveAgency: (key: string) => h.app.services.registry.agencyId(key),
      };
      const kek = randomBytes(32);
      const sealed = new RegistryService(h.db, { ...options, keyEncryptionKey: kek });
      const anchorBefore = await new RegistryService(h.db, options).anchor();
      expect((await sealed.anchor()).signingKey).toBe(anchorBefore.signingKey); // the same keys, now sealed
      const row = await h.db.selectFrom('exchange_authority').selectAll().executeTakeFirstOrThrow();
      for (const column of ['signing_key', 'ca_key', 'subject_key'] as const) {
        expect(row[column]).toMatch(/^ndp-sealed:v1:/);
        expect(row[column]).not.toContain('BEGIN');
      }
      expect(row.ca_certificate).toBe(before.ca_certificate); // a certificate is public
      // the subject keys kept from before a rotation are sealed too
      expect((row.previous_subject_keys as { key: string }[]).length).toBeGreaterThan(0);
      for (const k of row.previous_subject_keys as { key: string }[]) expect(k.key).toMatch(/^ndp-sealed:v1:/);
      // a rotation under the seal: the next keys are sealed too, and open in their new place after the switch
      const root = await h.app.services.accounts.principalFor('root@ndp.test');
      await h.db
        .updateTable('exchange_gateways')
        .set({ revoked_at: new Date() })
        .where('revoked_at', 'is', null)
        .execute();
      await sealed.announceAuthority(root);
      expect(
        (
          await h.db
            .selectFrom('exchange_authority')
            .select(['next_signing_key', 'next_ca_key'])
            .executeTakeFirstOrThrow()
        ).next_ca_key,
      ).toMatch(/^ndp-sealed:v1:/);
      const switched = await sealed.switchAuthority(root);
      expect((await new RegistryService(h.db, { ...options, keyEncryptionKey: kek }).anchor()).signingKey).toBe(
        switched.current,
      );
      await expect(new RegistryService(h.db, options).authority()).rejects.toThrow(
        /sealed: start it with the NDP_EXCHANGE_KEY_ENCRYPTION_KEY/,
      );
      await expect(
        new RegistryService(h.db, { ...options, keyEncryptionKey: randomBytes(32) }).authority(),
      ).rejects.toThrow(/do not open with this NDP_EXCHANGE_KEY_ENCRYPTION_KEY/);
      // the rest of this file's registry works without a key-encryption key: the keys as they were
      await h.db
        .updateTable('exchange_authority')
        .set({ ...before, previous_subject_keys: JSON.stringify(before.previous_subject_keys) })
        .where('id', '=', 1)
        .execute();
    });

    it('shows who read a person’s data to platform administrators, and to an agency’s administrators for its own services, auditing each lookup', async () => {
      expect(
        (await call(provider, 'GET', '/api/v1/exchange/access-records?subject=VN001090000001')).json().error.code,
      ).toBe('FORBIDDEN');
      expect((await call(provider, 'GET', '/api/v1/exchange/access-records?subject=001090000001')).statusCode).toBe(
        400,
      );
      // the provider's administrators: the reads of the person's data their gateways recorded (a gateway since revoked too)
      const own = await call(
        provider,
        'GET',
        '/api/v1/exchange/access-records?subject=VN001090000007&agency=000.00.00.G01',
      );
      expect(own.statusCode).toBe(200);
      expect(
        own
          .json()
          .records.map((r: { id: string }) => r.id)
          .sort(),
      ).toEqual(['m1', 'm1', 'm2', 'm3', 'm5', 'm6', 'm9']);
      // another agency's administrators see none of them, and cannot ask as the provider
      expect(
        (
          await call(consumer, 'GET', '/api/v1/exchange/access-records?subject=VN001090000007&agency=000.00.00.H01')
        ).json().records,
      ).toEqual([]);
      expect(
        (
          await call(consumer, 'GET', '/api/v1/exchange/access-records?subject=VN001090000007&agency=000.00.00.G01')
        ).json().error.code,
      ).toBe('FORBIDDEN');
      expect(
        (
          await call(editor, 'GET', '/api/v1/exchange/access-records?subject=VN001090000007&agency=000.00.00.H01')
        ).json().error.code,
      ).toBe('FORBIDDEN');
      const reads = await h.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'exchange.access_records.read')
        .orderBy('id')
        .execute();
      // the supervisor's four lookups in the test above (the third with two reads since deleted), then these two
      expect(reads.map((r) => (r.after as { records: number }).records)).toEqual([5, 6, 8, 7, 7, 0]);
      expect(JSON.stringify(reads)).not.toContain('VN001090000007'); // the person only as the keyed hash
    });
  });
}
