/**
 * Plays a person at the stand-in e-ID without a browser: follows its redirects, keeps its cookies, picks a demo
 * citizen and a level on its sign-in page, and stops at the first redirect to the client (`redirectBase`).
 */
export async function signInAtStandIn(
  authorizationUrl: string,
  o: { person: string; level: 1 | 2; redirectBase: string },
): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(o.redirectBase)) return url;
    let res = await fetch(url, { redirect: 'manual', headers: { cookie: cookie() } });
    keep(res);
    if (res.status === 200) {
      const page = await res.text();
      const action = /action="(\/interaction\/[^"]+\/login)"/.exec(page)?.[1];
      if (!action) throw new Error(`no sign-in form at ${url}: ${page.slice(0, 300)}`);
      res = await fetch(new URL(action, url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ person: o.person, level: String(o.level) }).toString(),
      });
      keep(res);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`stand-in answered ${res.status} at ${url}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects at the stand-in e-ID');
}
