import { z } from "zod";

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

export const saveDraftRequestSchema = composeInputSchema.extend({ replaces: messageRefSchema.nullable().default(null) });

export const composeStartSchema = messageRefSchema.extend({ mode: z.enum(["reply", "replyAll", "forward"]) });

export const contactQuerySchema = z.object({ q: z.string().max(200).default("") });

export const uploadHeadersSchema = z.object({
  filename: z.string().min(1).max(1000),
  contentType: z.string().max(200).default("application/octet-stream"),
  size: z.coerce.number().int().min(0).optional(),
});
