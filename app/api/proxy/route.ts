// GET /api/proxy?url=&sig= – a remote image of a message the user allowed remote content for, fetched by the server
import { z } from "zod";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { fetchRemoteImage } from "@/lib/image-proxy/fetch-remote-image";
import { BLANK_GIF } from "@/lib/image-proxy/image-type";
import { verifyImageUrl } from "@/lib/image-proxy/sign-image-url";

const query = z.object({ url: z.string().min(1).max(8192), sig: z.string().min(1).max(128) });

export const GET = mailRoute(async (request, { account }) => {
  const q = parseOrThrow(query, searchParamsOf(request));
  if (!verifyImageUrl(account.login, q.url, q.sig)) throw new AppError("IMAGE_LINK_INVALID");
  const image = await fetchRemoteImage(q.url, { allowHosts: serverConfig().imageProxyAllowHosts, signal: request.signal });
  // A 1×1 image is a tracking pixel: the browser gets a blank one of ours, none of the sender's bytes.
  const [type, bytes] = image.trackingPixel ? ["image/gif", BLANK_GIF] : [image.type, image.bytes];
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": type,
      "Content-Length": String(bytes.length),
      // The type is the one the bytes were sniffed as; opened in a tab on its own it is still inert.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "private, max-age=3600",
      "Referrer-Policy": "no-referrer",
    },
  });
});
