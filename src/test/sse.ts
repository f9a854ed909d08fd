/** Reads a text/event-stream response body one event at a time, for tests of the live streams. */
export interface SseReader {
  /**
   * The data of the next event named `event`, parsed as JSON. Blocks of other events, keep-alive
   * comments and retry lines are read past (and kept in `received`), so a test can wait for the
   * event it expects while still seeing everything that came before it.
   */
  next(event: string): Promise<Record<string, unknown>>;
  /** Every block read so far, whatever its event name, as sent. */
  readonly received: string[];
}

/** An SseReader over `body`; `label` names the stream in the error thrown when it ends early. */
export function readSse(body: NonNullable<Response['body']>, label = 'the stream'): SseReader {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const received: string[] = [];
  return {
    received,
    async next(event) {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          received.push(block);
          if (block.split('\n').includes(`event: ${event}`)) return JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown>;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`${label} ended`);
        buffer += value;
      }
    },
  };
}
