/**
 * The bench's one row format: a figure measured in interleaved rounds beside its anchor from the same rounds,
 * the comparison (ratio or difference) per round, min / median / max over the rounds, and the target the
 * median of the comparison is checked against.
 */

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface Row {
  name: string;
  unit: string;
  figure: Spread;
  anchor?: { name: string; figure: Spread };
  /** Per round: figure / anchor (`x`) or figure - anchor (in `unit`). */
  compare?: { kind: 'x' | 'diff'; spread: Spread };
  /** The most the median of `compare` (or of the figure, when there is no anchor) may be. */
  max?: number;
  note?: string;
}

export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]! };
}

/** A row from paired per-round samples: each figure against the anchor of its own round. */
export function versus(
  name: string,
  unit: string,
  figures: readonly number[],
  anchorName: string,
  anchors: readonly number[],
  opts: { kind?: 'x' | 'diff'; max?: number; note?: string } = {},
): Row {
  const kind = opts.kind ?? 'x';
  const per = figures.map((f, i) => (kind === 'x' ? f / anchors[i]! : f - anchors[i]!));
  return {
    name,
    unit,
    figure: spread(figures),
    anchor: { name: anchorName, figure: spread(anchors) },
    compare: { kind, spread: spread(per) },
    ...(opts.max !== undefined ? { max: opts.max } : {}),
    ...(opts.note ? { note: opts.note } : {}),
  };
}

/** A row with no anchor (a count, or a figure that is its own comparison). */
export function alone(
  name: string,
  unit: string,
  figures: readonly number[],
  opts: { max?: number; note?: string } = {},
): Row {
  return {
    name,
    unit,
    figure: spread(figures),
    ...(opts.max !== undefined ? { max: opts.max } : {}),
    ...(opts.note ? { note: opts.note } : {}),
  };
}

/** Whether the row meets its target (true when it has none). */
export function meets(row: Row): boolean {
  if (row.max === undefined) return true;
  const v = row.compare ? row.compare.spread.median : row.figure.median;
  return v <= row.max; // NaN (nothing measured) is a miss
}

const num = (n: number) =>
  Number.isNaN(n) ? '-' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
const tri = (s: Spread) => `${num(s.min)} / ${num(s.median)} / ${num(s.max)}`;

function targetText(row: Row): string {
  if (row.max === undefined) return '';
  const unit = row.compare?.kind === 'x' || row.unit === 'x' ? 'x' : ` ${row.unit}`;
  return `<= ${row.max}${unit}`;
}

/** The table as printed: one line per row, then its anchor and comparison; min / median / max throughout. */
export function format(section: string, rows: readonly Row[]): string {
  const out = [`\n== ${section}  (min / median / max over the rounds)`];
  for (const row of rows) {
    const status = row.max === undefined ? '    ' : meets(row) ? 'ok  ' : 'MISS';
    const target = targetText(row);
    const own = !row.compare && target ? `   target ${target}` : '';
    out.push(`${status} ${row.name.padEnd(54)} ${tri(row.figure).padStart(26)} ${row.unit}${own}`);
    if (row.anchor)
      out.push(`       vs ${row.anchor.name.padEnd(51)} ${tri(row.anchor.figure).padStart(26)} ${row.unit}`);
    if (row.compare) {
      const label = row.compare.kind === 'x' ? 'ratio' : 'difference';
      const unit = row.compare.kind === 'x' ? 'x' : row.unit;
      out.push(
        `       ${label.padEnd(53)} ${tri(row.compare.spread).padStart(26)} ${unit}${target ? `   target ${target}` : ''}`,
      );
    }
    if (row.note) out.push(`       (${row.note})`);
  }
  return out.join('\n');
}
