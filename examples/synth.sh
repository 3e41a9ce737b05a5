#!/usr/bin/env bash
# Synthesizes one example app (or all) against this clone's own build, as a user would install it,
# without touching a tracked file: the library is packed (built first if there is no tarball), the
# example is copied to .tmp/examples/<name>, the tarball is installed there, and `cdk synth` runs.
#
#   bash examples/synth.sh typescript-explicit        # one app; prints where its cdk.out is
#   bash examples/synth.sh                            # every TypeScript example
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export CDK_DISABLE_CLI_TELEMETRY=true

tarball="$(ls "$root"/dist/js/*.tgz 2>/dev/null | head -n 1 || true)"
if [ -z "$tarball" ]; then
  echo "No packed library in dist/js: building it (CI=true npx projen build, about 3 minutes)"
  CI=true npx projen build >/dev/null
  tarball="$(ls "$root"/dist/js/*.tgz | head -n 1)"
fi

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for dir in examples/typescript-*/; do names+=("$(basename "$dir")"); done
fi
for name in "${names[@]}"; do
  if [ ! -f "examples/$name/package.json" ]; then echo "No TypeScript example named '$name' in examples/"; exit 2; fi
  work="$root/.tmp/examples/$name"
  rm -rf "$work" && mkdir -p "$work"
  cp -r "examples/$name/." "$work/"
  echo "--- $name (in ${work#"$root"/})"
  (
    cd "$work"
    npm install --no-audit --no-fund --no-package-lock --loglevel=error "$tarball" >/dev/null
    npx cdk synth --quiet
  )
  echo "$name: synthesized into ${work#"$root"/}/cdk.out"
done
