import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

/** A person who may decide in the approval inbox: a name, the SHA-256 of their sign-in token and/or an OIDC identity. */
export interface Approver {
  name: string;
  tokenSha256?: Buffer;
  /** The ID token's `email` or `sub` that signs in as this approver (OIDC sign-in). */
  oidc?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@ -]{0,63}$/;

/**
 * `name:sha256hex` entries, one a line or comma-separated; `#` starts a comment. After the colon, the token hash
 * and/or `oidc=<email or sub>` (space-separated): `alice:9f86... oidc=alice@example.com`, `bob:oidc=bob@example.com`.
 */
export function parseApprovers(text: string, source: string): Approver[] {
  const approvers: Approver[] = [];
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
  for (const entry of entries) {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at).trim();
    const approver: Approver = { name };
    let bad = at < 0 || !NAME.test(name);
    for (const part of entry
      .slice(at + 1)
      .trim()
      .split(/\s+/)) {
      if (part.startsWith('oidc=') && part.length > 5 && !approver.oidc) approver.oidc = part.slice(5);
      else if (/^[0-9a-fA-F]{64}$/.test(part) && !approver.tokenSha256)
        approver.tokenSha256 = Buffer.from(part.toLowerCase(), 'hex');
      else bad = true;
    }
    if (bad || (!approver.tokenSha256 && !approver.oidc))
      throw new ConfigError(
        `${source}: each approver is "name:sha256hex" (name of letters, digits, . _ @ - or space; the SHA-256 of their token in hex), e.g. alice:$(printf %s "$TOKEN" | sha256sum | cut -c1-64), and/or "oidc=EMAIL-OR-SUB" after the colon for OIDC sign-in`,
      );
    if (approvers.some((a) => a.name.toLowerCase() === name.toLowerCase()))
      throw new ConfigError(`${source}: approver ${name} is listed twice`);
    if (approver.oidc && approvers.some((a) => a.oidc?.toLowerCase() === approver.oidc!.toLowerCase()))
      throw new ConfigError(`${source}: oidc=${approver.oidc} is listed twice`);
    approvers.push(approver);
  }
  if (!approvers.length) throw new ConfigError(`${source}: no approvers listed`);
  return approvers;
}

export function loadApprovers(opts: { file?: string; env?: string }): Approver[] {
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `approvers file ${opts.file}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return parseApprovers(text, `approvers file ${opts.file}`);
  }
  return parseApprovers(opts.env ?? '', 'PRISMA_MCP_APPROVERS');
}

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** The approver whose token this is; every entry compared in constant time, so timing tells nothing. */
export function approverFor(approvers: Approver[], token: string): Approver | undefined {
  const given = hashToken(token);
  const none = Buffer.alloc(given.length);
  let found: Approver | undefined;
  for (const a of approvers)
    if (timingSafeEqual(a.tokenSha256 ?? none, given) && a.tokenSha256 && !found) found = a;
  return found;
}
