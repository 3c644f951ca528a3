"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { ApiError } from "@/components/mail/data/api-client";
import { pop3Api } from "@/components/mail/data/pop3-api";
import { Button } from "@/components/ui/button";
import type { Pop3AccountInput, Pop3AccountView } from "@/lib/mail/fetch-pop3/schemas";
import { ChoiceGroup } from "./choice-group";
import { chosenFolder, defaultFolderName, initialFolderChoice, resolveChoice } from "./pop3-folder-choice";
import { Pop3FolderField, useDestinationFolders } from "./pop3-folder-field";
import { SettingsSection } from "./settings-section";

const defaultPorts = { tls: 995, starttls: 110, none: 110 } as const;
const emptyInput: Pop3AccountInput = { host: "", port: 995, security: "tls", login: "", password: "", folder: "", mode: "keep" };

const inputClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

function describeStatus(account: Pop3AccountView): string {
  const s = account.status;
  if (!s.lastRunAt) return "Not fetched yet; the first fetch is due within a minute.";
  const when = new Date(s.lastRunAt).toLocaleString();
  const count = `${s.lastFetched} ${s.lastFetched === 1 ? "message" : "messages"} fetched`;
  const next = s.nextRunAt ? ` Next fetch ${new Date(s.nextRunAt).toLocaleTimeString()}.` : "";
  return `Last fetch ${when}: ${count} (${s.totalFetched} in all).${next}`;
}

/**
 * "POP3 accounts": mailboxes the server fetches into a folder of this mailbox on a schedule.
 * Passwords go to the server only; the list shows settings and status, never a password.
 */
