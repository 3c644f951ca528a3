"use client";

// Loaded only when the composer opens (next/dynamic): TipTap and ProseMirror stay out of the
// bundle of someone who only reads mail.
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { Bold, Italic, Link, List, ListOrdered, Quote } from "lucide-react";
import { useEffect, type ReactNode } from "react";
import { Tooltip } from "@/components/ui/tooltip";

// Icons only, so that each button's name is exactly what it does (no "1. List" read as "Numbered list").
function ToolButton({
  label,
  active,
  onClick,
  children,
}: {
  label: string;
  active?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Tooltip label={label}>
      <button
        type="button"
        aria-label={label}
        aria-pressed={active}
        onMouseDown={(e) => e.preventDefault()}
        onClick={onClick}
        className={`inline-flex h-8 w-8 items-center justify-center rounded ${active ? "bg-slate-200 dark:bg-slate-700" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
      >
        {children}
      </button>
    </Tooltip>
  );
}

/**
 * The rich-text body: bold, italic, lists, quotes and links (TipTap's starter kit). Its HTML goes to
 * the server, which keeps only these elements and writes the plain-text alternative.
 */
export default function RichTextEditor({
  initialHtml,
  onChange,
  onFiles,
  autoFocus,
  label = "Message",
}: {
  initialHtml: string;
  /** The editor's accessible name ("Message" in the composer, "Signature" in Settings). */
  label?: string;
  onChange: (html: string) => void;
  /** Pasted or dropped files become attachments rather than inline content. */
  onFiles: (files: File[]) => void;
  autoFocus?: boolean;
}) {
  const editor = useEditor({
    extensions: [
      StarterKit.configure({ link: { openOnClick: false, autolink: true, protocols: ["mailto"] } }),
    ],
    content: initialHtml,
    immediatelyRender: false,
    autofocus: autoFocus ? "start" : false,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-label": label,
        "aria-multiline": "true",
        class: "prose-mail min-h-[12rem] px-3 py-2 text-sm outline-none",
      },
      handlePaste: (_view, event) => {
        const files = Array.from(event.clipboardData?.files ?? []);
        if (!files.length) return false;
        onFiles(files);
        return true;
      },
      handleDrop: (_view, event) => {
        const files = Array.from((event as DragEvent).dataTransfer?.files ?? []);
        if (!files.length) return false;
        onFiles(files);
        return true;
      },
    },
    onUpdate: ({ editor: e }) => onChange(e.getHTML()),
  });

  const marks = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive("bold") ?? false,
      italic: e?.isActive("italic") ?? false,
      bullet: e?.isActive("bulletList") ?? false,
      ordered: e?.isActive("orderedList") ?? false,
      quote: e?.isActive("blockquote") ?? false,
      link: e?.isActive("link") ?? false,
    }),
  });

  useEffect(() => () => editor?.destroy(), [editor]);

  function toggleLink() {
    if (!editor) return;
    if (marks?.link) {
      editor.chain().focus().unsetLink().run();
      return;
    }
    const href = window.prompt("Link address (https://…)")?.trim();
    if (!href) return;
    if (!/^(https?:|mailto:)/i.test(href)) return;
    editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        role="toolbar"
        aria-label="Formatting"
        className="flex flex-wrap gap-0.5 border-b border-slate-200 px-2 py-1 dark:border-slate-800"
      >
        <ToolButton
          label="Bold"
          active={marks?.bold}
          onClick={() => editor?.chain().focus().toggleBold().run()}
        >
          <Bold aria-hidden="true" className="h-4 w-4" />
        </ToolButton>
        <ToolButton
          label="Italic"
          active={marks?.italic}
          onClick={() => editor?.chain().focus().toggleItalic().run()}
        >
          <Italic aria-hidden="true" className="h-4 w-4" />
        </ToolButton>
        <ToolButton
          label="Bulleted list"
          active={marks?.bullet}
          onClick={() => editor?.chain().focus().toggleBulletList().run()}
        >
          <List aria-hidden="true" className="h-4 w-4" />
        </ToolButton>
        <ToolButton
          label="Numbered list"
          active={marks?.ordered}
          onClick={() => editor?.chain().focus().toggleOrderedList().run()}
        >
          <ListOrdered aria-hidden="true" className="h-4 w-4" />
        </ToolButton>
        <ToolButton
          label="Quote"
          active={marks?.quote}
          onClick={() => editor?.chain().focus().toggleBlockquote().run()}
        >
          <Quote aria-hidden="true" className="h-4 w-4" />
        </ToolButton>
        <ToolButton label="Link" active={marks?.link} onClick={toggleLink}>
          <Link aria-hidden="true" className="h-4 w-4" />
        </ToolButton>
      </div>
      <EditorContent editor={editor} className="min-h-0 flex-1 overflow-y-auto" />
    </div>
  );
}
