#!/usr/bin/env bash
# `npm test`: the type checks and the vitest suites side by side. tsc runs on one core for ~25 s; run before vitest,
# it left the second core idle that long. Both always finish; the test fails if either does.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
( npx tsc -p tsconfig.json --noEmit && npx tsc -p tsconfig.generated.json ) >"$log" 2>&1 &
tsc=$!
npx vitest run "$@"
tests=$?
wait "$tsc"
types=$?
if [ "$types" -ne 0 ]; then
  cat "$log"
  echo "npm test: the type check failed (tsc -p tsconfig.json --noEmit, then tsc -p tsconfig.generated.json)" >&2
fi
[ "$tests" -eq 0 ] && [ "$types" -eq 0 ]
