#!/usr/bin/env bash
# Independent checkers from the Python ecosystem on the reference architectures' output (issue #20 item 4):
#   checkov  --framework kubernetes      on dist-examples/*/*.k8s.yaml
#   checkov  --framework cloudformation  on dist-examples/*/*.template.json
#   checkov  --framework dockerfile      on the Dockerfiles of our users' images (examples/*/Dockerfile, the compliant CLI fixture)
#   cfn-lint                             on dist-examples/*/*.template.json
# Fails on any finding that is neither fixed nor acknowledged with a reason (checkov's `checkov.io/skipN` annotation,
# `Metadata.checkov.skip`, `# checkov:skip=` comment; cfn-lint's `Metadata.cfn-lint.config.ignore_checks` with the reason in
# `Metadata.cdk-compliant-ml-acknowledged`), and prints passed/failed/skipped per framework and example and cfn-lint's counts.
#
# Run after `npx projen examples` (which writes dist-examples/). The checkers live in a venv outside the repository,
# $HOME/.cache/cdk-compliant-ml/third-party-checks-<versions> (override with THIRD_PARTY_CHECKS_VENV), made on the first run
# from PyPI with every package pinned by scripts/third-party-checks.constraints.txt and reused after that. Network: PyPI only,
# on the first run; checkov's platform download is switched off (--skip-download, BC_SKIP_MAPPING).
# The raw reports land in dist-examples/third-party-checks/ (gitignored).
# `--install-only` makes (or checks) the venv and stops: .ci/run starts it in the background at the beginning, so the download
# from PyPI overlaps the build instead of waiting for the examples.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION=3.3.30
CFN_LINT_VERSION=1.58.0
CONSTRAINTS=scripts/third-party-checks.constraints.txt
VENV=${THIRD_PARTY_CHECKS_VENV:-$HOME/.cache/cdk-compliant-ml/third-party-checks-checkov-$CHECKOV_VERSION-cfn-lint-$CFN_LINT_VERSION}
OUT=dist-examples/third-party-checks
started=$(date +%s)

install_only=false
[ "${1:-}" = --install-only ] && install_only=true

shopt -s nullglob
manifests=(dist-examples/*/*.k8s.yaml)
templates=(dist-examples/*/*.template.json)
# Our users' images: one Dockerfile per image of the reference architectures, and the compliant fixture of the CLI's tests.
# (test/fixtures/corpus holds third-party Dockerfiles, judged by our own checker, not ours to fix.)
dockerfiles=(examples/*/*Dockerfile test/fixtures/cli/dockerfiles/good/Dockerfile)
shopt -u nullglob
if ! $install_only && { [ ${#manifests[@]} -eq 0 ] || [ ${#templates[@]} -eq 0 ]; }; then
  echo "third-party-checks: no manifests or templates in dist-examples/: run \`npx projen examples\` first" >&2
  exit 2
fi

# the venv is reused while it holds exactly what the pins and the constraints file name (a marker written after the install)
wanted="checkov==$CHECKOV_VERSION cfn-lint==$CFN_LINT_VERSION constraints=$(sha256sum "$CONSTRAINTS" | cut -c1-64)"
if [ "$(cat "$VENV/.third-party-checks" 2>/dev/null)" != "$wanted" ]; then
  echo "third-party-checks: installing checkov $CHECKOV_VERSION and cfn-lint $CFN_LINT_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input --require-virtualenv \
    -c "$CONSTRAINTS" "checkov==$CHECKOV_VERSION" "cfn-lint==$CFN_LINT_VERSION"
  echo "$wanted" > "$VENV/.third-party-checks"
fi
installed=$(date +%s)
if $install_only; then
  echo "third-party-checks: checkov $CHECKOV_VERSION and cfn-lint $CFN_LINT_VERSION ready in $VENV ($((installed - started)) s)"
  exit 0
fi

rm -rf "$OUT"
mkdir -p "$OUT"
export BC_SKIP_MAPPING=TRUE   # no call to the Prisma Cloud guidelines API (offline, and IDs stay CKV_*)
checkov() {
  local framework=$1; shift
  local args=()
  for f in "$@"; do args+=(-f "$f"); done
  # exit status 1 = failed checks: the summary below judges them, with the parse errors and missing reasons
  "$VENV/bin/checkov" --skip-download --framework "$framework" -o json "${args[@]}" > "$OUT/checkov-$framework.json" || [ $? -eq 1 ]
}
checkov kubernetes "${manifests[@]}"
checkov cloudformation "${templates[@]}"
checkov dockerfile "${dockerfiles[@]}"
# exit status: a bit mask of 2 (errors), 4 (warnings), 8 (informational); the summary judges the matches
"$VENV/bin/cfn-lint" --format json -- "${templates[@]}" > "$OUT/cfn-lint.json" || [ $? -lt 16 ]

node_modules/.bin/ts-node --transpile-only -P scripts/tsconfig.json scripts/third-party-checks-summary.ts \
  --checkov "$OUT/checkov-kubernetes.json" --checkov "$OUT/checkov-cloudformation.json" --checkov "$OUT/checkov-dockerfile.json" \
  --cfn-lint "$OUT/cfn-lint.json" "${templates[@]}"
echo "third-party-checks: venv $(( installed - started ))s, checks $(( $(date +%s) - installed ))s"
