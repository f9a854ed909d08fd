// Control characters (a terminal's escape codes pasted into a comment, a stray BEL) are not
// allowed in an HTML document; they are shown as U+FFFD so the page stays valid and the reader
// sees that something was there. Tab and line breaks are kept. The stored text is untouched.
const NOT_IN_HTML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/g;

/** Text as it may appear in an HTML page. */
export function printable(text: string): string {
  return text.replace(NOT_IN_HTML, '\ufffd');
}

/** Plain text with its line breaks kept as <br>; every piece is still escaped by Preact. */
export function Lines(props: { text: string }) {
  const lines = printable(props.text).split(/\r?\n/);
  return <>{lines.map((line, i) => (i === 0 ? line : [<br />, line]))}</>;
}
