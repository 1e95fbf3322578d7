import type { CallMeta } from '../tools/types.js';
import type { Snapshot } from './block-plan.js';
import type { OpRunner } from './pipeline.js';

/** Reads what planning needs through the pipeline, by key: effective objects and the folder's `pre` rules. */
export async function readSnapshot(run: OpRunner, folder: string, meta: CallMeta = {}): Promise<Snapshot> {
  const [addresses, groups, categories, tags, rules] = await Promise.all([
    run.list('address.list', { folder }, meta),
    run.list('addressGroup.list', { folder }, meta),
    run.list('urlCategory.list', { folder }, meta),
    run.list('tag.list', { folder }, meta),
    run.list('securityRule.list', { folder, position: 'pre' }, meta),
  ]);
  return { folder, addresses, groups, categories, tags, rules };
}
