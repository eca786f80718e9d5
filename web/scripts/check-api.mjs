// `npm run check:api`: regenerates the API types from docs/api/openapi.json into a temporary file
// and fails when src/api/schema.d.ts differs, i.e. when the document changed and `npm run gen:api`
// was not run (or the generated file was edited by hand).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const committed = path.join(web, 'src', 'api', 'schema.d.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yingji-api-'));
const fresh = path.join(dir, 'schema.d.ts');
try {
  // The same command as `npm run gen:api`, with another output file.
  const gen = JSON.parse(fs.readFileSync(path.join(web, 'package.json'), 'utf8')).scripts['gen:api'].split(/\s+/);
  const out = gen.indexOf('-o');
  if (gen[0] !== 'openapi-typescript' || out < 0) throw new Error('gen:api is expected to be `openapi-typescript … -o <file>`');
  gen[out + 1] = fresh;
  execFileSync(path.join(web, 'node_modules', '.bin', 'openapi-typescript'), gen.slice(1), { cwd: web, stdio: ['ignore', 'ignore', 'inherit'] });
  const want = fs.readFileSync(fresh, 'utf8');
  const have = fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : '';
  if (want !== have) {
    console.error('src/api/schema.d.ts is stale: docs/api/openapi.json changed. Run `npm run gen:api` and commit the result.');
    process.exit(1);
  }
  console.log('src/api/schema.d.ts matches docs/api/openapi.json');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
