import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { $RefParser } from '@apidevtools/json-schema-ref-parser';
import { parse } from 'yaml';
import { areaOfBase } from './naming.js';

type S = Record<string, any>;

const SPEC_FILE = /\.(ya?ml|json)$/i;

/** What the generator needs to know of the file an operation comes from. */
export interface FileContext {
  /** From `servers[0].url`: the upstream host and the path prefix of every path in the file. */
  base?: { host: string; prefix: string };
  /** The file's area (`objects` for `/config/objects/v1`): the toolset of unplaced operations, the qualifier of clashing names. */
  area: string;
}

/** Spec files below `dir`, sub-folders included, as sorted paths relative to it. */
export function specFilesIn(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    throw new Error(
      `spec folder ${dir} cannot be read: ${(err as Error).message} (run \`npm run specs:sync\`)`,
    );
  }
  return entries
    .filter((e) => e.isFile() && SPEC_FILE.test(e.name))
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** Parses and dereferences one OpenAPI file (YAML or JSON); an unreadable file is named in the error. */
export async function loadSpecFile(file: string): Promise<S> {
  let doc: S;
  try {
    const text = readFileSync(file, 'utf8');
    doc = (/\.json$/i.test(file) ? JSON.parse(text) : parse(text)) as S;
  } catch (err) {
    throw new Error(`spec file ${file} cannot be read: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || typeof doc.paths !== 'object')
    throw new Error(`spec file ${file} is not an OpenAPI document: it has no paths`);
  try {
    return (await new $RefParser().dereference(doc, { dereference: { circular: 'ignore' } })) as S;
  } catch (err) {
    throw new Error(`spec file ${file} has a $ref that cannot be resolved: ${(err as Error).message}`);
  }
}

/** `servers[0].url` as host and path prefix; relative or missing servers give no base. */
export function serverBase(doc: S, file: string): FileContext['base'] {
  const url = doc.servers?.[0]?.url;
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`spec file ${file}: servers[0].url ${url} is not an absolute URL`);
  }
  return { host: parsed.origin, prefix: parsed.pathname.replace(/\/+$/, '') };
}

/** A file's area: from its server prefix, else its folder, else its name. */
export function areaOf(file: string, base: FileContext['base']): string {
  const fromBase = base ? areaOfBase(base.prefix) : undefined;
  if (fromBase) return fromBase;
  const parts = file.split(/[\\/]/);
  return parts.length > 1 ? parts[parts.length - 2]! : parts[0]!.replace(SPEC_FILE, '');
}

export async function readSpecFile(dir: string, file: string): Promise<{ doc: S; ctx: FileContext }> {
  const doc = await loadSpecFile(join(dir, file));
  const base = serverBase(doc, file);
  return { doc, ctx: { ...(base ? { base } : {}), area: areaOf(file, base) } };
}
