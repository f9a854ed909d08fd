import MarkdownIt from 'markdown-it';

// Details paragraphs allow **bold**, *italic* and [links](https://…) and nothing else. Starting
// from the 'zero' preset means a new markdown-it release cannot quietly switch on tables, images
// or raw HTML; html:false makes any tag in the text come out escaped.
const md = new MarkdownIt('zero', { html: false, linkify: false, typographer: false }).enable(['emphasis', 'link']);

// markdown-it already refuses javascript: and data:, but an allow-list is easier to reason about.
// Protocol-relative '//host' is refused because it leaves the site while looking like a path.
md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url) || (url.startsWith('/') && !url.startsWith('//'));

// Links in details point at sources we quote, not sites we vouch for.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener');
  return self.renderToken(tokens, idx, options);
};

/** One paragraph of inline Markdown (bold, italic, links) to HTML, without a wrapping <p>. */
export function renderInlineMarkdown(text: string): string {
  return md.renderInline(text);
}

/** The words of a Markdown paragraph without its markup, for meta descriptions and excerpts. */
export function inlineMarkdownToText(text: string): string {
  const [inline] = md.parseInline(text, {});
  return (inline?.children ?? []).filter((t) => t.type === 'text').map((t) => t.content).join('');
}
