import type { PolicyIndex } from './index-build.js';
import type { MatchResult, RuleVerdict } from './match.js';

/** Lists in answers stop here (with a count of the rest), so every answer stays well inside the result budget. */
export const MAX_ITEMS = 50;

/** Every answer says how old its snapshot is, and how to get a fresh one. */
export function snapshotInfo(index: PolicyIndex, now: number) {
  return {
    folder: index.folder,
    chain: index.chain,
    age_seconds: Math.max(0, Math.round((now - index.loadedAt) / 1000)),
    loaded_at: new Date(index.loadedAt).toISOString(),
    rules: index.rules.length,
    objects: index.all.length,
    ...(index.missing.length ? { not_served: index.missing } : {}),
    refresh: 'pass refresh: true to read the configuration again',
  };
}

/** At most MAX_ITEMS of a list, and how many were left out. */
export function capped<T>(key: string, list: T[], max = MAX_ITEMS): Record<string, unknown> {
  return { [key]: list.slice(0, max), ...(list.length > max ? { [`${key}_more`]: list.length - max } : {}) };
}

const ruleHead = (v: RuleVerdict) => ({
  rule: v.rule.name,
  folder: v.rule.folder,
  position: v.rule.position,
  index: v.rule.index,
  action: v.rule.action,
});

const VERDICT = {
  yes: 'match',
  depends: 'depends',
  no: 'no match',
  disabled: 'disabled (would match)',
} as const;

export function matchAnswer(r: MatchResult) {
  const decision = r.decidedBy
    ? { ...ruleHead(r.decidedBy), certain: r.unless.length === 0 }
    : {
        rule: r.default!.name,
        action: r.default!.action,
        certain: r.unless.length === 0 && r.default!.name !== 'depends on zones',
      };
  return {
    decision: {
      ...decision,
      ...(r.unless.length
        ? {
            unless: r.unless
              .slice(0, 10)
              .map((v) => `${v.rule.name} matches first if: ${v.dependsOn.join('; ')}`),
          }
        : {}),
    },
    // Reasons only for the rules shown: a large rulebase can have thousands that "depend".
    matches: r.matches.slice(0, MAX_ITEMS).map((v) => ({
      ...ruleHead(v),
      order: v.rule.order,
      verdict: VERDICT[v.verdict],
      reasons: Object.values(v.fields).map((f) => f.reason),
    })),
    ...(r.matches.length > MAX_ITEMS ? { matches_more: r.matches.length - MAX_ITEMS } : {}),
  };
}
