#!/bin/sh
# The demo (`npm run --silent demo`, `npx projen demo`), printing only its own output: the handler
# bundles are built first with their output held back, shown only when bundling fails; then the
# simulator runs. `.ci/run` checks that the first line printed is the demo's title.
set -eu
cd "$(dirname "$0")/.."
log="$(mktemp)"
if ! npx projen bundle >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "demo: bundling the handlers failed (its output is above)" >&2
  exit 1
fi
rm -f "$log"
# Transpile-only: type-checking is the test task's job. The SDK's notice about an older Node.js is
# silenced as in every projen task (projenrc/testing.ts), since npm runs this script without projen.
export TS_NODE_TRANSPILE_ONLY=true AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
exec npx ts-node -P tsconfig.dev.json -r ./test/setup/jest.setup.ts sim/demo.ts
