import { readFileSync } from 'node:fs';

/** The runtime stage of a Dockerfile (after its last FROM), as steps a test can replay without Docker. */
export interface RuntimeStage {
  copies: { sources: string[]; dest: string }[];
  runs: string[];
  env: Record<string, string>;
  user?: string;
  expose: number[];
  healthcheck: string[];
  entrypoint: string[];
}

/** Joins continuation lines and drops comments. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function runtimeStage(path: string): RuntimeStage {
  const all = instructions(readFileSync(path, 'utf8'));
  const last = all.map((l) => l.split(/\s+/)[0]!.toUpperCase()).lastIndexOf('FROM');
  const stage: RuntimeStage = { copies: [], runs: [], env: {}, expose: [], healthcheck: [], entrypoint: [] };
  for (const line of all.slice(last + 1)) {
    const [op, ...rest] = line.split(/\s+/);
    const args = line.slice(op!.length).trim();
    switch (op!.toUpperCase()) {
      case 'COPY': {
        const parts = rest.filter((p) => !p.startsWith('--'));
        stage.copies.push({ sources: parts.slice(0, -1), dest: parts.at(-1)! });
        break;
      }
      case 'RUN':
        stage.runs.push(args);
        break;
      case 'ENV':
        for (const m of args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g))
          stage.env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
        break;
      case 'USER':
        stage.user = args;
        break;
      case 'EXPOSE':
        stage.expose.push(...rest.map(Number));
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(args.slice(args.indexOf('CMD') + 3).trim());
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = JSON.parse(args);
        break;
      default:
        break;
    }
  }
  return stage;
}
