/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builds small synthetic bzImages (a setup header that passes
 * bzimage_parse(), a few sectors of fake setup code and a fake protected-mode
 * kernel) and the demo-like guest memory maps the Linux boot tests share.
 */
#ifndef TEST_BZ_BUILDER_H
#define TEST_BZ_BUILDER_H

#include <stdio.h>
#include <string.h>

#include "root/linux_boot.h"

/* Offsets of the setup header (Documentation/arch/x86/boot.rst). */
#define T_SETUP_SECTS	   0x1f1
#define T_SYSSIZE	   0x1f4
#define T_VID_MODE	   0x1fa
#define T_BOOT_FLAG	   0x1fe
#define T_JUMP		   0x200
#define T_HEADER	   0x202
#define T_VERSION	   0x206
#define T_TYPE_OF_LOADER   0x210
#define T_LOADFLAGS	   0x211
#define T_CODE32_START	   0x214
#define T_RAMDISK_IMAGE	   0x218
#define T_RAMDISK_SIZE	   0x21c
#define T_HEAP_END_PTR	   0x224
#define T_CMD_LINE_PTR	   0x228
#define T_INITRD_ADDR_MAX  0x22c
#define T_KERNEL_ALIGNMENT 0x230
#define T_RELOCATABLE	   0x234
#define T_MIN_ALIGNMENT	   0x235
#define T_XLOADFLAGS	   0x236
#define T_CMDLINE_SIZE	   0x238
#define T_SUBARCH	   0x23c
#define T_SETUP_DATA	   0x250
#define T_PREF_ADDRESS	   0x258
#define T_INIT_SIZE	   0x260
#define T_HDR_END	   0x26c /* protocol 2.15: kernel_info_offset ends here */

/* boot_params fields outside the header (zero-page.rst). */
#define T_BP_RSDP	  0x070
#define T_BP_EXT_RD_IMAGE 0x0c0
#define T_BP_EXT_RD_SIZE  0x0c4
#define T_BP_EXT_CMD_LINE 0x0c8
#define T_BP_E820_ENTRIES 0x1e8
#define T_BP_SENTINEL	  0x1ef
#define T_BP_E820_TABLE	  0x2d0

#define T_SECTS	       3u
#define T_KERNEL_BYTES 0x800u
#define T_IMAGE_LEN    ((T_SECTS + 1) * 512 + T_KERNEL_BYTES)
#define T_ALIGN	       0x200000u
#define T_PREF	       0x1000000ull
#define T_INIT_BYTES   0x2000000u
#define T_CMDLINE_MAX  0x7ffu

#define MiB_(x) ((uint64_t)(x) << 20)

static inline void t_put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t t_get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A protocol 2.15 bzImage like Debian's, scaled down; img must hold T_IMAGE_LEN bytes. */
static inline size_t bz_build(uint8_t *img)
{
	memset(img, 0, T_IMAGE_LEN);
	for (unsigned i = 0; i < T_IMAGE_LEN; i++)
		if (i < T_SETUP_SECTS || i >= (T_SECTS + 1) * 512)
			img[i] = (uint8_t)(i * 7 + 1); /* fake code, so copies can be checked */
	img[T_SETUP_SECTS] = T_SECTS;
	t_put(img + T_SYSSIZE, T_KERNEL_BYTES / 16, 4);
	t_put(img + T_VID_MODE, 0xffff, 2);
	t_put(img + T_BOOT_FLAG, 0xaa55, 2);
	img[T_JUMP] = 0xeb;
	img[T_JUMP + 1] = T_HDR_END - 0x202;
	memcpy(img + T_HEADER, "HdrS", 4);
	t_put(img + T_VERSION, 0x020f, 2);
	img[T_LOADFLAGS] = 0x01;
	t_put(img + T_CODE32_START, 0x100000, 4);
	t_put(img + T_INITRD_ADDR_MAX, 0x7fffffff, 4);
	t_put(img + T_KERNEL_ALIGNMENT, T_ALIGN, 4);
	img[T_RELOCATABLE] = 1;
	img[T_MIN_ALIGNMENT] = 21;
	t_put(img + T_XLOADFLAGS, 0x7f, 2);
	t_put(img + T_CMDLINE_SIZE, T_CMDLINE_MAX, 4);
	t_put(img + T_PREF_ADDRESS, T_PREF, 8);
	t_put(img + T_INIT_SIZE, T_INIT_BYTES, 4);
	return T_IMAGE_LEN;
}

/*
 * The guest-physical RAM the QEMU demo's root gets on SeaBIOS with -m 2G
 * (partitions/qemu-x86_64/demo.c): low memory, 1-16 MiB, 80-512 MiB and
 * 546 MiB up to SeaBIOS's reserved top 128 KiB.
 */
static inline unsigned t_demo_e820(struct e820_entry *e)
{
	static const struct e820_entry demo[] = {
		{ 0x0, 0x9f000, E820_TYPE_RAM },
		{ 0x9f000, 0x1000, E820_TYPE_RESERVED },
		{ 0xf0000, 0x10000, E820_TYPE_RESERVED },
		{ 0x100000, 0xf00000, E820_TYPE_RAM },
		{ 0x5000000, 0x1b000000, E820_TYPE_RAM },
		{ 0x22200000, 0x7ffe0000 - 0x22200000, E820_TYPE_RAM },
		{ 0x7ffe0000, 0x20000, E820_TYPE_RESERVED },
		{ 0xfed1c000, 0x4000, E820_TYPE_RESERVED },
		{ 0xfeffc000, 0x4000, E820_TYPE_RESERVED },
		{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED },
	};

	memcpy(e, demo, sizeof(demo));
	return sizeof(demo) / sizeof(demo[0]);
}

#endif
