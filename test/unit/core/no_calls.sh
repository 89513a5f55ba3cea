#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# usage: no_calls.sh OBJECT... : fails when an object file refers to any
# symbol it does not define (a call the compiler made up, such as memcpy).
status=0
for obj in "$@"; do
	undef=$(nm -u "$obj") || exit 1
	if [ -n "$undef" ]; then
		echo "$obj calls: $undef"
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "no calls out of: $*"
exit "$status"
