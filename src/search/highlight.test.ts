import { describe, expect, it } from 'vitest';
import { analyse, tokenize } from './analyser.js';
import { highlight, snippet, type HighlightedText } from './highlight.js';

const terms = (...words: string[]) => new Set(words.flatMap((w) => tokenize(w).flatMap((t) => t.stems)));
const marked = (h: HighlightedText | null) => (h ? h.ranges.map((r) => h.text.slice(r.start, r.end)) : []);

describe('the analyser', () => {
  it('folds case, ё, apostrophes, Latin diacritics and English possessives before stemming', () => {
    expect(analyse('Кремлём')).toBe(analyse('кремлем'));
    expect(analyse('Мар’їнка')).toBe(analyse("мар'їнка"));
    expect(analyse('Марʼїнка')).toBe(analyse("мар'їнка"));
    expect(analyse('Café')).toBe(analyse('cafe'));
    expect(analyse('Пу́тин')).toBe(analyse('путин'));
    expect(analyse('йод')).not.toBe(analyse('иод'));
    expect(analyse('Prigozhin’s')).toBe(analyse('Prigozhin'));
    expect(analyse('mutinies')).toBe(analyse('mutiny'));
  });

  it('gives a Cyrillic word its Ukrainian and its Russian stem, and keeps offsets of the text as written', () => {
    const [token] = tokenize('  Пригожина,');
    expect(token).toMatchObject({ word: 'Пригожина', start: 2, end: 11 });
    expect(token!.stems).toContain('пригожин');
    expect(tokenize('Ukraine 2026').map((t) => t.word)).toEqual(['Ukraine', '2026']);
  });
});

describe('highlighting', () => {
  it('marks every word with a matching stem, joining neighbours into one mark', () => {
    const h = highlight('Yevgeny Prigozhin said Prigozhin’s men left.', terms('yevgeny', 'prigozhin'));
    expect(marked(h)).toEqual(['Yevgeny Prigozhin', 'Prigozhin’s']);
  });

  it('cuts a long passage around the matches with ellipses, ranges still pointing at the words', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`);
    words[50] = 'Voronezh';
    const s = snippet(['Short passage.', words.join(' ')], terms('Voronezh'), 20)!;
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(marked(s)).toEqual(['Voronezh']);
    expect(s.text.split(' ').length).toBeLessThanOrEqual(21);
  });

  it('picks the passage matching the most distinct terms, and null when there is no passage', () => {
    const s = snippet(['Columns near Tula.', 'Columns near Voronezh, not Tula.'], terms('voronezh', 'tula'));
    expect(s!.text).toBe('Columns near Voronezh, not Tula.');
    expect(snippet([], terms('x'))).toBeNull();
    expect(snippet(['  '], terms('x'))).toBeNull();
  });
});
