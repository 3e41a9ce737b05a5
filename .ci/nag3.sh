#!/usr/bin/env bash
# cdk-nag 3 on both constructs, as a consumer runs it: a scratch app (.ci/nag3/app.ts, copied to
# .tmp/nag3/aws-cdk-lib-<version>) installs the packed library (dist/js), cdk-nag@^3 and an
# aws-cdk-lib, adds `Validations.of(app).addPlugins(new AwsSolutionsChecks(app))` and synthesizes
# each construct with several prop combinations. Fails on any unsuppressed finding, printing them.
# (cdk-nag 2, which reads the `cdk_nag` metadata, runs in jest: test/*/nag.test.ts.)
#
#   bash .ci/nag3.sh                  # the newest aws-cdk-lib, and 2.258.0
#   bash .ci/nag3.sh 2.270.0          # the given aws-cdk-lib version(s)
#
# The newest aws-cdk-lib is what a new user gets. 2.258.0 is the oldest one cdk-nag 3 checks with
# (2.257.0 gives its plugin no construct tree: "NagPack requires a construct tree"), and refuses the
# IAM5 ids that hold `::` twice, so the library's fallback (src/shared/nag-acknowledgments.ts) runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

tarball="$(ls "$root"/dist/js/*.tgz 2>/dev/null | head -n 1 || true)"
if [ -z "$tarball" ]; then
  echo "No packed library in dist/js: run 'CI=true npx projen compile && npx projen package:js' (or the build) first"
  exit 2
fi

versions=("$@")
if [ ${#versions[@]} -eq 0 ]; then versions=(latest 2.258.0); fi
for version in "${versions[@]}"; do
  work="$root/.tmp/nag3/aws-cdk-lib-$version"
  rm -rf "$work" && mkdir -p "$work"
  cp .ci/nag3/app.ts .ci/nag3/tsconfig.json "$work/"
  echo '{ "private": true }' > "$work/package.json"
  echo "--- cdk-nag 3 with aws-cdk-lib@$version (in ${work#"$root"/})"
  (
    cd "$work"
    npm install --no-audit --no-fund --no-package-lock --loglevel=error \
      "$tarball" "aws-cdk-lib@$version" 'cdk-nag@^3' 'constructs@^10.5.1' >/dev/null
    "$root/node_modules/.bin/tsc" -p tsconfig.json
    # Synth's own output (cdk-nag's table, which lists the control's finding) goes to synth.log;
    # the app's verdict is its lines prefixed "nag3: ".
    status=0
    node app.js cdk.out >synth.log 2>&1 || status=$?
    sed -n 's/^nag3: //p' synth.log
    if [ "$status" -ne 0 ]; then
      echo "cdk-nag 3 check failed with aws-cdk-lib@$version (synth's whole output: ${work#"$root"/}/synth.log)"
      exit 1
    fi
  )
done
