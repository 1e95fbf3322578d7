import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
export const VERSION: string = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
