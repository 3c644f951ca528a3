#!/usr/bin/env bash
# npm run fuzz: the MIME fuzzer's long mode (lib/mail/mime/mime-fuzz.test.ts). npm test runs 500
# cases of one fixed seed; this runs many more of a new seed, printed so a failure can be replayed:
#   LETTERBOX_FUZZ_SEED=<seed> LETTERBOX_FUZZ_CASES=<n> npm run fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
export LETTERBOX_FUZZ_CASES="${LETTERBOX_FUZZ_CASES:-20000}"
export LETTERBOX_FUZZ_SEED="${LETTERBOX_FUZZ_SEED:-$(node -e 'console.log(require("crypto").randomInt(2 ** 31))')}"
[ -d .data/mime-corpus ] || bash scripts/fetch-mime-corpus.sh .data/mime-corpus
export LETTERBOX_MIME_CORPUS="${LETTERBOX_MIME_CORPUS:-$PWD/.data/mime-corpus}"
echo "MIME fuzzer: ${LETTERBOX_FUZZ_CASES} cases, seed ${LETTERBOX_FUZZ_SEED}"
exec npx vitest run --project unit lib/mail/mime/mime-fuzz.test.ts
