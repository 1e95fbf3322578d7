/**
 * `npm run build` step after tsc: bundles the server (dist/cli.js) with its dependencies, split into chunks that
 * load on first use (HTTP transport, Redis, the inbox, doctor, the sandbox). Resolving and reading some 400
 * module files cost most of the start-up time; one file per mode costs a fraction (issue 14: start-up at a bare
 * SDK server's pace). Tests import src/ and are not affected; only the binary is bundled.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../package-root.js';

const dist = join(PACKAGE_ROOT, 'dist');
for (const f of readdirSync(dist)) if (/^chunk-.*\.js$/.test(f)) rmSync(join(dist, f));

const result = await build({
  entryPoints: { cli: join(PACKAGE_ROOT, 'src', 'cli.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Chunks sit beside cli.js, so code that looks for package.json finds it from either.
  chunkNames: 'chunk-[hash]',
  // CommonJS dependencies (undici, express, redis) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
if (process.env.BUNDLE_META) writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile));
const kb = (n: number) => `${Math.round(n / 1024)} KB`;
const entry = outputs.find(([f]) => f.endsWith('/cli.js'));
console.error(
  `bundle: dist/cli.js ${entry ? kb(entry[1].bytes) : '?'} and ${outputs.length - 1} chunks loaded on demand`,
);
