import { loadIr } from './src/spec/load-ir.js';
import { readOverlay } from './src/spec/overlay.js';
const ops = await loadIr('specs/upstream/prisma-access-config', { overlay: readOverlay('specs') });
console.log(ops.length);
for (const o of ops) console.log(o.tool.padEnd(46), o.safety.padEnd(11), o.method, o.path.replace('/sse/config/v1',''), o.inputs.filter(i=>i.source!=='body').map(i=>i.name+(i.required?'*':'')).join(','), '| body:', o.inputs.filter(i=>i.source==='body').length, o.choices? JSON.stringify(o.choices):'');
