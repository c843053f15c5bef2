import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { ID_NUMBER_SCOPE } from '../eid-claims.js';
import { interactionHandler } from './interaction.js';

/** A person of the demo population register, as the stand-in e-ID knows them. */
export interface DemoPerson {
  /** the 12-digit id number (CCCD) */
  id: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex: 'nam' | 'nữ';
  /** a verified e-mail address, released under the `email` scope (a stand-in for an agency's staff directory) */
  email?: string;
}

export interface StandInClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface StandInOptions {
  /** the issuer URL; the stand-in listens on its port (0: any free one, the issuer then names it) */
  issuer: string;
  /** the interface to listen on */
  host?: string;
  people: DemoPerson[];
  clients: StandInClient[];
  /** the `acr` values of level 1 and level 2 */
  acrLevels: [string, string];
  /** where its keys are kept across restarts; unset: new keys at each start */
  keysDir?: string;
  /** must be true: the stand-in signs anyone in as any demo citizen, which only a demo may allow */
  demo: boolean;
}

export interface StandInEid {
  issuer: string;
  close(): Promise<void>;
}

interface Secrets {
  jwks: JWK[];
  cookieKeys: string[];
  pairwiseSalt: string;
}

async function secrets(dir: string | undefined): Promise<Secrets> {
  const file = dir ? path.join(dir, 'stand-in-eid.json') : undefined;
  if (file) {
    const kept = await readFile(file, 'utf8').catch(() => null);
    if (kept) return JSON.parse(kept) as Secrets;
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'ES256' };
  const made: Secrets = {
    jwks: [jwk],
    cookieKeys: [randomBytes(32).toString('base64url')],
    pairwiseSalt: randomBytes(32).toString('base64url'),
  };
  if (dir && file) {
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(made), { mode: 0o600 });
  }
  return made;
}

/**
 * The stand-in national e-ID: an OpenID provider (`oidc-provider`, certified) configured as VNeID would be —
 * authorization code with PKCE (S256) required of every client, `acr` values for level 1 and level 2, a pairwise
 * `sub` per client, the id number released only under the `cccd` scope — whose people are the demo population
 * register's generated citizens. Its sign-in page lets you pick a demo citizen and a level, so it must never run
 * outside a demo: it refuses to start unless told it is one.
 */
export async function startStandInEid(o: StandInOptions): Promise<StandInEid> {
  if (!o.demo)
    throw new Error('the stand-in e-ID signs anyone in as any demo citizen: it runs only in a demo (ndp serve --demo)');
  const people = new Map(o.people.map((p) => [p.id, p]));
  const kept = await secrets(o.keysDir);
  const wanted = new URL(o.issuer);
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(wanted.port || 80), o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!wanted.port || wanted.port === '0') wanted.port = String(port);
  const issuer = wanted.toString().replace(/\/$/, '');

  const provider = new Provider(issuer, {
    clients: o.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      subject_type: 'pairwise',
      id_token_signed_response_alg: 'ES256',
    })),
    jwks: { keys: kept.jwks },
    cookies: { keys: kept.cookieKeys },
    pkce: { required: () => true },
    acrValues: o.acrLevels,
    subjectTypes: ['pairwise'],
    // the same person gets a different `sub` at each client, so two services cannot join their users on it
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHmac('sha256', kept.pairwiseSalt).update(`${client.sectorIdentifier}\u0000${accountId}`).digest('hex'),
    claims: {
      openid: ['sub'],
      profile: ['name', 'family_name', 'given_name', 'birthdate', 'gender'],
      email: ['email', 'email_verified'],
      [ID_NUMBER_SCOPE]: [ID_NUMBER_SCOPE],
    },
    findAccount: async (_ctx, id) => {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: async () => {
          const words = person.fullName.split(' ');
          return {
            sub: id,
            name: person.fullName,
            family_name: words[0],
            given_name: words.slice(1).join(' '),
            birthdate: person.dateOfBirth,
            gender: person.sex === 'nữ' ? 'female' : 'male',
            [ID_NUMBER_SCOPE]: person.id,
            ...(person.email ? { email: person.email, email_verified: true } : {}),
          };
        },
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    routes: { authorization: '/authorize' },
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
    renderError: async (ctx, out) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = errorHtml(String(out.error), String(out.error_description ?? ''));
    },
  });
  provider.on('server_error', () => {
    // oidc-provider answers server_error itself; nothing the demo can do more
  });

  const origins = [...new Set(o.clients.flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)))];
  const interactions = interactionHandler(provider, people, o.acrLevels, origins);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if ((req.url ?? '').startsWith('/interaction/')) {
      interactions(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('stand-in e-ID: internal error');
      });
      return;
    }
    callback(req, res);
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function errorHtml(error: string, description: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>VNeID (demo) — lỗi / error</title></head><body><main><h1>VNeID (demo)</h1><p>Không thực hiện được yêu cầu đăng nhập. / The sign-in request was refused.</p><p><code>${escapeHtml(error)}</code>: ${escapeHtml(description)}</p></main></body></html>`;
}
