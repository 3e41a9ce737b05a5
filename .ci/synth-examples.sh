#!/usr/bin/env bash
# Installs the packed tarball (dist/js) into each TypeScript example, as a user would from npm,
# and synthesizes it with the CDK CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
tarball="$(ls "$root"/dist/js/*.tgz | head -n 1)"
for example in examples/typescript-*/; do
  name="$(basename "$example")"
  work="$(mktemp -d)"
  cp -r "$example". "$work/"
  echo "--- $name (in $work)"
  (
    cd "$work"
    npm install --no-audit --no-fund --no-package-lock "$tarball" >/dev/null
    CDK_DISABLE_CLI_TELEMETRY=true npx cdk synth --quiet
    templates=(cdk.out/*.template.json)
    grep -q '"AWS::StepFunctions::StateMachine"' "${templates[@]}"
    grep -q '"AWS::Scheduler::Schedule"' "${templates[@]}"
    echo "$name: synthesized ${#templates[@]} template(s)"
  )
  rm -rf "$work"
done
