import { generateAll, writeGenerated, writeManifest } from './generate.js';

// The build writes dist/catalog.json only; the committed manifest changes on purpose (`npm run manifest:update`,
// or UPDATE_TOOLSNAPS=true), so a test can tell when it is stale.
const updateManifest = process.argv.includes('--manifest') || process.env.UPDATE_TOOLSNAPS === 'true';
const started = Date.now();
generateAll()
  .then((all) => {
    for (const g of all) {
      writeGenerated(g);
      if (updateManifest) writeManifest(g);
      for (const w of g.warnings) console.error(`generate (${g.set.name}): warning: ${w}`);
      console.error(
        `generate: ${g.set.name}: ${g.catalog.tools.length} tools in dist/${g.set.catalog}${updateManifest ? ` and tools-manifest/${g.set.manifest}` : ''}`,
      );
    }
    console.error(`generate: done in ${Date.now() - started} ms`);
  })
  .catch((err: unknown) => {
    console.error(`generate failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
