import { PolicyIndex } from '../../src/policy/index-build.js';
import type { Item, ObjectKind, SnapshotData } from '../../src/policy/snapshot.js';

/** A rule as tests write it: only what differs from an allow-everything rule. */
export type R = Partial<Record<string, unknown>> & { name: string };

export const rule = (r: R): Item => ({
  from: ['any'],
  to: ['any'],
  source: ['any'],
  destination: ['any'],
  source_user: ['any'],
  application: ['any'],
  service: ['any'],
  category: ['any'],
  action: 'allow',
  ...r,
});

/**
 * A snapshot from plain lists: objects (folder Shared unless said), rules per folder and position.
 * chain: Shared first.
 */
export function indexOf(opts: {
  chain?: string[];
  objects?: Partial<Record<ObjectKind, Item[]>>;
  rules?: Record<string, { pre?: R[]; post?: R[] }>;
}): PolicyIndex {
  const chain = opts.chain ?? ['Shared'];
  const objects: SnapshotData['objects'] = {};
  for (const [k, list] of Object.entries(opts.objects ?? {}))
    objects[k as ObjectKind] = list!.map((o) => ({ folder: 'Shared', ...o }));
  const rules: SnapshotData['rules'] = {};
  for (const f of chain) {
    const r = opts.rules?.[f] ?? {};
    rules[f] = {
      pre: (r.pre ?? []).map((x) => ({ folder: f, ...rule(x) })),
      post: (r.post ?? []).map((x) => ({ folder: f, ...rule(x) })),
    };
  }
  return new PolicyIndex({
    folder: chain[chain.length - 1]!,
    chain,
    objects,
    rules,
    missing: [],
    loadedAt: 0,
  });
}
