// SPDX-License-Identifier: GPL-2.0-only
/* The hypervisor's physical memory map: built from the firmware's ranges, then carved. */
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/memmap.h"

/* The highest page boundary a uint64_t can hold. */
#define MEMMAP_TOP_PAGE (UINT64_MAX & PAGE_MASK)

static uint64_t range_end(const struct mem_range *r)
{
	return r->base + r->size;
}

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_RAM:
		return "RAM";
	case BOOT_MEM_RESERVED:
		return "reserved";
	case BOOT_MEM_ACPI_RECLAIM:
		return "ACPI";
	case BOOT_MEM_ACPI_NVS:
		return "ACPI-NVS";
	case BOOT_MEM_BAD:
		return "bad";
	case BOOT_MEM_FIRMWARE:
		return "firmware";
	case BOOT_MEM_PERSISTENT:
		return "persistent";
	case MEM_HV_IMAGE:
		return "hv-image";
	case MEM_MODULE:
		return "module";
	case MEM_BOOTINFO:
		return "bootinfo";
	case MEM_LOWMEM:
		return "lowmem";
	case MEM_HV_POOL:
		return "hv-pool";
	case MEM_PARTITION:
		return "partition";
	default:
		return "unknown";
	}
}

/*
 * Overlap rule for the firmware map: RAM loses to every other type (memory
 * that firmware also calls reserved, ACPI, ... must not be handed out), and
 * between two other types the numerically larger wins. The e820/EFI-derived
 * numbering grows roughly with how much a range must be left alone
 * (reserved < ACPI reclaim < ACPI NVS < bad < firmware runtime < persistent),
 * and a fixed total order makes the result independent of the input order.
 */
static uint32_t memmap_winner(uint32_t a, uint32_t b)
{
	if (a == BOOT_MEM_RAM)
		return b;
	if (b == BOOT_MEM_RAM)
		return a;
	return a > b ? a : b;
}

/* Index of the first range that ends above addr (m->count when none). */
static uint32_t memmap_index(const struct memmap *m, uint64_t addr)
{
	uint32_t lo = 0, hi = m->count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (range_end(&m->r[mid]) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int memmap_insert(struct memmap *m, uint32_t i, uint64_t base, uint64_t size, uint32_t type)
{
	if (m->count >= MEMMAP_MAX)
		return -HV_ENOSPC;
	memmove(&m->r[i + 1], &m->r[i], (m->count - i) * sizeof(m->r[0]));
	m->r[i].base = base;
	m->r[i].size = size;
	m->r[i].type = type;
	m->count++;
	return 0;
}

/*
 * Gives [base, end) the type, where that lies inside range i; the range is
 * split into up to three. Sets *at to the index of the retyped piece.
 */
static int memmap_retype(struct memmap *m, uint32_t i, uint64_t base, uint64_t end, uint32_t type,
			 uint32_t *at)
{
	struct mem_range old = m->r[i];
	uint64_t old_end = range_end(&old);
	uint32_t need = (base > old.base) + (end < old_end);
	uint32_t j = i;

	if (m->count + need > MEMMAP_MAX)
		return -HV_ENOSPC;
	memmove(&m->r[i + 1 + need], &m->r[i + 1], (m->count - i - 1) * sizeof(m->r[0]));
	m->count += need;
	if (base > old.base) {
		m->r[j].base = old.base;
		m->r[j].size = base - old.base;
		m->r[j].type = old.type;
		j++;
	}
	m->r[j].base = base;
	m->r[j].size = end - base;
	m->r[j].type = type;
	*at = j;
	if (end < old_end) {
		m->r[j + 1].base = end;
		m->r[j + 1].size = old_end - end;
		m->r[j + 1].type = old.type;
	}
	return 0;
}

/* Drops empty ranges and merges neighbours of one type that touch. */
static void memmap_normalize(struct memmap *m)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		struct mem_range *r = &m->r[i];

		if (r->size == 0)
			continue;
		if (out && m->r[out - 1].type == r->type && range_end(&m->r[out - 1]) == r->base) {
			m->r[out - 1].size += r->size;
			continue;
		}
		m->r[out++] = *r;
	}
	m->count = out;
}

