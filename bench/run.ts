// npm run bench -- NAME: runs bench/NAME.bench.ts, which prints its figures and a reference measured in the same run.
const name = process.argv[2];
const known = ['search', 'pages', 'ingest', 'query', 'quality', 'exchange', 'access-records', 'my-data', 'prefill'];
if (!name || !known.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${known.join('|')}>\n`);
  process.exit(2);
}
await import(`./${name}.bench.ts`);
