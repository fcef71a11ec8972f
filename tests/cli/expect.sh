#!/usr/bin/env bash
# expect.sh CODE PATTERN COMMAND...: run COMMAND; pass when it exits with CODE and its output
# (stdout and stderr, lines joined by spaces) matches the extended regular expression PATTERN.
set -u
want_code=$1 pattern=$2
shift 2
out=$("$@" 2>&1)
code=$?
if [ "$code" -ne "$want_code" ]; then
  printf 'exit code %s, expected %s; output:\n%s\n' "$code" "$want_code" "$out"
  exit 1
fi
if ! printf '%s' "$out" | tr '\n' ' ' | grep -Eq -- "$pattern"; then
  printf 'output does not match /%s/:\n%s\n' "$pattern" "$out"
  exit 1
fi
echo "ok: exit $code, output matches /$pattern/"
