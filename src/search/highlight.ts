import { tokenize } from './analyser.js';

// Highlights are computed from the brief's own text with the analyser that built the index, not
// with FTS5's highlight(): the index holds stems, so highlight() would show "пригожин" where the
// brief says "Пригожина". They leave here as plain text plus ranges, never markup, so no engine,
// client or view can mistake a brief's "<script>" (or a stray marker character) for a tag.

export interface HighlightRange {
  /** UTF-16 offsets into `text` (JavaScript string indices), end exclusive. */
  start: number;
  end: number;
}

export interface HighlightedText {
  text: string;
  ranges: HighlightRange[];
}

const ELLIPSIS = '…';

function rangesIn(text: string, terms: ReadonlySet<string>): HighlightRange[] {
  const ranges: HighlightRange[] = [];
  for (const token of tokenize(text)) {
    if (!token.stems.some((s) => terms.has(s))) continue;
    const last = ranges.at(-1);
    // Adjacent matches ("Yevgeny Prigozhin") read as one highlight.
    if (last && /^\s*$/.test(text.slice(last.end, token.start))) last.end = token.end;
    else ranges.push({ start: token.start, end: token.end });
  }
  return ranges;
}

/** The whole of `text`, with every word whose stem is one of `terms` marked. */
export function highlight(text: string, terms: ReadonlySet<string>): HighlightedText {
  return { text, ranges: rangesIn(text, terms) };
}

/**
 * A short excerpt for a result: from the passage with the most matched words, a window of about
 * `maxWords` words around them, cut at word boundaries and marked with "…" where cut.
 */
export function snippet(passages: readonly string[], terms: ReadonlySet<string>, maxWords = 30): HighlightedText | null {
  let best: { text: string; score: number } | null = null;
  for (const text of passages) {
    if (!text.trim()) continue;
    const matched = tokenize(text).filter((t) => t.stems.some((s) => terms.has(s)));
    const score = new Set(matched.flatMap((t) => t.stems.filter((s) => terms.has(s)))).size * 1000 + matched.length;
    if (!best || score > best.score) best = { text, score };
  }
  if (!best) return null;
  const tokens = tokenize(best.text);
  if (tokens.length <= maxWords) return highlight(best.text.trim(), terms);
  // The window start that covers the most matched words; the earliest wins a tie.
  const isHit = tokens.map((t) => t.stems.some((s) => terms.has(s)));
  let from = 0;
  let bestCount = -1;
  for (let i = 0; i + maxWords <= tokens.length; i++) {
    const count = isHit.slice(i, i + maxWords).filter(Boolean).length;
    if (count > bestCount) [from, bestCount] = [i, count];
  }
  // Start a little before the first hit so it has some context.
  const firstHit = isHit.indexOf(true, from);
  if (firstHit > from + 3) from = Math.min(firstHit - 3, tokens.length - maxWords);
  const first = tokens[from]!;
  const last = tokens[Math.min(from + maxWords, tokens.length) - 1]!;
  const cutStart = from > 0 ? first.start : 0;
  const cutEnd = last === tokens.at(-1) ? best.text.length : last.end;
  const prefix = cutStart > 0 ? ELLIPSIS : '';
  const suffix = cutEnd < best.text.length ? ELLIPSIS : '';
  const body = best.text.slice(cutStart, cutEnd);
  const text = (prefix + body + suffix).trim();
  const shift = prefix.length - (prefix + body).length + (prefix + body).trimStart().length;
  return { text, ranges: rangesIn(body, terms).map((r) => ({ start: r.start + shift, end: r.end + shift })) };
}
