/** Plain text with its line breaks kept as <br>; every piece is still escaped by Preact. */
export function Lines(props: { text: string }) {
  const lines = props.text.split(/\r?\n/);
  return <>{lines.map((line, i) => (i === 0 ? line : [<br />, line]))}</>;
}
