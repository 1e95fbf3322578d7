import { generate, writeGenerated, writeManifest } from './generate.js';

// The build writes dist/catalog.json only; the committed manifest changes on purpose (`npm run manifest:update`,
// or UPDATE_TOOLSNAPS=true), so a test can tell when it is stale.
const updateManifest = process.argv.includes('--manifest') || process.env.UPDATE_TOOLSNAPS === 'true';
const started = Date.now();
generate()
  .then((g) => {
    writeGenerated(g);
    if (updateManifest) writeManifest(g);
    console.error(
      `generate: ${g.catalog.tools.length} tools in dist/catalog.json${updateManifest ? ' and tools-manifest/' : ''} (${Date.now() - started} ms)`,
    );
  })
  .catch((err: unknown) => {
    console.error(`generate failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
