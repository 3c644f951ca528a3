import "server-only";
import type { ImapFlow } from "imapflow";
import { AppError } from "@/lib/errors";
import type { MessageAction, MessageActionResult } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withImapClient, withMailbox } from "./pool";
import { findSpecialFolder } from "./special-folders";

export interface MessageSet {
  folder: string;
  uidValidity: string;
  /** At most a batch (MAX_UIDS_PER_ACTION); the browser splits whole-folder selections. */
  uids: number[];
}

const NO_RESULT: MessageActionResult = { destination: null, destinationUidValidity: null, uidMap: [] };

/**
 * Removing chosen messages needs UID EXPUNGE (RFC 4315 UIDPLUS) to touch only them. Without it the
 * only way is \Deleted + EXPUNGE, and EXPUNGE removes every \Deleted message of the folder (RFC
 * 3501 §6.4.3) — including ones another client marked and its user may still undelete. So without
 * UIDPLUS the folder is asked first (UID SEARCH DELETED): when nothing but the chosen messages is
 * marked, EXPUNGE removes exactly them and the action goes ahead; otherwise it is refused and
 * nothing changes. Left: a message another client marks in the milliseconds between this search and
 * the EXPUNGE is removed with them — a message its user had already marked for deletion.
 */
async function assertCanExpungeOnly(client: ImapFlow, uids: number[]): Promise<void> {
  if (client.capabilities.has("UIDPLUS")) return;
  const chosen = new Set(uids);
  const marked = (await client.search({ deleted: true }, { uid: true })) || [];
  if (marked.some((uid) => !chosen.has(uid))) throw new AppError("UIDPLUS_REQUIRED");
}

async function destinationOf(account: MailAccount, action: MessageAction): Promise<string | null> {
  switch (action.type) {
    case "move":
    case "copy":
      return action.destination;
    case "archive":
    case "junk":
    case "trash":
      // Found by special-use flag or common name, created on first use.
      return withImapClient(account, (client) => findSpecialFolder(client, action.type, { create: true }));
    default:
      return null;
  }
}

/**
 * One action on a set of messages of one folder, by UID under the folder's UIDVALIDITY (a changed
 * UIDVALIDITY refuses the whole request, so a stale UID never touches another message). Moves and
 * copies answer with the new UIDs (COPYUID), which is what undo moves back.
 */
export async function actOnMessages(
  account: MailAccount,
  set: MessageSet,
  action: MessageAction,
): Promise<MessageActionResult> {
  const destination = await destinationOf(account, action);
  if (destination !== null && destination === set.folder) throw new AppError("SAME_FOLDER");
  const range = set.uids.join(",");

  return withMailbox(
    account,
    set.folder,
    async ({ client }) => {
      switch (action.type) {
        case "flags": {
          const add: string[] = [];
          const remove: string[] = [];
          if (action.seen !== undefined) (action.seen ? add : remove).push("\\Seen");
          if (action.flagged !== undefined) (action.flagged ? add : remove).push("\\Flagged");
          if (add.length) await client.messageFlagsAdd(range, add, { uid: true });
          if (remove.length) await client.messageFlagsRemove(range, remove, { uid: true });
          return NO_RESULT;
        }
        case "deletePermanently": {
          await assertCanExpungeOnly(client, set.uids);
          if (!(await client.messageDelete(range, { uid: true }))) throw new AppError("MAIL_SERVER_ERROR");
          return NO_RESULT;
        }
        case "copy": {
          const result = await client.messageCopy(range, action.destination, { uid: true });
          if (!result) throw await refusal(client, action.destination, "MAIL_SERVER_ERROR");
          return toResult(result);
        }
        default: {
          if (!destination) return NO_RESULT;
          // MOVE (RFC 6851) where offered; imapflow's fallback is COPY + \Deleted + (UID) EXPUNGE,
          // which must leave the folder's other messages alone.
          if (!client.capabilities.has("MOVE")) await assertCanExpungeOnly(client, set.uids);
          const result = await client.messageMove(range, destination, { uid: true });
          if (!result) throw await refusal(client, destination, "MOVE_FAILED");
          return toResult(result);
        }
      }
    },
    // A repeated COPY would duplicate the messages; a repeated MOVE finds them gone and is harmless.
    { expectedUidValidity: set.uidValidity, repeatable: action.type !== "copy" },
  );
}

/**
 * imapflow reports a refused COPY or MOVE as `false`, without the reason. The common one is a
 * destination another client removed (the server answers NO [TRYCREATE], RFC 3501 §6.4.7): ask
 * STATUS, so the user hears that rather than a generic refusal.
 */
async function refusal(client: ImapFlow, destination: string, otherwise: "MOVE_FAILED" | "MAIL_SERVER_ERROR"): Promise<AppError> {
  const exists = await client.status(destination, { messages: true }).then(
    (status) => status !== false,
    () => false,
  );
  if (!exists) return new AppError("DESTINATION_NOT_FOUND");
  return otherwise === "MOVE_FAILED"
    ? new AppError("MOVE_FAILED")
    : new AppError("MAIL_SERVER_ERROR", "The mail server refused to copy the messages. Nothing was changed.");
}

function toResult(result: { destination: string; uidValidity?: bigint; uidMap?: Map<number, number> }): MessageActionResult {
  return {
    destination: result.destination,
    destinationUidValidity: result.uidValidity !== undefined ? result.uidValidity.toString() : null,
    uidMap: [...(result.uidMap ?? new Map<number, number>()).entries()],
  };
}
