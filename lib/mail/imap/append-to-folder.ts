import "server-only";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "./account";
import { withImapClient } from "./pool";

export interface AppendedMessage {
  /** From APPENDUID (RFC 4315) when the server has UIDPLUS. */
  uid?: number;
  uidValidity?: string;
}

// RFC 7889 §3 (APPENDLIMIT) and RFC 4469 §5 name the refusal TOOBIG; imapflow says APPENDLIMIT when
// it refused before sending because the server advertised a smaller limit.
const TOO_BIG_CODES = new Set(["TOOBIG", "APPENDLIMIT"]);

/**
 * Files raw message bytes in a folder as they are, with the given flags and INTERNALDATE (RFC 3501
 * §6.3.11). Resolves only when the server answered OK: only then is the message safely stored.
 * A refusal for size is MESSAGE_TOO_LARGE; a missing folder (TRYCREATE) FOLDER_NOT_FOUND.
 */
export async function appendToFolder(
  account: MailAccount,
  folder: string,
  raw: Buffer,
  options: { flags: string[]; internalDate: Date },
): Promise<AppendedMessage> {
  return withImapClient(
    account,
    async (client) => {
      let result;
      try {
        result = await client.append(folder, raw, options.flags, options.internalDate);
      } catch (error) {
        const code = (error as { serverResponseCode?: string }).serverResponseCode?.toUpperCase() ?? "";
        if (TOO_BIG_CODES.has(code)) {
          throw new AppError("MESSAGE_TOO_LARGE", "The IMAP server refused the message as too large.", { cause: error });
        }
        if (code === "TRYCREATE") throw new AppError("FOLDER_NOT_FOUND", undefined, { cause: error });
        throw error;
      }
      if (!result) throw new AppError("MAIL_SERVER_ERROR");
      return { uid: result.uid, uidValidity: result.uidValidity?.toString() };
    },
    // Not repeatable: a repeated APPEND after a drop mid-command could file the message twice.
    { repeatable: false },
  );
}
