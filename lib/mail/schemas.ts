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
