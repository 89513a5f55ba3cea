// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Latency windows: min/avg/max and a fixed-bucket histogram, and the report line format. */
#include "rtos/latency.h"

#include "rtos/fmt.h"
#include "rtos/string.h"

#define NS_PER_US 1000u

const uint32_t lat_bound_us[LAT_BOUNDS] = { 1, 2, 5, 10, 20, 50, 100 };

void lat_window_reset(struct lat_window *w)
{
	memset(w, 0, sizeof(*w));
	w->min_ns = UINT64_MAX;
}

void lat_add(struct lat_window *w, uint64_t ns)
{
	unsigned b = 0;

	while (b < LAT_BOUNDS && ns >= (uint64_t)lat_bound_us[b] * NS_PER_US)
		b++;
	w->hist[b]++;
	w->n++;
	/* Saturate rather than wrap: a sum near 2^64 ns would take centuries of samples. */
	w->sum_ns = w->sum_ns + ns < w->sum_ns ? UINT64_MAX : w->sum_ns + ns;
	if (ns < w->min_ns)
		w->min_ns = ns;
	if (ns > w->max_ns)
		w->max_ns = ns;
}

uint64_t lat_avg(const struct lat_window *w)
{
	return w->n ? w->sum_ns / w->n : 0;
}

int lat_format(char *buf, size_t size, const char *name, const struct lat_window *w,
	       const struct lat_totals *t)
{
	size_t len;
	int n;

	n = rtos_snprintf(buf, size, "rtos %s: latency ns min %llu avg %llu max %llu n %llu | hist",
			  name, (unsigned long long)(w->n ? w->min_ns : 0),
			  (unsigned long long)lat_avg(w), (unsigned long long)w->max_ns,
			  (unsigned long long)w->n);
	for (unsigned b = 0; b < LAT_BUCKETS; b++) {
		len = (size_t)n < size ? (size_t)n : size;
		if (b < LAT_BOUNDS)
			n += rtos_snprintf(buf + len, size - len, " <%uus:%llu",
					   (unsigned)lat_bound_us[b],
					   (unsigned long long)w->hist[b]);
		else
			n += rtos_snprintf(buf + len, size - len, " >=%uus:%llu",
					   (unsigned)lat_bound_us[LAT_BOUNDS - 1],
					   (unsigned long long)w->hist[b]);
	}
	len = (size_t)n < size ? (size_t)n : size;
	n += rtos_snprintf(buf + len, size - len,
			   " | early %llu missed %llu maxever %llu hb %llu\n",
			   (unsigned long long)w->early, (unsigned long long)w->missed,
			   (unsigned long long)t->max_ns, (unsigned long long)t->heartbeat);
	return n;
}
