#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs one emulator boot and asserts on its serial log.
#   boot-test.sh --name NAME [--expect REGEX]... [--absent REGEX]...
#                [--order REGEX_A REGEX_B]... -- RUNNER ARGS...
# The runner (tools/run-qemu or tools/run-bochs, with --until and --timeout)
# prints the serial console on stdout; this script keeps the log in
# $BULKHEAD_LOG_DIR (default ./logs)/NAME.log and checks each --expect
# pattern (extended regex) is present and each --absent pattern is not;
# --order A B asserts that some line matching B comes after the first line
# matching A.
set -uo pipefail
name= expects=() absents=() orders=()
while [ $# -gt 0 ]; do
	case "$1" in
	--name) name=$2; shift 2 ;;
	--expect) expects+=("$2"); shift 2 ;;
	--absent) absents+=("$2"); shift 2 ;;
	--order) orders+=("$2" "$3"); shift 3 ;;
	--) shift; break ;;
	*) echo "boot-test: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$name" ] && [ $# -gt 0 ] || { echo "usage: boot-test.sh --name N [--expect RE]... -- CMD..." >&2; exit 2; }
logdir=${BULKHEAD_LOG_DIR:-$PWD/logs}
mkdir -p "$logdir"
log=$logdir/$name.log
start=$(date +%s)
"$@" >"$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
# the console carries CR LF and GRUB's escape sequences
clean=$(tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g')
fail=0
for re in "${expects[@]}"; do
	if ! grep -Eq -- "$re" <<<"$clean"; then
		echo "FAIL: expected /$re/ in the log"
		fail=1
	fi
done
for re in "${absents[@]}"; do
	if grep -Eq -- "$re" <<<"$clean"; then
		echo "FAIL: /$re/ must not appear in the log:"
		grep -E -- "$re" <<<"$clean" | head -3 | sed 's/^/    /'
		fail=1
	fi
done
for ((i = 0; i < ${#orders[@]}; i += 2)); do
	a=${orders[i]} b=${orders[i + 1]}
	la=$(grep -En -- "$a" <<<"$clean" | head -1 | cut -d: -f1)
	lb=$(grep -En -- "$b" <<<"$clean" | tail -1 | cut -d: -f1)
	if [ -z "$la" ] || [ -z "$lb" ] || [ "$lb" -le "$la" ]; then
		echo "FAIL: expected /$b/ after /$a/ (lines ${la:-none} and ${lb:-none})"
		fail=1
	fi
done
if [ $rc -ne 0 ]; then
	echo "FAIL: runner exited with status $rc"
	fail=1
fi
if [ $fail -ne 0 ]; then
	echo "---- last 60 lines of $log ----"
	tail -n 60 <<<"$clean"
	echo "$name: FAILED after ${secs}s"
	exit 1
fi
echo "$name: ${#expects[@]} expectations met, ${#absents[@]} absences held, $((${#orders[@]} / 2)) orderings held, ${secs}s (log: $log)"
exit 0
