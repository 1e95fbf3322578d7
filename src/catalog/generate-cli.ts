import { generateAll, writeGenerated } from './generate.js';

const started = Date.now();
generateAll()
  .then((all) => {
    for (const g of all) {
      writeGenerated(g);
      for (const w of g.warnings) console.error(`generate (${g.set.name}): warning: ${w}`);
      console.error(
        `generate: ${g.set.name}: ${g.catalog.tools.length} tools in dist/${g.set.catalog} and tools-manifest/${g.set.manifest}`,
      );
    }
    console.error(`generate: done in ${Date.now() - started} ms`);
  })
  .catch((err: unknown) => {
    console.error(`generate failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
