import { describe, expect, it } from "vitest";
import { finalizeAttachments } from "./finalize-attachments";
import type { MimeNode } from "./mime-node";
import { planBody } from "./plan-body";

const text = (part: string, extra: Partial<MimeNode> = {}): MimeNode => ({
  part,
  type: "text/plain",
  parameters: { charset: "utf-8" },
  size: 120,
  ...extra,
});
const html = (part: string, extra: Partial<MimeNode> = {}): MimeNode => ({
  part,
  type: "text/html",
  parameters: { charset: "utf-8" },
  size: 480,
  ...extra,
});
const multipart = (
  subtype: string,
  part: string | undefined,
  childNodes: MimeNode[],
  extra: Partial<MimeNode> = {},
): MimeNode => ({
  ...(part === undefined ? {} : { part }),
  type: `multipart/${subtype}`,
  childNodes,
  ...extra,
});

describe("planBody", () => {
  it("uses a single text/plain root as part 1", () => {
    const plan = planBody({ type: "text/plain", parameters: { charset: "us-ascii" }, size: 42 });
    expect(plan).toEqual({ htmlPart: null, textPart: "1", inlineByCid: new Map(), attachments: [] });
  });

  it("uses a single text/html root as the HTML body", () => {
    const plan = planBody({ type: "text/html", size: 42 });
    expect(plan.htmlPart).toBe("1");
    expect(plan.textPart).toBeNull();
  });

  it("prefers the HTML alternative and keeps the plain one as text", () => {
    const plan = planBody(multipart("alternative", undefined, [text("1"), html("2")]));
    expect(plan).toEqual({ htmlPart: "2", textPart: "1", inlineByCid: new Map(), attachments: [] });
  });

  it("takes the last of several HTML alternatives (RFC 2046 §5.1.4)", () => {
    const plan = planBody(multipart("alternative", undefined, [html("1"), text("2"), html("3")]));
    expect(plan.htmlPart).toBe("3");
    expect(plan.textPart).toBe("2");
    expect(plan.attachments).toEqual([]);
  });

  it("prefers HTML even when it is not the last alternative", () => {
    const plan = planBody(multipart("alternative", undefined, [html("1"), text("2")]));
    expect(plan.htmlPart).toBe("1");
    expect(plan.textPart).toBe("2");
  });

  it("lists an alternative it cannot show (a calendar invitation) as an attachment", () => {
    const plan = planBody(
      multipart("alternative", undefined, [
        text("1"),
        html("2"),
        { part: "3", type: "text/calendar", parameters: { method: "REQUEST", charset: "UTF-8" }, size: 900 },
      ]),
    );
    expect(plan.htmlPart).toBe("2");
    expect(plan.attachments).toEqual([
      {
        partId: "3",
        filename: "attachment-3.ics",
        contentType: "text/calendar; charset=utf-8",
        size: 900,
        inline: false,
        contentId: null,
      },
    ]);
  });

  it("shows multipart/related's root and offers its Content-ID'd parts inline", () => {
    const plan = planBody(
      multipart("related", undefined, [
        html("1"),
        {
          part: "2",
          type: "image/png",
          id: "<logo@example.com>",
          size: 2048,
          parameters: { name: "logo.png" },
        },
        { part: "3", type: "image/gif", id: "pixel@example.com", size: 43, disposition: "inline" },
      ]),
    );
    expect(plan.htmlPart).toBe("1");
    expect(plan.textPart).toBeNull();
    expect([...plan.inlineByCid]).toEqual([
      ["logo@example.com", { partId: "2", contentType: "image/png" }],
      ["pixel@example.com", { partId: "3", contentType: "image/gif" }],
    ]);
    expect(plan.attachments).toEqual([
      {
        partId: "2",
        filename: "logo.png",
        contentType: "image/png",
        size: 2048,
        inline: true,
        contentId: "logo@example.com",
      },
      {
        partId: "3",
        filename: "attachment-3.gif",
        contentType: "image/gif",
        size: 43,
        inline: true,
        contentId: "pixel@example.com",
      },
    ]);
  });

  it("finds the related root by its start parameter (RFC 2387 §3.2)", () => {
    const plan = planBody(
      multipart(
        "related",
        undefined,
        [{ part: "1", type: "image/png", id: "<img@x>", size: 10 }, html("2", { id: "<root@x>" })],
        { parameters: { type: "text/html", start: "<root@x>" } },
      ),
    );
    expect(plan.htmlPart).toBe("2");
    expect(plan.inlineByCid.get("img@x")).toEqual({ partId: "1", contentType: "image/png" });
  });

  it("handles mixed with an alternative, a PDF, a forwarded message and a footer", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        multipart("alternative", "1", [text("1.1"), html("1.2")]),
        {
          part: "2",
          type: "application/pdf",
          disposition: "attachment",
          dispositionParameters: { filename: "report.pdf" },
          size: 50_000,
        },
        {
          part: "3",
          type: "message/rfc822",
          size: 3_000,
          envelope: { subject: "Re: Lunch/Plans" },
          childNodes: [multipart("alternative", "3.1", [text("3.1.1"), html("3.1.2")])],
        },
        text("4", { disposition: "inline", size: 80, parameters: { charset: "ISO-8859-1" } }),
      ]),
    );
    expect(plan.htmlPart).toBe("1.2");
    expect(plan.textPart).toBe("1.1");
    expect(plan.inlineByCid.size).toBe(0);
    expect(plan.attachments).toEqual([
      {
        partId: "2",
        filename: "report.pdf",
        contentType: "application/pdf",
        size: 50_000,
        inline: false,
        contentId: null,
      },
      {
        partId: "3",
        filename: "Re: Lunch_Plans.eml",
        contentType: "message/rfc822",
        size: 3_000,
        inline: false,
        contentId: null,
      },
      {
        partId: "4",
        filename: "attachment-4.txt",
        contentType: "text/plain; charset=iso-8859-1",
        size: 80,
        inline: false,
        contentId: null,
      },
    ]);
  });

  it("never takes the body from inside an attached message", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        { part: "1", type: "message/rfc822", size: 900, childNodes: [html("1.1")] },
      ]),
    );
    expect(plan.htmlPart).toBeNull();
    expect(plan.textPart).toBeNull();
    expect(plan.attachments.map((a) => [a.partId, a.filename])).toEqual([["1", "attachment-1.eml"]]);
  });

  it("names a forwarded message by its own filename before its subject", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        text("1"),
        {
          part: "2",
          type: "message/rfc822",
          size: 9,
          parameters: { name: "fwd.eml" },
          envelope: { subject: "Ignored" },
        },
      ]),
    );
    expect(plan.attachments[0]?.filename).toBe("fwd.eml");
  });

  it("finds an alternative inside mixed inside related", () => {
    const plan = planBody(
      multipart("related", undefined, [
        multipart("mixed", "1", [
          multipart("alternative", "1.1", [text("1.1.1"), html("1.1.2")]),
          {
            part: "1.2",
            type: "image/jpeg",
            disposition: "attachment",
            dispositionParameters: { filename: "photo.jpg" },
            size: 7000,
          },
        ]),
        { part: "2", type: "image/png", id: "<chart@x>", size: 500 },
      ]),
    );
    expect(plan.htmlPart).toBe("1.1.2");
    expect(plan.textPart).toBe("1.1.1");
    expect([...plan.inlineByCid.keys()]).toEqual(["chart@x"]);
    expect(plan.attachments.map((a) => [a.partId, a.filename, a.inline])).toEqual([
      ["1.2", "photo.jpg", false],
      ["2", "attachment-2.png", true],
    ]);
  });

  it("has no body when there is no text at all", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        {
          part: "1",
          type: "application/zip",
          size: 10,
          dispositionParameters: { filename: "a.zip" },
          disposition: "attachment",
        },
        { part: "2", type: "image/png", size: 10 },
      ]),
    );
    expect(plan.htmlPart).toBeNull();
    expect(plan.textPart).toBeNull();
    expect(plan.attachments.map((a) => a.filename)).toEqual(["a.zip", "attachment-2.png"]);
  });

  it("lists a single-part non-text message as attachment part 1", () => {
    const plan = planBody({
      type: "application/pdf",
      size: 10,
      disposition: "attachment",
      dispositionParameters: { filename: "x.pdf" },
    });
    expect(plan.htmlPart).toBeNull();
    expect(plan.attachments).toEqual([
      {
        partId: "1",
        filename: "x.pdf",
        contentType: "application/pdf",
        size: 10,
        inline: false,
        contentId: null,
      },
    ]);
  });

  it("does not show a text part marked as attachment", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        text("1", { disposition: "attachment", dispositionParameters: { filename: "notes.txt" } }),
        html("2"),
      ]),
    );
    expect(plan.htmlPart).toBe("2");
    expect(plan.textPart).toBeNull();
    expect(plan.attachments.map((a) => a.filename)).toEqual(["notes.txt"]);
  });

  it("reads multipart/signed like mixed: content first, signature listed", () => {
    const plan = planBody(
      multipart("signed", undefined, [
        text("1"),
        { part: "2", type: "application/pgp-signature", size: 800, parameters: { name: "signature.asc" } },
      ]),
    );
    expect(plan.textPart).toBe("1");
    expect(plan.attachments.map((a) => a.filename)).toEqual(["signature.asc"]);
  });

  it("shows one representation of an alternative that is not the body", () => {
    const plan = planBody(
      multipart("mixed", undefined, [text("1"), multipart("alternative", "2", [text("2.1"), html("2.2")])]),
    );
    expect(plan.textPart).toBe("1");
    expect(plan.htmlPart).toBeNull();
    expect(plan.attachments.map((a) => [a.partId, a.filename, a.contentType])).toEqual([
      ["2.2", "attachment-2.2.html", "text/html; charset=utf-8"],
    ]);
  });

  it("does not offer Content-ID'd parts of multipart/mixed as inline", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        html("1"),
        { part: "2", type: "image/png", id: "<a@b>", size: 10, disposition: "attachment" },
      ]),
    );
    expect(plan.inlineByCid.size).toBe(0);
    expect(plan.attachments[0]?.inline).toBe(false);
    expect(plan.attachments[0]?.contentId).toBe("a@b");
  });

  it("keeps only the first of two parts with the same Content-ID inline", () => {
    const plan = planBody(
      multipart("related", undefined, [
        html("1"),
        { part: "2", type: "image/png", id: "<same@x>", size: 10 },
        { part: "3", type: "image/png", id: "<same@x>", size: 10 },
      ]),
    );
    expect(plan.inlineByCid.get("same@x")?.partId).toBe("2");
    expect(plan.attachments.map((a) => a.inline)).toEqual([true, false]);
  });

  it("decodes RFC 2047 filenames and removes paths and control characters", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        text("1"),
        {
          part: "2",
          type: "application/pdf",
          size: 1,
          dispositionParameters: { filename: "=?UTF-8?B?w6TDtsO8LnBkZg==?=" },
        },
        { part: "3", type: "application/octet-stream", size: 1, parameters: { name: "../../etc/passwd" } },
        {
          part: "4",
          type: "application/octet-stream",
          size: 1,
          parameters: { name: "=?UTF-8?Q?evil=0D=0AX-Header:_1.txt?=" },
        },
        {
          part: "5",
          type: "application/x-msdownload",
          size: 1,
          parameters: { name: "invoice\u202Efdp.exe" },
        },
        { part: "6", type: "application/pdf", size: 1, parameters: { name: "C:\\Users\\me\\scan.pdf" } },
        { part: "7", type: "image/png", size: 1, parameters: { name: "/" } },
      ]),
    );
    expect(plan.attachments.map((a) => a.filename)).toEqual([
      "äöü.pdf",
      "_.._etc_passwd",
      "evilX-Header: 1.txt",
      "invoicefdp.exe",
      "C:_Users_me_scan.pdf",
      "_",
    ]);
  });

  it("prefers the disposition filename over the content-type name", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        text("1"),
        {
          part: "2",
          type: "application/pdf",
          size: 1,
          parameters: { name: "type-name.pdf" },
          dispositionParameters: { filename: "disp.pdf" },
        },
      ]),
    );
    expect(plan.attachments[0]?.filename).toBe("disp.pdf");
  });

  it("skips empty unnamed parts but keeps empty named ones", () => {
    const plan = planBody(
      multipart("mixed", undefined, [
        text("1"),
        { part: "2", type: "application/octet-stream", size: 0 },
        { part: "3", type: "application/octet-stream" },
        {
          part: "4",
          type: "text/plain",
          size: 0,
          dispositionParameters: { filename: "empty.txt" },
          disposition: "attachment",
        },
      ]),
    );
    expect(plan.attachments.map((a) => [a.partId, a.filename, a.size])).toEqual([["4", "empty.txt", 0]]);
  });

  it("finds a body 40 levels deep", () => {
    let node: MimeNode = text("x");
    for (let i = 0; i < 40; i++) node = multipart("mixed", undefined, [node]);
    // "x" is no part number, so it is derived from the path: 1.1.1...
    const plan = planBody(node);
    expect(plan.textPart).toBe(Array.from({ length: 40 }, () => "1").join("."));
  });

  it("stops at the depth cap instead of recursing through thousands of levels", () => {
    let node: MimeNode = text("deep");
    for (let i = 0; i < 5000; i++) node = multipart("mixed", undefined, [node]);
    const plan = planBody(node);
    expect(plan).toEqual({ htmlPart: null, textPart: null, inlineByCid: new Map(), attachments: [] });
  });

  it("copes with empty multiparts and missing pieces", () => {
    expect(planBody(multipart("mixed", undefined, []))).toEqual({
      htmlPart: null,
      textPart: null,
      inlineByCid: new Map(),
      attachments: [],
    });
    expect(planBody({ type: "multipart/alternative" }).htmlPart).toBeNull();
    expect(planBody({ type: "multipart/related", childNodes: [] }).htmlPart).toBeNull();
    const odd = planBody({
      type: "multipart/mixed",
      childNodes: [
        null as unknown as MimeNode,
        { type: "" } as MimeNode,
        multipart("alternative", undefined, []),
      ],
    });
    // RFC 2045 §5.2: an unusable Content-Type is text/plain; the missing part number is derived.
    expect(odd.textPart).toBe("2");
    expect(planBody(undefined as unknown as MimeNode).textPart).toBeNull();
  });

  it("derives part numbers the server left out", () => {
    const plan = planBody({
      type: "multipart/mixed",
      childNodes: [
        {
          type: "multipart/alternative",
          childNodes: [
            { type: "text/plain", size: 1 },
            { type: "text/html", size: 1 },
          ],
        },
        { type: "application/pdf", size: 5, part: "not-a-part" },
      ],
    });
    expect(plan.htmlPart).toBe("1.2");
    expect(plan.textPart).toBe("1.1");
    expect(plan.attachments.map((a) => a.partId)).toEqual(["2"]);
  });
});

describe("finalizeAttachments", () => {
  const plan = planBody(
    multipart("related", undefined, [
      html("1"),
      { part: "2", type: "image/png", id: "<used@x>", size: 10 },
      { part: "3", type: "image/png", id: "<unused@x>", size: 10 },
      {
        part: "4",
        type: "application/pdf",
        size: 10,
        dispositionParameters: { filename: "a.pdf" },
        disposition: "attachment",
      },
    ]),
  );

  it("keeps shown parts inline and lists the others", () => {
    expect(finalizeAttachments(plan, new Set(["used@x"])).map((a) => [a.partId, a.inline])).toEqual([
      ["2", true],
      ["3", false],
      ["4", false],
    ]);
  });

  it("lists every candidate when the body showed none", () => {
    expect(finalizeAttachments(plan, new Set()).every((a) => !a.inline)).toBe(true);
  });

  it("does not change the plan it was given", () => {
    finalizeAttachments(plan, new Set());
    expect(plan.attachments.map((a) => a.inline)).toEqual([true, true, false]);
  });
});
