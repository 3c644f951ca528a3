import "server-only";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Pop3AccountInput } from "./schemas";

/** "None" sends the POP3 password in plaintext: refused unless MAIL_POP3_ALLOW_PLAINTEXT=1. */
export function checkPop3Security(input: Pick<Pop3AccountInput, "security">): void {
  if (input.security === "none" && !serverConfig().pop3AllowPlaintext) throw new AppError("POP3_PLAINTEXT_REFUSED");
}
