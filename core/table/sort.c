// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heapsort over (key, index) pairs: O(n log n) worst case, no recursion and
 * no memory beyond the array, which is what a validator running on a
 * hypervisor stack needs. Sorting compact pairs rather than indices into
 * the records keeps the sort's memory accesses in one small array.
 */
#include "internal.h"

static bool key_less(const struct table_key *a, const struct table_key *b)
{
	return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

static void sift_keys(struct table_key *k, uint32_t root, uint32_t n)
{
	for (;;) {
		uint64_t child = 2 * (uint64_t)root + 1;
		struct table_key tmp;

		if (child >= n)
			return;
		if (child + 1 < n && key_less(&k[child], &k[child + 1]))
			child++;
		if (!key_less(&k[root], &k[child]))
			return;
		tmp = k[root];
		k[root] = k[child];
		k[child] = tmp;
		root = (uint32_t)child;
	}
}

void table_sort_keys(struct table_key *k, uint32_t n)
{
	if (n < 2)
		return;
	for (uint32_t i = n / 2; i-- > 0;)
		sift_keys(k, i, n);
	for (uint32_t end = n - 1; end > 0; end--) {
		struct table_key tmp = k[0];

		k[0] = k[end];
		k[end] = tmp;
		sift_keys(k, 0, end);
	}
}
