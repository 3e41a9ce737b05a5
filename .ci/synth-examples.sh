#!/usr/bin/env bash
# Installs the packed tarball (dist/js) into each TypeScript example, as a user would from npm,
# and synthesizes it with the CDK CLI. Then checks each Python example against the generated
# Python binding (.tmp/bindings/python, from `npx projen bindings`).
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
    npm install --no-audit --no-fund --no-package-lock --prefer-offline "$tarball" >/dev/null
    CDK_DISABLE_CLI_TELEMETRY=true npx cdk synth --quiet
    templates=(cdk.out/*.template.json)
    grep -q '"AWS::StepFunctions::StateMachine"' "${templates[@]}"
    grep -q '"AWS::Scheduler::Schedule"' "${templates[@]}"
    case "$name" in
      typescript-tag-discovery)
        # The imported key is used, no key is created, and the starter may list clusters by tag.
        if grep -q '"AWS::KMS::Key"' "${templates[@]}"; then echo "$name: expected no new KMS key"; exit 1; fi
        grep -q 'rds:DescribeDBClusters' "${templates[@]}"
        ;;
      typescript-explicit)
        grep -q '"AWS::KMS::Key"' "${templates[@]}"
        grep -q '"Europe/Berlin"' "${templates[@]}"
        ;;
    esac
    echo "$name: synthesized ${#templates[@]} template(s)"
  )
  rm -rf "$work"
done

if [ ! -f .tmp/bindings/python/src/cdk_shared_cluster_snapshots/__init__.py ]; then
  npx projen bindings
fi
# The Python apps, and the README's Python snippets (each ```python block, extracted to a file).
rm -rf .tmp/readme-python && mkdir -p .tmp/readme-python
awk '/^```python$/ {n++; on=1; next} /^```$/ {on=0} on {print > (".tmp/readme-python/snippet-" n ".py")}' README.md
python3 .ci/check-python-example.py .tmp/bindings/python node_modules/aws-cdk-lib \
  examples/python-*/app.py .tmp/readme-python/*.py
