import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { freePort } from './ports.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/ndp.js');
const CSV = path.resolve('test/fixtures/dan_toc_vietnam_census2019.csv');

const targets: { name: string; url?: string }[] = [{ name: 'pglite' }];
if (process.env.NDP_TEST_DATABASE_URL) targets.push({ name: 'postgres', url: process.env.NDP_TEST_DATABASE_URL });

for (const target of targets) {
  describe(`the real ndp process on ${target.name}`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ndp-e2e-'));
    let port = 0;
    let base = '';
    let env: NodeJS.ProcessEnv;
    let child: ReturnType<typeof spawn>;
    let log = '';
    let dbName = '';

    beforeAll(async () => {
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      env = {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        NDP_DATA_DIR: dataDir,
        NDP_BASE_URL: base,
        NDP_LOG_LEVEL: 'warn',
      };
      delete env.DATABASE_URL;
      if (target.url) {
        dbName = `ndp_e2e_${randomBytes(5).toString('hex')}`;
        const c = new pg.Client({ connectionString: target.url });
        await c.connect();
        await c.query(`create database ${dbName}`);
        await c.end();
        const u = new URL(target.url);
        u.pathname = `/${dbName}`;
        env.DATABASE_URL = u.toString();
      }
      // The console roles first (an embedded database has one process at a time); on a fresh
      // data directory the first command migrates and loads the master data by itself.
      await run(
        'node',
        [
          BIN,
          'admin',
          'create-user',
          '--email',
          'officer@cema.gov.vn',
          '--name',
          'Cán bộ',
          '--password',
          'officer passphrase',
          '--agency',
          'bo-dan-toc-va-ton-giao',
          '--role',
          'agency_editor',
        ],
        { env },
      );
      const imported = await run(
        'node',
        [
          BIN,
          'import',
          CSV,
          '--user',
          'officer@cema.gov.vn',
          '--agency',
          'bo-dan-toc-va-ton-giao',
          '--title',
          'Dân số 54 dân tộc, Tổng điều tra 2019',
          '--publish',
        ],
        { env },
      );
      expect(imported.stdout).toMatch(/Imported dan_toc_vietnam_census2019.csv: \d+ bytes, sha256 [0-9a-f]{64}/);
      expect(imported.stderr).toMatch(/Uploading dan_toc_vietnam_census2019.csv: 100%/);
      expect(imported.stderr).toMatch(/Loaded 54 rows into table version 1/);
      // quality from the console: the suite suggested from the data, each check printed, the report kept
      const slug = /Created data set (\S+)/.exec(imported.stderr)![1]!;
      const checked = await run(
        'node',
        [BIN, 'quality', 'run', slug, '--user', 'officer@cema.gov.vn', '--suggest', '--lang', 'en'],
        { env },
      );
      expect(checked.stderr).toMatch(/\[1\/1\] .*: \d+ checks…/);
      expect(checked.stdout).toMatch(/ok {3}missing/);
      expect(checked.stdout).toMatch(/→ \d+ passed, 0 failed, 0 errors .* \/api\/v1\/quality\/runs\/[0-9a-f-]{36}/);
      const unchecked = await run('node', [BIN, 'quality', 'run', slug, '--user', 'officer@cema.gov.vn'], {
        env,
      }).catch((e: { code: number; stderr: string }) => e);
      expect((unchecked as { code: number }).code).toBe(1); // no suite kept, no --suggest: says so and fails
      expect((unchecked as { stderr: string }).stderr).toMatch(/chưa có bộ kiểm tra/);
      expect((await run('node', [BIN, 'migrate'], { env })).stdout).toContain('Database is up to date.');
      expect((await run('node', [BIN, 'seed'], { env })).stderr).toContain('Seeding master data'); // idempotent

      child = spawn('node', [BIN, 'serve', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d) => (log += d));
      child.stderr!.on('data', (d) => (log += d));
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        try {
          if ((await fetch(`${base}/readyz`)).ok) return;
        } catch {
          /* not up yet */
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`ndp serve did not become ready:\n${log}`);
    });

    afterAll(async () => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      if (dbName) {
        const c = new pg.Client({ connectionString: target.url });
        await c.connect();
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('serves health, search, the CKAN API and DCAT over HTTP', async () => {
      expect((await (await fetch(`${base}/healthz`)).json()).status).toBe('ok');
      const search = await (await fetch(`${base}/api/v1/datasets?q=dan%20toc`)).json();
      expect(search.total).toBe(1);
      const d = search.results[0];
      expect(d.title_vi).toBe('Dân số 54 dân tộc, Tổng điều tra 2019');
      const file = await fetch(d.distributions[0].download_url);
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(fs.readFileSync(CSV))).toBe(true);
      const ckan = await (
        await fetch(`${base}/api/3/action/package_search?q=DAN%20TOC&facet.field=["organization"]`)
      ).json();
      expect(ckan.success).toBe(true);
      expect(ckan.result.search_facets.organization.items[0]).toMatchObject({
        name: 'bo-dan-toc-va-ton-giao',
        count: 1,
      });
      const ttl = await fetch(`${base}/dataset/${d.slug}`, { headers: { accept: 'text/turtle' } });
      expect(await ttl.text()).toContain('dcat:Dataset');
      const table = await (
        await fetch(
          `${base}/api/3/action/datastore_search?resource_id=${d.distributions[0].id}&limit=1&sort=dan_so_2019%20desc`,
        )
      ).json();
      expect(table.result.total).toBe(54);
      expect(table.result.records[0]).toMatchObject({ ten_dan_toc: 'Kinh', dan_so_2019: 82085826 });
      const openapi = await (await fetch(`${base}/api/docs/json`)).json();
      expect(openapi.openapi).toBe('3.1.0');
    });

    it('signs in over HTTP and shuts down gracefully on SIGTERM', async () => {
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'officer@cema.gov.vn', password: 'officer passphrase' }),
      });
      expect(login.status).toBe(200);
      expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    });
  });
}
