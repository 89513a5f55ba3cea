/* SPDX-License-Identifier: GPL-2.0-only */
/* The pieces of the bulkhead-table host tool and the scenario generators, shared between their files. */
#ifndef BHTABLE_H
#define BHTABLE_H

#include <stdio.h>

#include "core/table.h"

/* Sends the hypervisor log (core/ messages) to stderr as "error: ..." lines. */
void bhtool_log_init(void);
/* Number of error lines logged so far. */
unsigned bhtool_log_errors(void);

/* Reads a whole file into an 8-byte aligned buffer; NULL (and a message) on failure. */
void *bhtool_read_file(const char *path, size_t *size);
/* Writes buf to path (atomically: path.tmp, then rename); 0 or -1 with a message. */
int bhtool_write_file(const char *path, const void *buf, size_t size);

/* Parses and validates; 0 or a negative HV_E* code, the reasons logged. */
int bhtool_load(struct table_view *t, const void *blob, size_t size);

/* Comments the C printer puts next to memory regions and PCI devices (NULL: none). */
struct bhtool_notes {
	const char *(*region)(void *ctx, const struct bh_mem_region *r);
	const char *(*pci)(void *ctx, const struct bh_pci_device *d);
	void *ctx;
};

/* Writes the table as a scenario .c file that compiles back to the same blob. */
void bhtool_print_c(FILE *f, const struct table_view *t, const char *heading,
		    const struct bhtool_notes *notes);

/* `show`: text description to f; with svg_path, also the picture. */
int bhtool_show(FILE *f, const struct table_view *t, const char *name);
int bhtool_svg(const char *path, const struct table_view *t, const char *title);

/* `draft`: argc/argv after the subcommand. */
int bhtool_draft(int argc, char **argv);

#endif
