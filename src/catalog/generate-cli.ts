import { generate, writeGenerated } from './generate.js';

const started = Date.now();
generate()
  .then((g) => {
    writeGenerated(g);
    console.error(
      `generate: ${g.catalog.tools.length} tools in dist/catalog.json and tools-manifest/ (${Date.now() - started} ms)`,
    );
  })
  .catch((err: unknown) => {
    console.error(`generate failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
