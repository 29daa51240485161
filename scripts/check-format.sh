#!/usr/bin/env bash
# Fails, listing the files, when any C file differs from clang-format's
# output (.clang-format). `make format` fixes them.
set -euo pipefail
bad=()
for f in "$@"; do
	if ! clang-format --style=file "$f" | cmp -s - "$f"; then
		bad+=("$f")
	fi
done
if [ ${#bad[@]} -ne 0 ]; then
	echo "not clang-formatted (run 'make format'):" >&2
	printf '  %s\n' "${bad[@]}" >&2
	exit 1
fi
echo "format: ${#@} files clean"
