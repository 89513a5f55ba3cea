#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# core/ compiles with the include path CMake gives it (BH_CORE_INCLUDES,
# passed as -I arguments after the compiler): a core header must compile,
# and an arch header must not be found, so "#include" of an arch room in
# core/ fails the build. usage: core-includes.sh CC -Idir...
set -uo pipefail
cc=$1
shift
try() {
	local h=$1
	shift
	printf '#include "%s"\nint core_includes_probe;\n' "$h" | "$cc" -fsyntax-only -DBULKHEAD_HOST=1 "$@" -x c - 2>&1
}
fail=0
if ! out=$(try core/arch.h "$@"); then
	echo "FAIL: core/arch.h does not compile with core's include path: $out"
	fail=1
fi
for h in vcpu/vcpu.h cpu/percpu.h root/root.h svm/svm.h platform/acpi.h arch/x86.h boot/mb2.h; do
	if try "$h" "$@" >/dev/null; then
		echo "FAIL: $h is reachable from core/ (its include path leaks an arch or boot folder)"
		fail=1
	else
		echo "ok: $h not reachable from core/"
	fi
done
[ $fail -eq 0 ] && echo PASS
exit $fail
