/**
 * Dynamic address group filters: `'a' and ('b' or 'c')`, `not 'x'`. Hand-written because the grammar is four
 * rules long (or, and, not, parentheses, quoted or bare tag names); a parser library would be larger than it.
 */
export type TagExpr =
  { op: 'tag'; name: string } | { op: 'not'; e: TagExpr } | { op: 'and' | 'or'; l: TagExpr; r: TagExpr };

export class TagExprError extends Error {}

function tokens(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      out.push(c);
      i++;
    } else if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new TagExprError(`unclosed quote at ${i}`);
      out.push(`=${src.slice(i + 1, end)}`);
      i = end + 1;
    } else {
      let j = i;
      while (j < src.length && !/[\s()'"]/.test(src[j]!)) j++;
      const word = src.slice(i, j);
      out.push(/^(and|or|not)$/i.test(word) ? word.toLowerCase() : `=${word}`);
      i = j;
    }
  }
  return out;
}

/** Parse a filter; throws TagExprError saying what is wrong. */
export function parseTagExpr(src: string): TagExpr {
  const ts = tokens(src);
  let pos = 0;
  const peek = () => ts[pos];
  const orExpr = (): TagExpr => {
    let l = andExpr();
    while (peek() === 'or') {
      pos++;
      l = { op: 'or', l, r: andExpr() };
    }
    return l;
  };
  const andExpr = (): TagExpr => {
    let l = unary();
    while (peek() === 'and') {
      pos++;
      l = { op: 'and', l, r: unary() };
    }
    return l;
  };
  const unary = (): TagExpr => {
    const t = ts[pos++];
    if (t === 'not') return { op: 'not', e: unary() };
    if (t === '(') {
      const e = orExpr();
      if (ts[pos++] !== ')') throw new TagExprError('missing )');
      return e;
    }
    if (t?.startsWith('=')) return { op: 'tag', name: t.slice(1) };
    throw new TagExprError(t === undefined ? 'unexpected end' : `unexpected ${t}`);
  };
  const e = orExpr();
  if (pos < ts.length) throw new TagExprError(`unexpected ${ts[pos]}`);
  return e;
}

export function evalTagExpr(e: TagExpr, tags: ReadonlySet<string>): boolean {
  switch (e.op) {
    case 'tag':
      return tags.has(e.name);
    case 'not':
      return !evalTagExpr(e.e, tags);
    case 'and':
      return evalTagExpr(e.l, tags) && evalTagExpr(e.r, tags);
    case 'or':
      return evalTagExpr(e.l, tags) || evalTagExpr(e.r, tags);
  }
}

/** Every tag name the filter mentions (for where-used). */
export function tagsIn(e: TagExpr): string[] {
  if (e.op === 'tag') return [e.name];
  if (e.op === 'not') return tagsIn(e.e);
  return [...tagsIn(e.l), ...tagsIn(e.r)];
}
