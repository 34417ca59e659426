/** What a command may touch of the process: streams, environment, working directory, signals. */
import type { Readable, Writable } from 'node:stream';

export interface CommandIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Starts listening for SIGTERM/SIGINT and resolves with the signal name (long-running commands). */
  shutdown(): Promise<string>;
  /** Calls `handler` on every SIGHUP (ruleset reload) until the command ends. */
  onReload(handler: () => void): void;
}

/** A command returns its exit status; only cli/index.ts exits the process. */
export type Command = (io: CommandIo) => Promise<number>;

export function write(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
