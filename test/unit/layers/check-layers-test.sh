#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/check-layers must catch violations, not only pass: on the fixture
# tree under bad/ it must fail and name exactly the four planted ones (core
# -> vcpu, vcpu -> root, svm -> vmx, cpu -> vcpu) and not the allowed root -> vcpu.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/../../../tools/check-layers" "$here/bad")
rc=$?
echo "$out"
fail() { echo "FAIL: $*"; exit 1; }
[ $rc -ne 0 ] || fail "check-layers passed a tree with violations"
for want in 'core/init/main.c:3 (core/) includes "vcpu/vcpu.h"' \
	'arch/x86_64/vcpu/exits.c:3 (vcpu/) includes "root/root.h"' \
	'arch/x86_64/svm/svm.c:3 (svm/) includes "vmx/vmx.h"' \
	'arch/x86_64/cpu/idle.c:3 (cpu/) includes "vcpu/vcpu.h"'; do
	grep -qF "$want" <<<"$out" || fail "not reported: $want"
done
! grep -q 'root/ok.c' <<<"$out" || fail "root -> vcpu is allowed but was reported"
grep -q ', 4 layer violations' <<<"$out" || fail "expected exactly 4 violations"
echo "PASS"
