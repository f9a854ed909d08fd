import { describe, expect, it } from 'vitest';
import { inlineMarkdownToText, renderInlineMarkdown } from './markdown.js';

describe('renderInlineMarkdown', () => {
  it('renders bold, italic and links, with rel="nofollow noopener" on links', () => {
    expect(renderInlineMarkdown('**bold** and *italic* and [a source](https://example.org/a?b=1&c=2)')).toBe(
      '<strong>bold</strong> and <em>italic</em> and <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">a source</a>',
    );
  });

  it('escapes raw HTML instead of passing it through', () => {
    expect(renderInlineMarkdown('<script>alert(1)</script> <b onclick="x">hi</b>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=&quot;x&quot;&gt;hi&lt;/b&gt;',
    );
  });

  it('refuses links that are not http(s), mailto or a site path', () => {
    for (const href of ['javascript:alert(1)', 'data:text/html,x', '//evil.example/x', 'vbscript:x']) {
      expect(renderInlineMarkdown(`[click](${href})`), href).not.toContain('<a');
    }
    expect(renderInlineMarkdown('[earlier](/news/earlier)')).toContain('<a href="/news/earlier"');
  });

  it('leaves every other Markdown construct as literal text', () => {
    const html = renderInlineMarkdown('`code` ~~struck~~ https://example.org');
    expect(html).toBe('`code` ~~struck~~ https://example.org');
    // Without the image rule, image syntax degrades to "!" and an ordinary link, never an <img>.
    expect(renderInlineMarkdown('![img](https://example.org/i.png)')).not.toContain('<img');
  });
});

describe('inlineMarkdownToText', () => {
  it('keeps the words and drops the markup', () => {
    expect(inlineMarkdownToText('Rescuers moved **400 people**, says [the service](https://example.org).')).toBe('Rescuers moved 400 people, says the service.');
  });
});
