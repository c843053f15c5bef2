import { requireConfirmed } from '../../web/confirm.js';
import { X509Certificate } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import { hasAgencyRole, type User } from '../../accounts/principal.js';
import type { RegistryService } from '../registry/registry.service.js';
import type { MasterDataService } from '../../masterdata/masterdata.service.js';
import {
  presentAccessRecord,
  presentCredentials,
  presentGateway,
  presentGrant,
  presentGrantGap,
  presentService,
} from '../registry/registry.presenter.js';
import { page } from '../../web/layout.js';
import { pageContext } from '../../web/web.context.js';
import { formValue, sendHtml, type FormBody } from '../../web/session.js';
import { signedInPage, userOf } from '../../accounts/guards.js';
import { ExchangePage } from './exchange.js';
import type { Credential, ExchangePageData } from './exchange-data.js';
import type { AccessLookup } from './exchange-access.js';
import { readGrantForm, readServiceForm, readSubsystemForm } from './exchange.forms.js';

type Manage = ExchangePageData['manage'];
const certificateUntil = (pem: string): string | null => {
  try {
    return new Date(new X509Certificate(pem).validTo).toISOString();
  } catch {
    return null;
  }
};
// a form's post from someone signed out: back to the exchange page after signing in
const back = signedInPage('/dashboard/exchange');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The log's entries as the gateway counts them: those written and those queued (a flush takes milliseconds). */
const logEntries = (l: { size: number; pending?: number; checkpointSize?: number }) =>
  Math.max(l.size + (l.pending ?? 0), l.checkpointSize ?? 0);
const EMPTY: Manage = { agencies: [], subsystems: [], newKey: null, errors: [], values: {}, credentials: [] };

