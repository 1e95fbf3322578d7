import { fileURLToPath } from 'node:url';
import type { IrOperation } from '../../src/openapi/ir.js';
import { loadIr } from '../../src/openapi/load-ir.js';
import type { Overlay } from '../../src/openapi/overlay.js';

/** Hand-written fixture specs (test/fixtures/specs): the generator's corner cases, in our own words. */
export const fixturesDir = fileURLToPath(new URL('../fixtures/specs/', import.meta.url));

/** The overlay the fixtures need: one toolset for their resources, and one safety class beyond the default. */
export function fixtureOverlay(): Overlay {
  return {
    resources: {},
    operations: {},
    roles: {},
    safety: { 'widget.publish': 'deploy' },
    live: { folderInputs: ['folder', 'folders'], optionalParams: ['snippet'], bodyDefaults: {} },
    toolsets: { fixtures: ['widget', 'mobileAgentGadgetProfile'] },
  };
}

export async function loadFixtureIr(withDescriptions = true): Promise<Map<string, IrOperation>> {
  const ops = await loadIr(fixturesDir, { overlay: fixtureOverlay(), withDescriptions });
  return new Map(ops.map((op) => [op.key, op]));
}

export function opFrom(ops: Map<string, IrOperation>, key: string): IrOperation {
  const op = ops.get(key);
  if (!op) throw new Error(`fixture IR has no ${key}: ${[...ops.keys()].join(', ')}`);
  return op;
}
