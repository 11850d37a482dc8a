// Small-cell suppression for the public statistics. Pure.
//
// The rule: a count from 1 to threshold - 1 is published as null ("fewer than threshold"),
// so no published figure narrows down to one or two cases that someone could recognise.
// Zero is published: it says nothing about any case. Where cells add up to a published
// total, one withheld cell could be worked out by subtraction, so a second one (the
// smallest published non-zero cell) is withheld with it. A share is published only when
// its base is at least the threshold, rounded to a whole percent, and so is a median.

export const SUPPRESSION_THRESHOLD = 5;

export const suppress = (n: number, threshold = SUPPRESSION_THRESHOLD): number | null => (n > 0 && n < threshold ? null : n);

/**
 * The cells of a breakdown whose sum is `total`, with small cells withheld and, when the
 * total is published, never exactly one withheld non-zero cell.
 */
export function suppressBreakdown(cells: readonly number[], threshold = SUPPRESSION_THRESHOLD): (number | null)[] {
  const out = cells.map((n) => suppress(n, threshold));
  const total = cells.reduce((a, b) => a + b, 0);
  if (suppress(total, threshold) === null) return out;
  const withheld = out.filter((v) => v === null).length;
  if (withheld !== 1) return out;
  let smallest = -1;
  out.forEach((v, i) => {
    if (v !== null && v > 0 && (smallest === -1 || v < (out[smallest] as number))) smallest = i;
  });
  if (smallest !== -1) out[smallest] = null;
  return out;
}

/** A whole percentage of part in base, or null when the base is too small to publish. */
export const share = (part: number, base: number, threshold = SUPPRESSION_THRESHOLD): number | null =>
  base < threshold ? null : Math.round((100 * part) / base);

/** A median, or null when it is over fewer than threshold cases (it would be one of their own values). */
export const suppressMedian = (median: number | null, base: number, threshold = SUPPRESSION_THRESHOLD): number | null =>
  base < threshold ? null : median;
