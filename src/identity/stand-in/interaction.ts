import type http from 'node:http';
import type Provider from 'oidc-provider';
import { ID_NUMBER_SCOPE } from '../eid-claims.js';
import type { DemoPerson } from './stand-in-eid.js';
import { signInPage, type Lang } from './sign-in-page.js';

const MAX_BODY = 8 * 1024;
/** How many demo citizens the page lists; any other is reached by typing their id number. */
const LISTED = 30;

function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * The stand-in's own pages (`/interaction/{uid}`): the sign-in page where a demo citizen and a level are picked, and
 * the consent step, granted at once for exactly what was asked (the sign-in page has shown it). Nobody else can be
 * named: only a person of the demo register is accepted, never a free username.
 */
export function interactionHandler(
  provider: Provider,
  people: Map<string, DemoPerson>,
  acrLevels: [string, string],
  clientOrigins: string[],
) {
  const listed = [...people.values()].slice(0, LISTED);
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // the form's answer is a redirect to the client: the client's origin is a form action too
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${clientOrigins.join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
  };

  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const [, , uid, action] = url.pathname.split('/');
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      res.writeHead(400, headers).end(signInPage.expired('vi'));
      return;
    }
    if (details.uid !== uid) {
      res.writeHead(400, headers).end(signInPage.expired('vi'));
      return;
    }
    const params = details.params as Record<string, string | undefined>;
    const lang: Lang = (params.ui_locales ?? '').split(' ')[0] === 'en' ? 'en' : 'vi';
    const asked = (params.acr_values ?? '').split(' ');
    const askedLevel = asked.includes(acrLevels[0]) ? 1 : asked.includes(acrLevels[1]) ? 2 : 1;

    if (req.method === 'GET' && !action) {
      if (details.prompt.name === 'consent') {
        // the person saw on the sign-in page what the client asks for: grant exactly that
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session!.accountId, clientId: String(params.client_id) });
        if (!grant) throw new Error('grant vanished');
        if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      const scopes = String(params.scope ?? '').split(' ');
      res.writeHead(200, headers).end(
        signInPage.render({
          lang,
          uid: details.uid,
          client: String(params.client_id),
          people: listed,
          level: askedLevel,
          idNumberAsked: scopes.includes(ID_NUMBER_SCOPE),
          error: false,
        }),
      );
      return;
    }

    if (req.method === 'POST' && action === 'abort') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the person cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const typed = (form.get('id_number') ?? '').trim();
      const person = people.get(typed || (form.get('person') ?? ''));
      const level = form.get('level') === '2' ? 2 : form.get('level') === '1' ? 1 : null;
      if (!person || !level) {
        const scopes = String(params.scope ?? '').split(' ');
        res.writeHead(400, headers).end(
          signInPage.render({
            lang,
            uid: details.uid,
            client: String(params.client_id),
            people: listed,
            level: askedLevel,
            idNumberAsked: scopes.includes(ID_NUMBER_SCOPE),
            error: true,
          }),
        );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        {
          login: {
            accountId: person.id,
            acr: acrLevels[level - 1],
            // level 2 stands for the app's second factor (a PIN on the phone holding the chip-verified identity)
            amr: level === 2 ? ['pwd', 'otp'] : ['pwd'],
            remember: false,
          },
        },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.writeHead(405, headers).end(signInPage.expired(lang));
  };
}
