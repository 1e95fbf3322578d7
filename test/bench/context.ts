import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { countTokens } from 'gpt-tokenizer';
import { charTokens, listingText, listTools, MODES, REPORTED_MODES } from './measure.js';

// `npm run bench:context`: how much of an assistant's context tools/list takes in each serving mode, counted as
// characters / 4 and with a real tokenizer (gpt-tokenizer, o200k_base), and the largest tools.

const pad = (v: string | number, n: number) => String(v).padStart(n);
const largest = (tools: Tool[]) =>
  tools
    .map((t) => ({ name: t.name, text: JSON.stringify(t) }))
    .sort((a, b) => b.text.length - a.text.length || (a.name < b.name ? -1 : 1))
    .slice(0, 10);

const rows: string[] = [];
const details: string[] = [];
for (const mode of [...MODES, ...REPORTED_MODES]) {
  const { tools, instructions } = await listTools(mode.args);
  const text = listingText(tools);
  const tokens = countTokens(text);
  const within = Math.max(charTokens(text), tokens) <= mode.budget;
  const ok = within
    ? 'ok'
    : (REPORTED_MODES as readonly { name: string }[]).some((m) => m.name === mode.name)
      ? 'goal'
      : 'OVER';
  rows.push(
    `${mode.name.padEnd(14)}${pad(tools.length, 6)}${pad(text.length, 9)}${pad(charTokens(text), 9)}${pad(tokens, 9)}${pad(mode.budget, 8)}  ${ok}${pad(instructions.length, 8)}`,
  );
  if (mode.name === 'default' || mode.name === 'all') {
    details.push(`\nten largest tools (${mode.name}): chars, chars/4, tokens`);
    for (const t of largest(tools))
      details.push(
        `  ${t.name.padEnd(42)}${pad(t.text.length, 7)}${pad(charTokens(t.text), 7)}${pad(countTokens(t.text), 7)}`,
      );
  }
}
console.log(
  `${'mode'.padEnd(14)}${pad('tools', 6)}${pad('chars', 9)}${pad('chars/4', 9)}${pad('tokens', 9)}${pad('budget', 8)}    ${pad('instr', 8)}`,
);
console.log(rows.join('\n'));
console.log(details.join('\n'));
console.log(
  '\ntokens: gpt-tokenizer (o200k_base) over JSON.stringify({tools}); instr: server instructions, characters.',
);
