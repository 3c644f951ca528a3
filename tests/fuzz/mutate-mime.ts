// Mutations of raw messages for the MIME fuzzer (lib/mail/mime/mime-fuzz.test.ts): the damage real
// mail shows — flipped bits, cut-off transfers, broken boundaries, duplicated headers — applied a
// few at a time by a seeded generator, so every failure can be replayed from its seed.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

function bitFlips(raw: Buffer, random: Random): Buffer {
  const out = Buffer.from(raw);
  for (let i = 1 + int(random, 8); i > 0 && out.length > 0; i--) out[int(random, out.length)]! ^= 1 << int(random, 8);
  return out;
}

function truncate(raw: Buffer, random: Random): Buffer {
  return raw.subarray(0, int(random, raw.length + 1));
}

function boundaries(text: string): string[] {
  return [...text.matchAll(/boundary\s*=\s*"?([^";\r\n]+)"?/gi)].map((m) => m[1]!.trim()).filter(Boolean);
}

function damageBoundary(raw: Buffer, random: Random): Buffer {
  let text = raw.toString("latin1");
  const found = boundaries(text);
  if (found.length === 0) return bitFlips(raw, random);
  const b = pick(random, found);
  switch (int(random, 6)) {
    case 0: // the closing delimiter lost (a cut transfer, a careless generator)
      text = text.replace(`--${b}--`, "");
      break;
    case 1: // one delimiter line misspelt
      text = text.replace(`--${b}`, `--${b.slice(0, -1)}`);
      break;
    case 2: // the parameter gone: a multipart without a boundary
      text = text.replace(/boundary\s*=\s*"?[^";\r\n]+"?/i, "");
      break;
    case 3: // a delimiter in the middle of a body line
      {
        const at = int(random, text.length);
        text = `${text.slice(0, at)}--${b}${text.slice(at)}`;
      }
      break;
    case 4: // every delimiter of this boundary doubled
      text = text.split(`--${b}`).join(`--${b}\r\n--${b}`);
      break;
    default: // an empty boundary, which every delimiter line then matches
      text = text.replace(`boundary="${b}"`, 'boundary=""').replace(`boundary=${b}`, "boundary=");
  }
  return Buffer.from(text, "latin1");
}

const HEADER_NOISE = [
  "Content-Type: text/html; charset=utf-7",
  "Content-Type: multipart/mixed",
  "Content-Type: message/rfc822",
  "Content-Transfer-Encoding: base64",
  "Content-Transfer-Encoding: quoted-printable",
  "Content-Disposition: attachment; filename*0*=utf-8''%E2%80%AE; filename*1=../../x",
  "Content-ID: <>",
  "Subject: =?utf-8?B?PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==?=",
  "Content-Type: text/html; charset=\"\u0000\"",
];

function duplicateHeader(raw: Buffer, random: Random): Buffer {
  const text = raw.toString("latin1");
  const lines = text.split(/\r?\n/);
  const headerLines = lines.map((line, i) => ({ line, i })).filter(({ line }) => /^[A-Za-z-]+:/.test(line));
  if (headerLines.length === 0) return raw;
  const { line, i } = pick(random, headerLines);
  const copy = random() < 0.5 ? line : pick(random, HEADER_NOISE);
  lines.splice(i + (random() < 0.5 ? 0 : 1), 0, copy);
  return Buffer.from(lines.join("\r\n"), "latin1");
}

function insertBytes(raw: Buffer, random: Random): Buffer {
  const at = int(random, raw.length + 1);
  const noise = pick(random, [
    Buffer.from([0]),
    Buffer.from("\r\n\r\n"),
    Buffer.from("\r\n"),
    Buffer.from("=\r\n"),
    Buffer.from("=?"),
    Buffer.from("<"),
    Buffer.from("<![CDATA["),
    Buffer.from([0xff, 0xfe]),
    Buffer.from("<script>alert(1)</script>"),
    Buffer.alloc(1 + int(random, 64), 0x41),
  ]);
  return Buffer.concat([raw.subarray(0, at), noise, raw.subarray(at)]);
}

function repeatSlice(raw: Buffer, random: Random): Buffer {
  if (raw.length === 0) return raw;
  const start = int(random, raw.length);
  const slice = raw.subarray(start, start + 1 + int(random, 2048));
  const times = 1 + int(random, 8);
  return Buffer.concat([raw.subarray(0, start), ...Array.from({ length: times }, () => slice), raw.subarray(start)]);
}

export const MUTATIONS = { bitFlips, truncate, damageBoundary, duplicateHeader, insertBytes, repeatSlice } as const;
export type MutationName = keyof typeof MUTATIONS;

/** One to three mutations, chosen and applied by `random`; returns the bytes and what was done. */
export function mutate(raw: Buffer, random: Random): { bytes: Buffer; applied: MutationName[] } {
  const names = Object.keys(MUTATIONS) as MutationName[];
  const applied: MutationName[] = [];
  let bytes = raw;
  for (let n = 1 + int(random, 3); n > 0; n--) {
    const name = pick(random, names);
    applied.push(name);
    bytes = MUTATIONS[name](bytes, random);
  }
  return { bytes, applied };
}
