import "server-only";
import type { ImapFlow } from "imapflow";

/**
 * imapflow has no API for some commands the app needs (SORT, RFC 5256; FETCH PREVIEW, RFC 8970).
 * Its own commands are built on `exec()`, which it does not declare in its types: this is the one
 * typed door to it. Attributes go through imapflow's compiler, which quotes strings and refuses
 * invalid atoms, so user input never reaches the wire unquoted; callers still pass only atoms of
 * their own and numbers.
 */

/** A token of an IMAP command or response as imapflow's parser and compiler represent it. */
export type RawAttribute = { type: string; value?: unknown } | RawAttribute[] | null;

export interface RawUntagged {
  attributes?: RawAttribute[];
  /** imapflow reads a bare list of numbers (SEARCH) into this instead of attributes. */
  numbers?: number[];
}

type Exec = (
  command: string,
  attributes: RawAttribute[],
  options: { untagged: Record<string, (untagged: RawUntagged) => Promise<void>> },
) => Promise<{ next: () => void }>;

export const atom = (value: string): RawAttribute => ({ type: "ATOM", value });
export const sequence = (value: string): RawAttribute => ({ type: "SEQUENCE", value });

/**
 * Sends one command on `client` and hands the untagged responses named in `untagged` (e.g. "SORT",
 * "ESEARCH", "FETCH") to their handlers; resolves when the tagged OK arrives, rejects with
 * imapflow's error on NO or BAD or a lost connection. Handlers must not issue commands.
 */
export async function runRawCommand(
  client: ImapFlow,
  command: string,
  attributes: RawAttribute[],
  untagged: Record<string, (response: RawUntagged) => void>,
): Promise<void> {
  const exec = (client as unknown as { exec: Exec }).exec.bind(client);
  const handlers: Record<string, (response: RawUntagged) => Promise<void>> = {};
  for (const [name, handle] of Object.entries(untagged)) {
    handlers[name] = async (response) => {
      if (response) handle(response);
    };
  }
  const response = await exec(command, attributes, { untagged: handlers });
  // The parser's backpressure token: until it is called, imapflow reads nothing more.
  response.next();
}

/** The string value of a token, if it is an atom, string, sequence or number. */
export function tokenValue(token: RawAttribute | undefined): string | null {
  if (!token || Array.isArray(token)) return null;
  return typeof token.value === "string" ? token.value : null;
}

/**
 * Hands every unsolicited untagged response named `name` (e.g. "STATUS" sent under NOTIFY, RFC
 * 5465) to `handle`, for as long as the connection lives. A command's own handlers (runRawCommand,
 * imapflow's `status()`) still take precedence while that command runs. `handle` must not issue
 * commands: it runs while imapflow is still reading the server's response.
 */
export function onUnsolicited(client: ImapFlow, name: string, handle: (response: RawUntagged) => void): void {
  const handlers = (client as unknown as { untaggedHandlers: Record<string, (response: RawUntagged) => Promise<void>> }).untaggedHandlers;
  handlers[name] = async (response) => {
    if (response) handle(response);
  };
}
