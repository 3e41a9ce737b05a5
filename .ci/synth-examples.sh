#!/usr/bin/env bash
# Synthesizes each TypeScript example against the packed tarball (dist/js) with examples/synth.sh,
# as a user does from a clone, checks the templates and that the work tree is unchanged. Then checks
# each Python example against the generated Python binding (.tmp/bindings/python, `npx projen bindings`).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
before="$(git status --porcelain)"
# The same command a user runs from a clone (examples/README.md), then the templates are checked.
bash examples/synth.sh
for example in examples/typescript-*/; do
  name="$(basename "$example")"
  templates=(.tmp/examples/"$name"/cdk.out/*.template.json)
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
    typescript-receiver)
      # The receiver: a rule for the sources' events, the bus policy that lets them put those events,
      # its own copy key, and the freshness alarm notifying the topic.
      grep -q '"AWS::Events::Rule"' "${templates[@]}"
      grep -q 'Cluster Snapshot Shared' "${templates[@]}"
      grep -q '"AWS::Events::EventBusPolicy"' "${templates[@]}"
      grep -q '"AWS::KMS::Key"' "${templates[@]}"
      grep -q '"AlarmActions"' "${templates[@]}"
      ;;
  esac
  echo "$name: checked ${#templates[@]} template(s)"
done
# Running the examples from a clone changes no tracked or untracked file outside ignored scratch.
after="$(git status --porcelain)"
if [ "$before" != "$after" ]; then
  echo "Synthesizing the examples changed the work tree:"; diff <(echo "$before") <(echo "$after") || true; exit 1
fi

if [ ! -f .tmp/bindings/python/src/cdk_shared_cluster_snapshots/__init__.py ]; then
  npx projen bindings
fi
# The Python apps, and the README's Python snippets (each ```python block, extracted to a file).
rm -rf .tmp/readme-python && mkdir -p .tmp/readme-python
awk '/^```python$/ {n++; on=1; next} /^```$/ {on=0} on {print > (".tmp/readme-python/snippet-" n ".py")}' README.md
python3 .ci/check-python-example.py .tmp/bindings/python node_modules/aws-cdk-lib \
  examples/python-*/app.py .tmp/readme-python/*.py