/* Adds [base, end) of type to the map, resolving overlaps with memmap_winner(). */
static int memmap_paint(struct memmap *m, uint64_t base, uint64_t end, uint32_t type)
{
	uint32_t i = memmap_index(m, base);
	uint64_t cur = base;
	int ret;

	while (cur < end) {
		const struct mem_range *r;
		uint64_t stop;

		if (i == m->count || m->r[i].base >= end)
			return memmap_insert(m, i, cur, end - cur, type);
		r = &m->r[i];
		if (r->base > cur) {
			/* a hole before the next range: all ours */
			uint64_t next = r->base;

			ret = memmap_insert(m, i, cur, next - cur, type);
			if (ret)
				return ret;
			cur = next;
			i++;
			continue;
		}
		stop = MIN(range_end(r), end);
		if (memmap_winner(r->type, type) != r->type) {
			ret = memmap_retype(m, i, cur, stop, type, &i);
			if (ret)
				return ret;
		}
		cur = stop;
		i++;
	}
	return 0;
}

int memmap_init(struct memmap *m, const struct boot_mem_range *in, uint32_t n)
{
	int ret;

	m->count = 0;
	for (uint32_t k = 0; k < n; k++) {
		uint64_t base = in[k].base, size = in[k].size, end;
		uint32_t type = in[k].type;

		if (size == 0) {
			pr_debug("memmap: firmware range %u at 0x%llx is empty, dropped", k,
				 ull(base));
			continue;
		}
		if (size > UINT64_MAX - base) {
			pr_warn("memmap: firmware range %u [0x%llx, +0x%llx) wraps past 2^64, "
				"dropped",
				k, ull(base), ull(size));
			continue;
		}
		end = base + size;
		if (type < BOOT_MEM_RAM || type > BOOT_MEM_PERSISTENT) {
			pr_warn("memmap: firmware range %u [0x%llx-0x%llx) has unknown type %u, "
				"taken as reserved",
				k, ull(base), ull(end), type);
			type = BOOT_MEM_RESERVED;
		}
		if (type != BOOT_MEM_RAM) {
			/* a page that is partly not RAM is not RAM */
			base = ALIGN_DOWN(base, PAGE_SIZE);
			end = end > MEMMAP_TOP_PAGE ? MEMMAP_TOP_PAGE : ALIGN_UP(end, PAGE_SIZE);
			if (end <= base)
				continue;
		}
		/* RAM is painted exactly and rounded inward at the end, so that RAM
		 * split by firmware at an odd address keeps the page across the split. */
		ret = memmap_paint(m, base, end, type);
		if (ret) {
			pr_err("memmap: the firmware map needs more than %u ranges (at input range "
			       "%u of %u)",
			       MEMMAP_MAX, k, n);
			m->count = 0;
			return ret;
		}
		memmap_normalize(m);
	}

	for (uint32_t i = 0; i < m->count; i++) {
		struct mem_range *r = &m->r[i];
		uint64_t end = range_end(r), base;

		if (r->type != BOOT_MEM_RAM)
			continue;
		if (r->base > MEMMAP_TOP_PAGE) {
			r->size = 0;
			continue;
		}
		base = ALIGN_UP(r->base, PAGE_SIZE);
		end = ALIGN_DOWN(end, PAGE_SIZE);
		r->base = base;
		r->size = end > base ? end - base : 0;
	}
	memmap_normalize(m);
	return 0;
}

/* Names, for the failure message, what keeps [base, end) from being all RAM. */
static void memmap_carve_fail(const struct memmap *m, uint64_t base, uint64_t end, uint32_t type)
{
	uint64_t cur = base;

	for (uint32_t i = memmap_index(m, base); cur < end; i++) {
		const struct mem_range *r = i < m->count ? &m->r[i] : NULL;

		if (!r || r->base > cur) {
			uint64_t hole_end = r ? MIN(r->base, end) : end;

			pr_err("memmap: cannot carve [0x%llx-0x%llx) as %s: [0x%llx-0x%llx) is not "
			       "in the memory map",
			       ull(base), ull(end), memmap_type_name(type), ull(cur),
			       ull(hole_end));
			return;
		}
		if (r->type != BOOT_MEM_RAM) {
			pr_err("memmap: cannot carve [0x%llx-0x%llx) as %s: overlaps %s "
			       "[0x%llx-0x%llx)",
			       ull(base), ull(end), memmap_type_name(type),
			       memmap_type_name(r->type), ull(r->base), ull(range_end(r)));
			return;
		}
		cur = range_end(r);
	}
}

