"use client";

import dynamic from "next/dynamic";
import { useId } from "react";
import type { UserSettings } from "@/lib/mail/types";
import { ChoiceGroup } from "./choice-group";
import { signatureHtmlToText, textToSignatureHtml } from "./signature-text";

// TipTap loads only when the user picks a rich signature, as in the composer.
const RichTextEditor = dynamic(() => import("@/components/mail/composer/rich-text-editor"), {
  ssr: false,
  loading: () => <p className="px-3 py-2 text-sm text-slate-600 dark:text-slate-400">Loading the editor…</p>,
});

type Signature = UserSettings["signature"];

const inputFrame =
  "w-full rounded-lg bg-white ring-1 ring-slate-300 focus-within:ring-2 focus-within:ring-accent-500 dark:bg-slate-950 dark:ring-slate-700";

/** The signature added to new messages and replies: plain text, or rich text in the composer's editor. */
export function SignatureField({ value, onChange }: { value: Signature; onChange: (value: Signature) => void }) {
  const id = useId();
  const switchFormat = (format: Signature["format"]) => {
    if (format === value.format) return;
    const body = format === "html" ? textToSignatureHtml(value.body) : signatureHtmlToText(value.body);
    onChange({ format, body });
  };
  return (
    <div className="space-y-3">
      <ChoiceGroup
        legend="Signature format"
        name="signature-format"
        value={value.format}
        onChange={switchFormat}
        choices={[
          { value: "text", label: "Plain text" },
          { value: "html", label: "Rich text", hint: "Bold, italic, lists and links, as in the composer." },
        ]}
      />
      <div>
        <label htmlFor={`${id}-text`} id={`${id}-label`} className="mb-1 block text-sm font-medium">
          Signature
        </label>
        <p id={`${id}-hint`} className="mb-2 text-sm text-slate-600 dark:text-slate-400">
          Added below new messages and replies. Leave it empty for none.
        </p>
        {value.format === "text" ? (
          <textarea
            id={`${id}-text`}
            aria-describedby={`${id}-hint`}
            value={value.body}
            onChange={(event) => onChange({ format: "text", body: event.target.value })}
            rows={4}
            maxLength={20_000}
            className={`${inputFrame} block px-3 py-2 font-mono text-sm outline-none`}
          />
        ) : (
          <div className={inputFrame}>
            <RichTextEditor
              key="signature"
              label="Signature"
              initialHtml={value.body}
              onChange={(html) => onChange({ format: "html", body: html })}
              onFiles={() => undefined}
            />
          </div>
        )}
      </div>
    </div>
  );
}
