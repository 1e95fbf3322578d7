import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

/** A person who may decide in the approval inbox: a name and the SHA-256 of their sign-in token. */
export interface Approver {
  name: string;
  tokenSha256: Buffer;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@ -]{0,63}$/;

/** `name:sha256hex` entries, one a line or comma-separated; `#` starts a comment. */
export function parseApprovers(text: string, source: string): Approver[] {
  const approvers: Approver[] = [];
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
  for (const entry of entries) {
    const at = entry.lastIndexOf(':');
    const name = entry.slice(0, at).trim();
    const hash = entry
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (at < 0 || !NAME.test(name) || !/^[0-9a-f]{64}$/.test(hash))
      throw new ConfigError(
        `${source}: each approver is "name:sha256hex" (name of letters, digits, . _ @ - or space; the SHA-256 of their token in hex), e.g. alice:$(printf %s "$TOKEN" | sha256sum | cut -c1-64)`,
      );
    if (approvers.some((a) => a.name.toLowerCase() === name.toLowerCase()))
      throw new ConfigError(`${source}: approver ${name} is listed twice`);
    approvers.push({ name, tokenSha256: Buffer.from(hash, 'hex') });
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
  let found: Approver | undefined;
  for (const a of approvers) if (timingSafeEqual(a.tokenSha256, given) && !found) found = a;
  return found;
}