/** The exchange in the portal: gateways' figures, grants to decide, and an agency administrator's forms. Access as in the API. */
export function exchangePages(
  app: Server,
  registry: RegistryService,
  masterData: MasterDataService,
  instance: string,
  baseUrl: string,
) {
  const data = async (
    user: User,
    notice: string | null,
    manage: Partial<Manage> = {},
    lookup: AccessLookup | null = null,
  ): Promise<ExchangePageData> => {
    const gateways = (await registry.monitoring(user)).map(presentGateway);
    const grants = await registry.listGrants(user);
    const services = await registry.servicesFor(user);
    const adminOf = [...user.roles.entries()].filter(([, role]) => role === 'agency_admin').map(([id]) => id);
    const agencies = (await masterData.agenciesByIds(adminOf)).map((a) => ({ id: a.id, name: a.name_vi }));
    const subsystems = (await registry.listSubsystems())
      .filter((s) => adminOf.includes(s.agency_id))
      .map((s) => ({ id: s.id, label: `${s.member_code}/${s.code} — ${s.name}` }));
    const credentials: Credential[] = [];
    for (const s of subsystems) {
      const c = presentCredentials(await registry.credentials(user, s.id));
      for (const k of c.keys)
        credentials.push({
          subsystemId: s.id,
          subsystem: s.label,
          kind: 'key',
          id: k.id,
          label: k.label,
          detail: null,
          createdAt: k.createdAt,
          notAfter: null,
          revokedAt: k.revokedAt,
        });
      for (const x of c.certificates)
        credentials.push({
          subsystemId: s.id,
          subsystem: s.label,
          kind: 'certificate',
          id: x.id,
          label: x.label,
          detail: `${x.subject} · SHA-256 ${x.fingerprint}`,
          createdAt: x.createdAt,
          notAfter: x.notAfter,
          revokedAt: x.revokedAt,
        });
    }
    const supervisor = user.isPlatformAdmin && user.via === 'session';
    // the grants breaking the sensitive-data rule are the provider's administrators' (and the supervisor's) to see
    const gaps = supervisor || adminOf.length ? await registry.personalDataGaps(user) : [];
    const key = supervisor ? await registry.authorityStatus(user) : null;
    return {
      notice,
      lookup: supervisor || agencies.length ? { all: supervisor, agencies, result: lookup } : null,
      signingKey: key && {
        current: key.current,
        next: key.next,
        ca: key.ca,
        nextCa: key.nextCa,
        previousCa: key.previousCa,
        subjectKeysKept: key.subjectKeysKept,
        have: key.gateways.filter((g) => g.hasNext).length,
        total: key.gateways.length,
        behind: key.gateways.filter((g) => !g.hasNext).map((g) => `${g.memberCode} (${g.agencyName})`),
      },
      gateways: gateways.map((g) => {
        const report = g.lastReport as {
          at?: string;
          metrics?: {
            services?: ExchangePageData['gateways'][number]['services'];
            log?: { size: number; pending?: number; checkpointSize?: number; failing?: string };
            configuration?: { valid: boolean };
            accessRecordsWaiting?: number;
            accessRecordsSpooledBytes?: number;
            accessRecordsDropped?: number;
          };
        } | null;
        const m = report?.metrics;
        return {
          id: g.id,
          agencyName: g.agencyName,
          address: g.address,
          lastSeenAt: g.lastSeenAt,
          certificateUntil: certificateUntil(g.certificate),
          services: m?.services ?? [],
          reportedAt: report?.at ?? null,
          log: m?.log ? { entries: logEntries(m.log), failing: m.log.failing } : null,
          configValid: m?.configuration?.valid ?? null,
          accessRecords:
            m && typeof m.accessRecordsWaiting === 'number'
              ? {
                  waiting: m.accessRecordsWaiting,
                  spooledBytes: m.accessRecordsSpooledBytes ?? 0,
                  dropped: m.accessRecordsDropped ?? 0,
                }
              : null,
        };
      }),
      grants: grants.map((g) => ({
        ...presentGrant(g, instance),
        canDecide: hasAgencyRole(user, g.provider_agency_id, 'agency_admin'),
        canRevoke:
          hasAgencyRole(user, g.provider_agency_id, 'agency_admin') ||
          hasAgencyRole(user, g.client_agency_id, 'agency_admin'),
      })),
      services: services.map((s) => presentService(s.service, instance, s.internal)),
      gaps: gaps.map((g) => presentGrantGap(g, instance)),
      manage: { ...EMPTY, agencies, subsystems, credentials, ...manage },
    };
  };

  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    user: User,
    notice: string | null,
    manage: Partial<Manage> = {},
    status = 200,
    lookup: AccessLookup | null = null,
  ) => {
    const ctx = pageContext(req, reply, baseUrl);
    return sendHtml(reply, page(<ExchangePage ctx={ctx} data={await data(user, notice, manage, lookup)} />), status);
  };

  // who read a person's data: the service decides who may see what (the supervisor all, an agency's administrators their own)
  app.post('/dashboard/exchange/access-records', { schema: { hide: true }, preHandler: back }, async (req, reply) => {
    const user = userOf(req);
    const body = (req.body as FormBody | undefined) ?? {};
    const subject = formValue(body, 'subject', 20).trim().toUpperCase();
    const agency = formValue(body, 'agency', 40);
    if (!/^[A-Z]{2}[0-9]{9,12}$/.test(subject) || (agency && !UUID.test(agency))) {
      const { t } = pageContext(req, reply, baseUrl);
      return show(req, reply, user, null, {}, 400, {
        subject,
        agency,
        records: null,
        error: t('exchange.lookupBadSubject'),
      });
    }
    const records = (await registry.accessRecords(user, subject, agency || undefined)).map(presentAccessRecord);
    return show(req, reply, user, null, {}, 200, { subject, agency, records, error: null });
  });

  app.get('/dashboard/exchange', { schema: { hide: true }, preHandler: signedInPage() }, async (req, reply) => {
    const user = userOf(req);
    const ctx = pageContext(req, reply, baseUrl);
    const done = (req.query as { done?: string }).done;
    const known = [
      'approve',
      'reject',
      'revoke',
      'subsystem',
      'service',
      'grant',
      'certificate',
      'credential',
      'announce',
      'switch',
      'subjectKey',
    ];
    return show(req, reply, user, done && known.includes(done) ? ctx.t(`exchange.done.${done}` as never) : null);
  });

  /** A form's post: the service call, or the page again with what is wrong and what was typed. */
  const form = (path: string, done: string, act: (user: User, body: FormBody) => Promise<unknown>) => {
    app.post(path, { schema: { hide: true }, preHandler: back }, async (req, reply) => {
      const user = userOf(req);
      const body = (req.body as FormBody | undefined) ?? {};
      try {
        await act(user, body);
      } catch (err) {
        if (!(err instanceof DomainError) || !['VALIDATION_FAILED', 'CONFLICT'].includes(err.code)) throw err;
        const values = Object.fromEntries(
          Object.keys(body)
            .filter((k) => k !== '_csrf')
            .map((k) => [k === 'code' && path.endsWith('services') ? 'svcCode' : k, formValue(body, k, 500_000)]),
        );
        return show(req, reply, user, null, { errors: [err.messages, ...err.details], values }, 400);
      }
      return reply.redirect(`/dashboard/exchange?done=${done}#manage`, 303);
    });
  };
  form('/dashboard/exchange/subsystems', 'subsystem', (user, body) =>
    registry.createSubsystem(user, readSubsystemForm(body)),
  );
  form('/dashboard/exchange/services', 'service', (user, body) => registry.createService(user, readServiceForm(body)));
  form('/dashboard/exchange/grants', 'grant', (user, body) => registry.createGrant(user, readGrantForm(body)));
  form('/dashboard/exchange/certificates', 'certificate', (user, body) => {
    const subsystem = formValue(body, 'subsystem', 40);
    if (!UUID.test(subsystem)) throw new DomainError('NOT_FOUND');
    return registry.addClientCertificate(user, subsystem, {
      label: formValue(body, 'label', 200) || 'portal',
      certificate: formValue(body, 'certificate', 20_000),
    });
  });

  // the supervisor's key rotation: a refusal (gateways not ready) comes back as the page's notice, in the reader's language
  const rotation = (path: string, done: string, act: (user: User, body: FormBody) => Promise<unknown>) => {
    app.post(path, { schema: { hide: true }, preHandler: back }, async (req, reply) => {
      const user = userOf(req);
      try {
        await act(user, (req.body as FormBody | undefined) ?? {});
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'CONFLICT') throw err;
        return show(
          req,
          reply,
          user,
          pageContext(req, reply, baseUrl).lang === 'en' ? err.messages.en : err.messages.vi,
          {},
          409,
        );
      }
      return reply.redirect(`/dashboard/exchange?done=${done}#authority`, 303);
    });
  };
  rotation('/dashboard/exchange/authority/announce', 'announce', (user) => registry.announceAuthority(user));
  rotation('/dashboard/exchange/authority/switch', 'switch', (user, body) => {
    requireConfirmed(body);
    return registry.switchAuthority(user, formValue(body, 'force', 5) === '1');
  });
  rotation('/dashboard/exchange/authority/subject-key', 'subjectKey', (user, body) => {
    requireConfirmed(body);
    return registry.rotateSubjectKey(user);
  });

  app.post(
    '/dashboard/exchange/credentials/revoke',
    { schema: { hide: true }, preHandler: back },
    async (req, reply) => {
      const user = userOf(req);
      const body = (req.body as FormBody | undefined) ?? {};
      const subsystem = formValue(body, 'subsystem', 40);
      const id = formValue(body, 'id', 40);
      const kind = formValue(body, 'kind', 20);
      if (!UUID.test(subsystem) || !UUID.test(id) || (kind !== 'key' && kind !== 'certificate'))
        throw new DomainError('NOT_FOUND');
      requireConfirmed(body);
      await registry.revokeCredential(user, subsystem, kind, id);
      return reply.redirect('/dashboard/exchange?done=credential#credentials', 303);
    },
  );

  // the key is shown on the page answering the post, never put in a URL
  app.post('/dashboard/exchange/keys', { schema: { hide: true }, preHandler: back }, async (req, reply) => {
    const user = userOf(req);
    const body = (req.body as FormBody | undefined) ?? {};
    const label = formValue(body, 'label', 200) || 'portal';
    const subsystem = formValue(body, 'subsystem', 40);
    if (!UUID.test(subsystem)) throw new DomainError('NOT_FOUND');
    const made = await registry.createClientKey(user, subsystem, { label });
    reply.header('cache-control', 'no-store');
    return show(req, reply, user, null, { newKey: { subsystem: made.subsystem, key: made.key } });
  });

  app.post(
    '/dashboard/exchange/grants/:id/decision',
    { schema: { hide: true }, preHandler: back },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      if (!UUID.test(id)) throw new DomainError('NOT_FOUND');
      const decision = String((req.body as FormBody | undefined)?.decision ?? '');
      const d = decision === 'approve' || decision === 'reject' ? decision : 'revoke';
      if (d === 'revoke') requireConfirmed(req.body as FormBody | undefined);
      await registry.decideGrant(user, id, d);
      return reply.redirect(`/dashboard/exchange?done=${d}`, 303);
    },
  );
}
