import { describe, expect, it } from 'vitest';
import { vnuErrors } from './vnu.js';

describe('vnuErrors', () => {
  // Every HTML validity test asserts an empty list; this keeps a checker that never ran from passing them.
  it('names the page and line of each error and stays quiet about warnings', { timeout: 60_000 }, async () => {
    const errors = await vnuErrors({
      'bad page': '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bad</title></head><body>\n<p><div>x</div></p></body></html>',
      // A section without a heading is only a warning.
      good: '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Good</title></head><body><section><p>x</p></section></body></html>',
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((line) => line.startsWith('bad_page.html:2 '))).toBe(true);
  });
});
