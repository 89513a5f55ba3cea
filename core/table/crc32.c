// SPDX-License-Identifier: GPL-2.0-only
/* CRC32 (IEEE 802.3) for table blobs, with a 16-entry nibble table to stay small. */
#include "core/table.h"

#define CRC32_IEEE_REFLECTED 0xedb88320u

static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t table_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_nibble[crc & 0xf];
		crc = (crc >> 4) ^ crc_nibble[crc & 0xf];
	}
	return ~crc;
}

uint32_t table_blob_crc(const void *blob, size_t size)
{
	static const uint8_t zero[4];
	const size_t at = __builtin_offsetof(struct bh_table_header, crc32);
	const uint8_t *p = blob;
	uint32_t crc;

	if (size < at + sizeof(zero))
		return table_crc32(0, blob, size);
	crc = table_crc32(0, p, at);
	crc = table_crc32(crc, zero, sizeof(zero));
	return table_crc32(crc, p + at + sizeof(zero), size - at - sizeof(zero));
}
