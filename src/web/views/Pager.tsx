/** The "Older briefs" link of a keyset-paginated list; nothing when this is the last page. */
export function Pager(props: { href: string | null; label: string }) {
  if (!props.href) return null;
  return <p class="pager"><a rel="next" href={props.href}>{props.label} →</a></p>;
}
