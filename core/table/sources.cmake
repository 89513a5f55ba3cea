# SPDX-License-Identifier: GPL-2.0-only
# core/table/: the partition table: parser, validator, boot-time checks,
# default table and emitter, built for both the hypervisor and the host.
bh_sources(CORE_SHARED crc32.c parse.c names.c sort.c
	validate.c emit.c platform.c default.c)
