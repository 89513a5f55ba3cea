// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead-table: the partition table's host tool. `check` validates blobs
 * with the hypervisor's own validator, `show` describes one (and draws it
 * with --svg), `draft` describes the running machine as a scenario .c file,
 * `to-c` turns a blob back into one.
 */
#include <stdlib.h>
#include <string.h>

#include "bhtable.h"

static void usage(void)
{
	fprintf(stderr, "usage: bulkhead-table check FILE.bin...\n"
			"       bulkhead-table show FILE.bin [--svg PICTURE.svg]\n"
			"       bulkhead-table draft [--root DIR] [-o FILE.c] [--hv BASE,SIZE]\n"
			"                            [--console PORT|none] [--board NAME] "
			"[--cmdline TEXT]\n"
			"       bulkhead-table to-c FILE.bin [-o FILE.c]\n"
			"exit status: 0 valid, 1 invalid or failed, 2 usage\n");
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int cmd_check(int argc, char **argv)
{
	int bad = 0;

	if (argc < 1) {
		usage();
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		struct table_view t;
		size_t size;
		void *blob = bhtool_read_file(argv[i], &size);

		if (!blob) {
			bad++;
			continue;
		}
		if (bhtool_load(&t, blob, size)) {
			fprintf(stderr, "%s: rejected\n", argv[i]);
			bad++;
		} else {
			printf("%s: ok: board \"%s\", %u partitions, %u memory regions, %u CPUs, "
			       "%u PCI devices, %u links\n",
			       argv[i], t.platform->board, t.n[BH_SECT_PARTITIONS],
			       t.n[BH_SECT_MEMORY], t.n[BH_SECT_CPUS], t.n[BH_SECT_PCI],
			       t.n[BH_SECT_LINKS]);
		}
		free(blob);
	}
	return bad ? 1 : 0;
}

/* Loads FILE for show / to-c; the table must be valid. */
static void *load_valid(const char *path, struct table_view *t)
{
	size_t size;
	void *blob = bhtool_read_file(path, &size);

	if (blob && bhtool_load(t, blob, size)) {
		fprintf(stderr, "%s: rejected (run `bulkhead-table check` for all reasons)\n",
			path);
		free(blob);
		return NULL;
	}
	return blob;
}

static int cmd_show(int argc, char **argv)
{
	const char *file = NULL, *svg = NULL;
	struct table_view t;
	void *blob;
	int err = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--svg") && i + 1 < argc)
			svg = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return usage(), 2;
	}
	if (!file)
		return usage(), 2;
	blob = load_valid(file, &t);
	if (!blob)
		return 1;
	bhtool_show(stdout, &t, file);
	if (svg)
		err = bhtool_svg(svg, &t, base_name(file));
	free(blob);
	return err ? 1 : 0;
}

static int cmd_to_c(int argc, char **argv)
{
	const char *file = NULL, *out = NULL;
	char heading[256];
	struct table_view t;
	void *blob;
	FILE *f;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return usage(), 2;
	}
	if (!file)
		return usage(), 2;
	blob = load_valid(file, &t);
	if (!blob)
		return 1;
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		perror(out);
		free(blob);
		return 1;
	}
	snprintf(heading, sizeof(heading),
		 "Partition table \"%s\", written back from %s by `bulkhead-table to-c`.",
		 t.platform->board, base_name(file));
	bhtool_print_c(f, &t, heading, NULL);
	free(blob);
	if (out && fclose(f))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	bhtool_log_init();
	if (argc < 2) {
		usage();
		return 2;
	}
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 2, argv + 2);
	if (!strcmp(argv[1], "draft"))
		return bhtool_draft(argc - 2, argv + 2);
	if (!strcmp(argv[1], "to-c"))
		return cmd_to_c(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage();
		return 0;
	}
	usage();
	return 2;
}
