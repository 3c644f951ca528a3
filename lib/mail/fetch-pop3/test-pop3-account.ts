import "server-only";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { checkPop3Security } from "./check-pop3-security";
import { openPassword, readAccount } from "./pop3-account-store";
import type { Pop3AccountInput, Pop3TestResult } from "./schemas";
import { testPop3Login } from "./test-pop3-login";

/** "Test connection" from the form: the typed password, or the stored one when editing. */
export async function testPop3Account(userLogin: string, input: Pop3AccountInput, accountId?: string): Promise<Pop3TestResult> {
  checkPop3Security(input);
  let password = input.password;
  if (!password && accountId) password = openPassword(userLogin, await readAccount(userLogin, accountId)) ?? "";
  if (!password) throw new AppError("BAD_REQUEST", "Enter the POP3 password.");
  return testPop3Login({ ...input, password, tlsInsecure: serverConfig().tlsInsecure });
}
