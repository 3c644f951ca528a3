import { z } from "zod";
import { MAX_CONVERSATION_MEMBERS, MAX_SNIPPET_UIDS } from "./types";

// Shared by the forms and the server; the server never trusts that the form ran them.

export const signInSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export const folderPathSchema = z.string().min(1).max(1000);

export const uidSchema = z.coerce.number().int().min(1).max(4_294_967_295);

export const uidValiditySchema = z.string().regex(/^\d{1,20}$/);

export const messageRefQuerySchema = z.object({
  folder: folderPathSchema,
  uidValidity: uidValiditySchema,
});

export const messageListQuerySchema = z.object({
  folder: folderPathSchema,
  page: z.coerce.number().int().min(0).max(10_000_000).default(0),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  sort: z.enum(["date", "arrival", "from", "subject", "size"]).default("date"),
  order: z.enum(["desc", "asc"]).default("desc"),
});

/** `uids` is "12,13,40": UIDs of one folder's rows on screen, each an IMAP UID (never a range). */
export const snippetQuerySchema = z.object({
  folder: folderPathSchema,
  uidValidity: uidValiditySchema,
  uids: z
    .string()
    .max(MAX_SNIPPET_UIDS * 11)
    .regex(/^\d{1,10}(,\d{1,10})*$/, "UIDs separated by commas")
    .transform((text) => text.split(",").map(Number))
    .pipe(z.array(z.number().int().min(1).max(4_294_967_295)).min(1).max(MAX_SNIPPET_UIDS)),
});

export const conversationListQuerySchema = messageListQuerySchema.pick({ folder: true, page: true, pageSize: true, order: true });

/**
 * GET /api/conversations/[uid]: `members` is "12,13,40", the conversation's UIDs in the folder as
 * the list's row has them (from the server's THREAD), so opening it need not thread the folder again.
 */
export const conversationQuerySchema = messageRefQuerySchema.extend({
  members: z
    .string()
    .max(MAX_CONVERSATION_MEMBERS * 11)
    .regex(/^\d{1,10}(,\d{1,10})*$/, "UIDs separated by commas")
    .transform((text) => text.split(",").map(Number))
    .pipe(z.array(z.number().int().min(1).max(4_294_967_295)).min(1).max(MAX_CONVERSATION_MEMBERS))
    .optional(),
});

export const flagChangeSchema = z
  .object({ seen: z.boolean().optional(), flagged: z.boolean().optional() })
  .refine((v) => v.seen !== undefined || v.flagged !== undefined, "Say which flag to change");

export const partIdSchema = z.string().regex(/^\d+(\.\d+)*$/);

// --- Compose and send ---------------------------------------------------------------------------

export const addressSchema = z.object({ name: z.string().max(300).default(""), address: z.string().max(320) });

const recipients = z.array(addressSchema).max(500).default([]);

export const messageRefSchema = z.object({ folder: folderPathSchema, uidValidity: uidValiditySchema, uid: uidSchema });

export const uploadIdSchema = z.uuid();

export const composeInputSchema = z.object({
  to: recipients,
  cc: recipients,
  bcc: recipients,
  subject: z.string().max(2000).default(""),
  format: z.enum(["html", "text"]).default("html"),
  body: z.string().max(5_000_000).default(""),
  attachmentIds: z.array(uploadIdSchema).max(100).default([]),
  inReplyTo: z.string().max(1000).nullable().default(null),
  references: z.array(z.string().max(1000)).max(100).default([]),
  origin: z.object({ mode: z.enum(["reply", "forward"]), ref: messageRefSchema }).nullable().default(null),
});

export const sendRequestSchema = composeInputSchema.extend({
  idempotencyKey: z.uuid(),
  draft: messageRefSchema.nullable().default(null),
});

/** POST /api/outbox: a send through the outbox; `sendAt` (epoch ms) schedules it instead of the undo window. */
export const outboxEnqueueSchema = sendRequestSchema.extend({ sendAt: z.number().int().positive().nullable().default(null) });

/** The id of an outbox message: the composer's idempotency key. */
export const outboxIdSchema = z.object({ id: z.uuid() });

export const saveDraftRequestSchema = composeInputSchema.extend({ replaces: messageRefSchema.nullable().default(null) });

export const composeStartSchema = messageRefSchema.extend({ mode: z.enum(["reply", "replyAll", "forward"]) });

export const contactQuerySchema = z.object({ q: z.string().max(200).default("") });

