#!/usr/bin/env bash
# Tests the generated function app projects (out/apps/<app>/) with their own test suites, as a
# user would run them, against a Cosmos DB API server on loopback (@vercel/cosmosdb-server),
# and proves that generated and user code deploy together: each package built the way
# docs/deploy.md builds it registers exactly the functions the manifest names.
#
# Needs: the baas binary (built if missing), Node.js 20+ with npm, Python 3.10-3.12.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
baas=${BAAS:-$root/target/debug/baas}
[ -x "$baas" ] || cargo build -q --bin baas

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# backend.yaml -> name of its output folder under $work
backends=(
  "examples/crud-and-functions/backend.yaml:crud-and-functions"
  "examples/multi-tenant-database/backend.yaml:multi-tenant-database"
  "examples/multi-tenant-partition/backend.yaml:multi-tenant-partition"
  "tests/apps/backend.yaml:appstest"
)
for entry in "${backends[@]}"; do
  "$baas" synth "${entry%%:*}" -o "$work/${entry##*:}" 2>/dev/null
done

echo "== Node projects: npm ci && npm test"
for project in "$work"/*/apps/node; do
  echo "-- $project"
  (cd "$project" && npm ci --no-audit --no-fund --loglevel=error && npm test --silent -- --test-reporter=dot)
done

echo "== Python projects: pytest against the Node project's Cosmos DB server"
python3 -m venv "$work/venv"
# shellcheck disable=SC1091
. "$work/venv/bin/activate"
first_python=$(ls -d "$work"/*/apps/python | head -n 1)
pip install --quiet --disable-pip-version-check \
  -r "$first_python/requirements.txt" -r "$first_python/tests/requirements.txt"
(cd "$work/appstest/apps/node" && exec node test/cosmos-server.js > "$work/server.json") &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/server.json" ] && break; sleep 0.2; done
COSMOS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["COSMOS"])' "$work/server.json")
REQUESTS_CA_BUNDLE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["REQUESTS_CA_BUNDLE"])' "$work/server.json")
export COSMOS REQUESTS_CA_BUNDLE
for project in "$work"/*/apps/python; do
  echo "-- $project"
  # Every project pins the same versions: one environment serves them all.
  cmp -s "$project/requirements.txt" "$first_python/requirements.txt"
  (cd "$project" && python -m pytest -q -p no:cacheprovider tests)
done

echo "== Generated and user code in one package: every function the manifest names is registered"
expect() { # manifest app -> sorted JSON array of its function names
  python3 -c 'import json,sys; print(json.dumps(sorted(json.load(open(sys.argv[1]))["function_apps"][sys.argv[2]]["functions"])))' "$1" "$2"
}
same() { # expected actual what
  python3 -c 'import json,sys; e,a=json.loads(sys.argv[1]),json.loads(sys.argv[2]); sys.exit(0 if e==a else print(sys.argv[3], "registers", a, "but the manifest names", e) or 1)' "$1" "$2" "$3"
}
for out in crud-and-functions appstest; do
  manifest="$work/$out/baas.manifest.json"
  if [ -d "$work/$out/apps/node" ]; then
    build="$work/build-$out/node"
    mkdir -p "$build" && cp -r "$work/$out/apps/node/." "$build/"
    if [ "$out" = appstest ]; then cp -r tests/apps/user/node/. "$build/"; fi
    (cd "$build" && npm ci --no-audit --no-fund --loglevel=error)
    # test/functions.js loads `main` as the host does; it is copied in for the check only.
    same "$(expect "$manifest" node)" "$(cd "$build" && node test/functions.js)" "$out/node"
  fi
  build="$work/build-$out/python"
  mkdir -p "$build" && cp -r "$work/$out/apps/python/." "$build/"
  cp -r tests/apps/user/python/. "$build/"
  same "$(expect "$manifest" python)" "$(cd "$build" && python tests/list_functions.py)" "$out/python"
done
echo "generated projects: ok"