int memmap_carve(struct memmap *m, hpa_t base, uint64_t size, uint32_t type)
{
	uint64_t b, e;
	uint32_t i, at;
	struct mem_range *r;
	int ret;

	if (size == 0 || size > UINT64_MAX - base || base + size > MEMMAP_TOP_PAGE) {
		pr_err("memmap: cannot carve [0x%llx, +0x%llx) as %s: empty or past the top of "
		       "memory",
		       ull(base), ull(size), memmap_type_name(type));
		return -HV_EINVAL;
	}
	if (type == BOOT_MEM_RAM) {
		pr_err("memmap: cannot carve [0x%llx, +0x%llx) as RAM: RAM is what carving takes "
		       "from",
		       ull(base), ull(size));
		return -HV_EINVAL;
	}
	/* Pages are the unit of everything built on the map: carve whole pages. */
	b = ALIGN_DOWN(base, PAGE_SIZE);
	e = ALIGN_UP(base + size, PAGE_SIZE);

	/* Neighbours of one type are merged, so RAM covering [b, e) is one range. */
	i = memmap_index(m, b);
	r = i < m->count ? &m->r[i] : NULL;
	if (!r || r->type != BOOT_MEM_RAM || r->base > b || range_end(r) < e) {
		memmap_carve_fail(m, b, e, type);
		return -HV_EINVAL;
	}

	/* Growing a neighbour of the same type needs no new slot, even in a full map. */
	if (b == r->base && e < range_end(r) && i > 0 && m->r[i - 1].type == type &&
	    range_end(&m->r[i - 1]) == b) {
		m->r[i - 1].size += e - b;
		r->base = e;
		r->size -= e - b;
		return 0;
	}
	if (e == range_end(r) && b > r->base && i + 1 < m->count && m->r[i + 1].type == type &&
	    m->r[i + 1].base == e) {
		m->r[i + 1].base = b;
		m->r[i + 1].size += e - b;
		r->size -= e - b;
		return 0;
	}
	ret = memmap_retype(m, i, b, e, type, &at);
	if (ret) {
		pr_err("memmap: cannot carve [0x%llx-0x%llx) as %s: the map is full (%u ranges)",
		       ull(b), ull(e), memmap_type_name(type), MEMMAP_MAX);
		return ret;
	}
	memmap_normalize(m);
	return 0;
}

bool memmap_is_type(const struct memmap *m, hpa_t base, uint64_t size, uint32_t type)
{
	uint64_t cur = base, end;
	uint32_t i;

	if (size == 0 || size > UINT64_MAX - base)
		return false;
	end = base + size;
	for (i = memmap_index(m, base); cur < end; i++) {
		if (i >= m->count || m->r[i].base > cur || m->r[i].type != type)
			return false;
		cur = range_end(&m->r[i]);
	}
	return true;
}

const struct mem_range *memmap_lookup(const struct memmap *m, hpa_t addr)
{
	uint32_t i = memmap_index(m, addr);

	if (i < m->count && m->r[i].base <= addr)
		return &m->r[i];
	return NULL;
}

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < m->count; i++)
		if (m->r[i].type == type)
			sum += m->r[i].size;
	return sum;
}

hpa_t memmap_find_ram(const struct memmap *m, uint64_t size, uint64_t align, hpa_t limit)
{
	if (size == 0)
		return 0;
	if (align & (align - 1)) {
		pr_err("memmap: find_ram alignment 0x%llx is not a power of two", ull(align));
		return 0;
	}
	/* Ranges are page-granular; a smaller alignment would split a page. */
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;

	for (uint32_t i = m->count; i-- > 0;) {
		const struct mem_range *r = &m->r[i];
		uint64_t top = range_end(r), cand;

		if (r->type != BOOT_MEM_RAM)
			continue;
		if (limit && top > limit)
			top = limit;
		if (top < r->base || top - r->base < size)
			continue;
		cand = ALIGN_DOWN(top - size, align);
		if (cand >= r->base && cand != 0)
			return cand;
	}
	return 0;
}