export const uploadHeadersSchema = z.object({
  filename: z.string().min(1).max(1000),
  contentType: z.string().max(200).default("application/octet-stream"),
  size: z.coerce.number().int().min(0).optional(),
});

// --- Organizing (issue 4) ---------------------------------------------------------------------

/** A folder's own name (one level); the server checks the delimiter, which only it knows. */
export const folderNameSchema = z
  .string()
  .trim()
  .min(1, "Give the folder a name")
  .max(200, "Folder names are limited to 200 characters");

export const createFolderSchema = z.object({
  name: folderNameSchema,
  /** null: at the top level. */
  parentPath: folderPathSchema.nullable().default(null),
});

/** Rename and/or move under another parent; at least one of the two. */
export const updateFolderSchema = z
  .object({
    path: folderPathSchema,
    name: folderNameSchema.optional(),
    /** null: to the top level; absent: keep the parent. */
    parentPath: folderPathSchema.nullable().optional(),
  })
  .refine((v) => v.name !== undefined || v.parentPath !== undefined, "Say the new name or the new parent");

export const deleteFolderQuerySchema = z.object({
  path: folderPathSchema,
  /** "1": delete its messages for good instead of moving them to Trash. */
  permanent: z.enum(["0", "1"]).default("0"),
});

export const folderSubscriptionSchema = z.object({ path: folderPathSchema, subscribed: z.boolean() });

export const folderListQuerySchema = z.object({ all: z.enum(["0", "1"]).default("0") });

/** Actions are sent in batches; the browser splits a whole-folder selection into these. */
export const MAX_UIDS_PER_ACTION = 1000;

export const messageActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("flags"), seen: z.boolean().optional(), flagged: z.boolean().optional() }),
  z.object({ type: z.literal("move"), destination: folderPathSchema }),
  z.object({ type: z.literal("copy"), destination: folderPathSchema }),
  z.object({ type: z.literal("archive") }),
  z.object({ type: z.literal("junk") }),
  z.object({ type: z.literal("trash") }),
  z.object({ type: z.literal("deletePermanently") }),
]);

export const messageActionRequestSchema = z.object({
  folder: folderPathSchema,
  uidValidity: uidValiditySchema,
  uids: z.array(uidSchema).min(1).max(MAX_UIDS_PER_ACTION),
  action: messageActionSchema,
});

export const messageUidsQuerySchema = z.object({
  folder: folderPathSchema,
  // The list's own order, so "select all" walks the folder as the user sees it.
  sort: messageListQuerySchema.shape.sort,
  order: messageListQuerySchema.shape.order,
});

// --- Search (issue 11) --------------------------------------------------------------------------

export const searchQuerySchema = z.object({
  // The parser gives the precise message for a query too long or empty (SEARCH_INVALID).
  q: z.string().max(2000),
  folder: folderPathSchema.default("INBOX"),
  page: messageListQuerySchema.shape.page,
  pageSize: messageListQuerySchema.shape.pageSize,
});

export const searchUidsQuerySchema = searchQuerySchema.pick({ q: true, folder: true });

// --- Settings -----------------------------------------------------------------------------------

// Each setting once, without its default: the patch below must not fill in what the user did not send.
const settingFields = {
  // It goes into the From header: no line breaks or other control characters.
  displayName: z
    .string()
    .trim()
    .max(200)
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "must not contain line breaks or control characters"),
  signature: z.object({ format: z.enum(["text", "html"]).default("text"), body: z.string().max(20_000).default("") }),
  density: z.enum(["comfortable", "compact"]),
  autoAdvance: z.enum(["newer", "older", "list"]),
  theme: z.enum(["system", "light", "dark"]),
  undoSendSeconds: z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(20), z.literal(30)]),
  conversations: z.boolean(),
};

export const userSettingsSchema = z.object({
  displayName: settingFields.displayName.default(""),
  signature: settingFields.signature.default({ format: "text", body: "" }),
  density: settingFields.density.default("comfortable"),
  autoAdvance: settingFields.autoAdvance.default("newer"),
  theme: settingFields.theme.default("system"),
  undoSendSeconds: settingFields.undoSendSeconds.default(10),
  conversations: settingFields.conversations.default(true),
});

/**
 * PUT /api/settings takes any subset; the server merges it into what it has. Built from the fields
 * without defaults: zod 4 applies a default inside .partial(), so userSettingsSchema.partial()
 * would turn {theme} into every setting at its default and reset the rest.
 */
export const userSettingsPatchSchema = z.object(settingFields).partial();

export const defaultSettings = userSettingsSchema.parse({});
