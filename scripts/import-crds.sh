#!/usr/bin/env bash
# Regenerates imports/ from the vendored CRD snapshots (developers only; the result is committed).
# CRDS_DIR defaults to vendor/crds, the pinned, description-stripped copies of the upstream CRDs.
# With a network, a bare `npx cdk8s import` regenerates from the upstream sources listed in cdk8s.yaml instead.
set -euo pipefail
cd "$(dirname "$0")/.."
crds="${CRDS_DIR:-vendor/crds}"
[ -d "$crds" ] || { echo "import-crds: no CRD folder at '$crds'; set CRDS_DIR to the folder holding argo-rollouts.yaml etc." >&2; exit 1; }

# module name (empty: cdk8s names the file after the API group) and source file
specs=(
  "argo-rollouts:=argo-rollouts.yaml"
  "argo-cd:=argo-cd.yaml"
  "flux.yaml"
  "flagger.yaml"
  "istio.yaml"
  "prometheus-operator.yaml"
  "keda.yaml"
  "external-secrets.yaml"
  "sealed-secrets.yaml"
  "kyverno.yaml"
  "velero.yaml"
  "gateway-api.yaml"
  "cert-manager.yaml"
)

out=$(mktemp -d)
# `cdk8s import` appends every spec it imports to cdk8s.yaml: keep the pinned upstream list as it is
cp cdk8s.yaml "$out/cdk8s.yaml.keep"
trap 'cp "$out/cdk8s.yaml.keep" cdk8s.yaml; rm -rf "$out"' EXIT
for spec in "${specs[@]}"; do
  case "$spec" in
    *:=*) name="${spec%%:=*}:="; file="${spec#*:=}" ;;
    *) name=""; file="$spec" ;;
  esac
  echo "import-crds: $file"
  npx --no-install cdk8s import "${name}${crds}/${file}" --language typescript --output "$out" --no-check-upgrade >/dev/null
done
# replace imports/ only once every import succeeded
rm -rf imports
mkdir -p imports
# tsc resolves the generated types for lib/ but skips checking the generated bodies (over half of `tsc -p .`)
for f in "$out"/*.ts; do
  { head -n 1 "$f"; echo '// @ts-nocheck (added by scripts/import-crds.sh: generated code; its types still check lib/)'; tail -n +2 "$f"; } > "imports/$(basename "$f")"
done
ls imports
