// POP3 accounts (issue 12): fetched into a folder by the server. Apart from api-client.ts so that
// it loads with Settings, not with the mail view's first visit.
import type { Pop3AccountInput, Pop3AccountView, Pop3TestResult } from "@/lib/mail/fetch-pop3/schemas";
import { json, request } from "./api-client";

export const pop3Api = {
  accounts: () => request<{ accounts: Pop3AccountView[] }>("/api/pop3-accounts").then((r) => r.accounts),
  add: (input: Pop3AccountInput) => request<Pop3AccountView>("/api/pop3-accounts", json("POST", input)),
  update: (id: string, input: Pop3AccountInput) => request<Pop3AccountView>(`/api/pop3-accounts/${encodeURIComponent(id)}`, json("PUT", input)),
  remove: (id: string) => request<void>(`/api/pop3-accounts/${encodeURIComponent(id)}`, { method: "DELETE" }),
  checkNow: (id: string) => request<Pop3AccountView>(`/api/pop3-accounts/${encodeURIComponent(id)}/fetch`, { method: "POST" }),
  test: (input: Pop3AccountInput, accountId?: string) => request<Pop3TestResult>("/api/pop3-accounts/test", json("POST", { ...input, accountId })),
};
