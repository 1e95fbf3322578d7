import { syncSpecs } from './sync.js';

syncSpecs({ log: (m) => console.error(m) }).catch((err: unknown) => {
  console.error(`specs:sync failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
