// POP3 accounts as the settings form and the API exchange them (issue 12). No server-only: the
// form uses the schema and the types; nothing here touches a protocol or a secret.
import { z } from "zod";

export const pop3SecurityValues = ["tls", "starttls", "none"] as const;
export const fetchModeValues = ["keep", "delete"] as const;

export const pop3AccountInputSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, "Enter the server's name")
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, "Enter a server name such as pop.example.org"),
  port: z.coerce.number().int().min(1).max(65535),
  security: z.enum(pop3SecurityValues),
  login: z.string().trim().min(1, "Enter the login").max(320),
  /** Empty when editing keeps the stored password. */
  password: z.string().max(1024).default(""),
  folder: z.string().trim().min(1, "Choose a folder").max(200),
  mode: z.enum(fetchModeValues),
});
export type Pop3AccountInput = z.infer<typeof pop3AccountInputSchema>;

/** What the browser sees of an account: never the password. */
export interface Pop3AccountView {
  id: string;
  host: string;
  port: number;
  security: (typeof pop3SecurityValues)[number];
  login: string;
  folder: string;
  mode: (typeof fetchModeValues)[number];
  status: Pop3AccountStatus;
}

export interface Pop3AccountStatus {
  /** ISO time of the last fetch that ended, or null before the first. */
  lastRunAt: string | null;
  /** Messages fetched by that run. */
  lastFetched: number;
  /** All messages fetched since the account was added. */
  totalFetched: number;
  /** Messages left on the server as too large in that run, by subject. */
  tooLarge: string[];
  /** The last run's problem in plain words, or null. */
  lastError: { code: string; message: string } | null;
  /** ISO time of the next scheduled fetch. */
  nextRunAt: string | null;
}

export type Pop3TestResult = { ok: true; messages: number } | { ok: false; problem: { code: string; message: string } };
