/** What tool_search knows of a tool. */
export interface SearchEntry {
  name: string;
  toolset: string;
  safety: string;
  description: string;
  title?: string;
  /** One line about the toolset: its words count too (`objects` finds `tag_list`). */
  toolsetLine?: string;
}

export interface SearchHit {
  entry: SearchEntry;
  score: number;
}

const STOP = new Set([
  'a',
  'an',
  'the',
  'to',
  'of',
  'for',
  'in',
  'on',
  'by',
  'with',
  'and',
  'or',
  'my',
  'me',
  'i',
]);

// Words people say for what the API calls otherwise. Small on purpose: names and descriptions do most of it.
const SYNONYMS: Record<string, string[]> = {
  ip: ['address'],
  host: ['address'],
  cidr: ['address'],
  subnet: ['address'],
  fqdn: ['address'],
  domain: ['address', 'url'],
  website: ['url'],
  site: ['url', 'remote'],
  block: ['address', 'group', 'rule', 'external'],
  deny: ['rule'],
  allow: ['rule'],
  edl: ['external', 'dynamic'],
  feed: ['external', 'dynamic'],
  blocklist: ['external', 'dynamic'],
  firewall: ['security', 'rule'],
  acl: ['security', 'rule'],
  policy: ['rule'],
  deploy: ['push'],
  commit: ['push'],
  apply: ['push'],
  publish: ['push'],
  discard: ['rollback', 'candidate'],
  revert: ['rollback', 'candidate'],
  undo: ['rollback', 'candidate'],
  status: ['job'],
  progress: ['job'],
  vpn: ['ipsec', 'ike', 'tunnel'],
  branch: ['remote', 'network'],
  globalprotect: ['mobile', 'agent'],
  gp: ['mobile', 'agent'],
  app: ['application'],
  port: ['service'],
  protocol: ['service'],
  ssl: ['decryption', 'tls'],
  cert: ['certificate'],
  '2fa': ['mfa'],
  remove: ['delete'],
  erase: ['delete'],
  add: ['create'],
  new: ['create'],
  edit: ['update'],
  modify: ['update'],
  change: ['update'],
  rename: ['update'],
  show: ['list', 'get'],
  read: ['list', 'get'],
  find: ['list', 'get'],
  view: ['list', 'get'],
  reorder: ['move'],
  label: ['tag'],
  folder: ['folder'],
  // The policy tools (src/policy) answer questions asked in these words.
  used: ['object', 'references'],
  reference: ['references'],
  shadowed: ['analyze'],
  redundant: ['analyze'],
  unused: ['analyze'],
};

// Query words are stemmed before lookup (`status` -> `statu`): key the synonyms the same way.
const SYNONYMS_BY_STEM = new Map(Object.entries(SYNONYMS).map(([k, v]) => [stem(k), v]));
const synonymsOf = (term: string) => SYNONYMS_BY_STEM.get(term) ?? [];

/** `addresses` -> `address`, `policies` -> `policy`; good enough for matching, not for grammar. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w))
    .map(stem);
}

const ACTION_ORDER = ['list', 'get', 'create', 'update', 'move', 'delete'];
const actionRank = (name: string) => {
  const i = ACTION_ORDER.indexOf(name.slice(name.lastIndexOf('_') + 1));
  return i === -1 ? ACTION_ORDER.length : i;
};

/** How well one query word matches a tool: name words count most, then description, then the toolset. */
function termScore(term: string, name: string[], text: Set<string>, toolset: Set<string>): number {
  if (name.includes(term)) return 4;
  if (term.length >= 3 && name.some((w) => w.startsWith(term))) return 2;
  if (text.has(term)) return 1.5;
  if (toolset.has(term)) return 1;
  return 0;
}

/**
 * Tools ranked for a free-text query: every query word (and a few synonyms, at a lower weight) scored against
 * the tool's name, description and toolset; bonuses when every word matched, for names the query covers, and for
 * the exact name. Ties go to
 * list before get before create (the usual first step), then to shorter names, then by name: the same query always
 * gives the same order.
 */
export function rankTools(entries: SearchEntry[], query: string): SearchHit[] {
  const terms = [...new Set(words(query))];
  if (!terms.length) return [];
  const exact = query
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const hits: SearchHit[] = [];
  for (const entry of entries) {
    const name = entry.name.split('_').map(stem);
    const text = new Set(words(`${entry.title ?? ''} ${entry.description}`));
    const toolset = new Set(words(`${entry.toolset} ${entry.toolsetLine ?? ''}`));
    let score = 0;
    let matched = 0;
    for (const term of terms) {
      let best = termScore(term, name, text, toolset);
      for (const syn of synonymsOf(term)) best = Math.max(best, 0.6 * termScore(syn, name, text, toolset));
      if (best > 0) matched++;
      score += best;
    }
    if (score === 0) continue;
    if (terms.length > 1 && matched === terms.length) score += 2;
    // `address` should rank address_list above address_group_list: reward names the query covers.
    const resource = name.slice(0, -1);
    const covered = resource.filter((w) => terms.some((t) => t === w || synonymsOf(t).includes(w)));
    if (resource.length) score += (1.5 * covered.length) / resource.length;
    if (entry.name === exact) score += 10;
    hits.push({ entry, score: Math.round(score * 100) / 100 });
  }
  return hits.sort(
    (a, b) =>
      b.score - a.score ||
      actionRank(a.entry.name) - actionRank(b.entry.name) ||
      a.entry.name.split('_').length - b.entry.name.split('_').length ||
      (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0),
  );
}
