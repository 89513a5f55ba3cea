// SPDX-License-Identifier: GPL-2.0-only
/*
 * main() of a scenario generator: linked with one partitions/<board>/<scenario>.c,
 * it emits that scenario's blob to the file named on the command line.
 */
#include <stdlib.h>

#include "bhtable.h"

extern const struct table_desc bh_scenario;

int main(int argc, char **argv)
{
	size_t size = 0;
	void *buf;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTPUT.bin\n", argv[0]);
		return 2;
	}
	bhtool_log_init();
	err = table_emit(&bh_scenario, NULL, 0, &size);
	if (err && !size)
		return 1;
	buf = calloc(1, size);
	if (!buf)
		return 1;
	err = table_emit(&bh_scenario, buf, size, &size);
	if (err) {
		fprintf(stderr, "error: %s: the scenario could not be laid out (%d)\n", argv[1],
			err);
		free(buf);
		return 1;
	}
	if (bhtool_write_file(argv[1], buf, size)) {
		free(buf);
		return 1;
	}
	free(buf);
	return 0;
}
