/** A command was called the wrong way; the dispatcher prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The value of a required option, or a UsageError naming it. */
export function required(value: string | undefined, option: string, command: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${command} needs ${option}`);
  return value;
}