export function Pop3AccountsSection() {
  const [accounts, setAccounts] = useState<Pop3AccountView[] | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; input: Pop3AccountInput } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    pop3Api.accounts().then(setAccounts, (error: unknown) => {
      setAccounts([]);
      setMessage(error instanceof ApiError ? error.message : "The POP3 accounts could not be loaded.");
    });
  }, []);

  // Puts an account the server answered with in its place, or at the end when it is new.
  const replace = (view: Pop3AccountView) =>
    setAccounts((list) => {
      const current = list ?? [];
      return current.some((a) => a.id === view.id) ? current.map((a) => (a.id === view.id ? view : a)) : [...current, view];
    });

  async function act(id: string, work: () => Promise<void>) {
    setBusy(id);
    setMessage(null);
    try {
      await work();
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : "That did not work. Try again.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <SettingsSection
      id="pop3-accounts"
      title="POP3 accounts"
      description="Mail from other mailboxes that offer only POP3, fetched into a folder here every 5 minutes, even while Letterbox is closed."
    >
      {accounts === null ? <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p> : null}
      {accounts && accounts.length === 0 && !editing ? <p className="text-sm text-slate-600 dark:text-slate-400">No POP3 accounts yet.</p> : null}
      {accounts && accounts.length > 0 ? (
        <ul className="space-y-3" aria-label="POP3 accounts">
          {accounts.map((account) => (
            <li key={account.id} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" aria-label={`${account.login} on ${account.host}`}>
              <p className="text-sm font-medium break-words">
                {account.login} on {account.host}:{account.port} → {account.folder}
              </p>
              <p className="text-xs text-slate-600 dark:text-slate-400">
                {account.mode === "keep" ? "Leaves messages on the server" : "Deletes messages from the server after fetching"}
              </p>
              <p className="mt-1 text-sm" role="status">
                {describeStatus(account)}
              </p>
              {account.status.tooLarge.length > 0 ? (
                <p className="text-sm text-amber-700 dark:text-amber-400">Too large to fetch, left on the server: {account.status.tooLarge.join(", ")}</p>
              ) : null}
              {account.status.lastError ? (
                <p className="text-sm text-red-700 dark:text-red-400">Last error: {account.status.lastError.message}</p>
              ) : null}
              <div className="mt-2 flex flex-wrap gap-2">
                <Button
                  disabled={busy === account.id}
                  onClick={() => act(account.id, async () => replace(await pop3Api.checkNow(account.id)))}
                >
                  {busy === account.id ? "Checking…" : "Check now"}
                </Button>
                <Button
                  onClick={() =>
                    setEditing({
                      id: account.id,
                      input: { host: account.host, port: account.port, security: account.security, login: account.login, password: "", folder: account.folder, mode: account.mode },
                    })
                  }
                >
                  Edit
                </Button>
                <Button
                  aria-label={`Remove ${account.login} on ${account.host}`}
                  onClick={() =>
                    act(account.id, async () => {
                      await pop3Api.remove(account.id);
                      setAccounts((list) => (list ?? []).filter((a) => a.id !== account.id));
                    })
                  }
                >
                  Remove
                </Button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {message ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {message}
        </p>
      ) : null}
      {editing ? (
        <Pop3AccountForm
          key={editing.id ?? "new"}
          accountId={editing.id}
          initial={editing.input}
          onCancel={() => setEditing(null)}
          onSaved={(view) => {
            replace(view);
            setEditing(null);
          }}
        />
      ) : (
        <Button variant="primary" onClick={() => setEditing({ id: null, input: emptyInput })}>
          Add POP3 account
        </Button>
      )}
    </SettingsSection>
  );
}

function Pop3AccountForm({
  accountId,
  initial,
  onCancel,
  onSaved,
}: {
  accountId: string | null;
  initial: Pop3AccountInput;
  onCancel: () => void;
  onSaved: (view: Pop3AccountView) => void;
}) {
  const id = useId();
  const [input, setInput] = useState(initial);
  const [folderChoice, setFolderChoice] = useState(() => initialFolderChoice(initial.folder));
  const destinations = useDestinationFolders();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState<"test" | "save" | null>(null);
  const set = <K extends keyof Pop3AccountInput>(key: K, value: Pop3AccountInput[K]) => {
    setInput((current) => ({ ...current, [key]: value }));
    setResult(null);
  };
  // The destination defaults to a new folder named after the account, until the user picks or names one.
  const folder = resolveChoice(folderChoice, destinations.folders);
  const defaultName = defaultFolderName(input.login, input.host, destinations.folders?.[0]?.delimiter ?? "/");
  const submitted = (): Pop3AccountInput => ({ ...input, folder: chosenFolder(folder, defaultName) });

  async function test() {
    setPending("test");
    try {
      const outcome = await pop3Api.test(submitted(), accountId ?? undefined);
      setResult(
        outcome.ok
          ? { ok: true, text: `Connected and logged in: ${outcome.messages} ${outcome.messages === 1 ? "message" : "messages"} on the server.` }
          : { ok: false, text: outcome.problem.message },
      );
    } catch (error) {
      setResult({ ok: false, text: error instanceof ApiError ? error.message : "The test could not be run." });
    } finally {
      setPending(null);
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setPending("save");
    try {
      onSaved(accountId ? await pop3Api.update(accountId, submitted()) : await pop3Api.add(submitted()));
    } catch (error) {
      setResult({ ok: false, text: error instanceof ApiError ? error.message : "The account was not saved. Try again." });
    } finally {
      setPending(null);
    }
  }

  return (
    <form onSubmit={save} aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h3 id={`${id}-title`} className="text-sm font-semibold">
        {accountId ? "Edit POP3 account" : "Add POP3 account"}
      </h3>
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_7rem]">
        <label className="block text-sm font-medium">
          Server
          <input className={inputClass} value={input.host} onChange={(e) => set("host", e.target.value)} autoComplete="off" placeholder="pop.example.org" required />
        </label>
        <label className="block text-sm font-medium">
          Port
          <input className={inputClass} type="number" inputMode="numeric" min={1} max={65535} value={input.port} onChange={(e) => set("port", Number(e.target.value))} required />
        </label>
      </div>
      <div>
        <label htmlFor={`${id}-security`} className="block text-sm font-medium">
          Security
        </label>
        <select
          id={`${id}-security`}
          className={inputClass}
          value={input.security}
          onChange={(e) => {
            const security = e.target.value as Pop3AccountInput["security"];
            setInput((current) => ({ ...current, security, port: current.port === defaultPorts[current.security] ? defaultPorts[security] : current.port }));
            setResult(null);
          }}
        >
          <option value="tls">TLS</option>
          <option value="starttls">STARTTLS</option>
          <option value="none">None</option>
        </select>
      </div>
      {input.security === "none" ? (
        <p role="note" className="text-sm text-amber-700 dark:text-amber-400">
          Without encryption the password and every message cross the network readable by anyone on the way. Letterbox refuses this unless its administrator allowed it.
        </p>
      ) : null}
      <label className="block text-sm font-medium">
        Login
        <input className={inputClass} value={input.login} onChange={(e) => set("login", e.target.value)} autoComplete="off" required />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input
          className={inputClass}
          type="password"
          value={input.password}
          onChange={(e) => set("password", e.target.value)}
          autoComplete="new-password"
          placeholder={accountId ? "Leave empty to keep the saved password" : undefined}
          required={!accountId}
        />
      </label>
      <Pop3FolderField
        choice={folder}
        onChange={(choice) => {
          setFolderChoice(choice);
          setResult(null);
        }}
        folders={destinations.folders}
        failed={destinations.failed}
        defaultName={defaultName}
      />
      <ChoiceGroup
        legend="After fetching"
        name={`${id}-mode`}
        value={input.mode}
        onChange={(mode) => set("mode", mode)}
        choices={[
          { value: "keep", label: "Leave messages on the server" },
          { value: "delete", label: "Delete messages from the server after fetching" },
        ]}
      />
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={`text-sm ${result.ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}`}>
          {result.text}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button onClick={test} disabled={pending !== null}>
          {pending === "test" ? "Testing…" : "Test connection"}
        </Button>
        <Button type="submit" variant="primary" disabled={pending !== null}>
          {pending === "save" ? "Saving…" : "Save"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
