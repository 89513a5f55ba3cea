// SPDX-License-Identifier: GPL-2.0-only
/*
 * bulkhead.efi: reads its config from the device it was loaded from, places
 * the hypervisor ELF and the boot modules, fills struct boot_info, exits boot
 * services and enters the hypervisor in long mode on the firmware's identity
 * map with RDI = &boot_info. On any failure it says why on the console and
 * returns an error to the firmware.
 */
#include <efi.h>

#include "core/arch.h"
#include "core/boot_info.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "uefi_config.h"
#include "uefi_elf.h"
#include "uefi_mmap.h"

#define LOADER_NAME "Bulkhead UEFI loader"

/* Modules and boot_info stay below 4 GiB so 32-bit-minded consumers can reach them. */
#define BELOW_4G 0xffffffffULL
/* A sanity bound on the hypervisor file, which is read whole into pool memory. */
#define HV_FILE_MAX (256ULL << 20)
/* How long a failure message stays up before the firmware's boot menu takes over. */
#define FAIL_PAUSE_US (3ULL * 1000 * 1000)
/*
 * Descriptors of headroom in the memory map buffer: allocating the buffer
 * itself may split ranges, and after a failed ExitBootServices() no more
 * allocations are allowed (UEFI 2.10, 7.4.6), so it must be big enough before.
 */
#define MMAP_SLACK_DESCS 32
#define EBS_TRIES	 4
#define FILE_INFO_BUF	 2048 /* EFI_FILE_INFO plus a 255-character FAT long name */
#define ALLOCS_MAX	 128

/* x86-64 paging (SDM Vol. 3A, 4.5): present, page size, address bits; CR4.LA57. */
#define PTE_P	    (1ULL << 0)
#define PTE_PS	    (1ULL << 7)
#define PTE_ADDR    0x000ffffffffff000ULL
#define PT_ENTRIES  512
#define CR4_LA57    (1ULL << 12)
#define PT_WALK_MAX (1u << 16) /* tables visited at most, against a looping hierarchy */

/* ACPI 6.5, 5.2.5.3: RSDP signature, revision byte and the v1/v2 structure sizes. */
#define RSDP_SIG	  "RSD PTR "
#define RSDP_SIG_LEN	  8
#define RSDP_REVISION_OFF 15
#define RSDP_V1_LEN	  20
#define RSDP_V2_LEN	  36

/* boot_framebuffer.type: direct RGB, as Multiboot2 framebuffer_type 1 (spec 3.6.12). */
#define FB_TYPE_RGB 1
#define FB_BPP_32   32

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

static EFI_SYSTEM_TABLE *st;
static EFI_BOOT_SERVICES *bs;
static bool con_quiet; /* set once printing could disturb the memory map */
static bool ebs_tried; /* after a failed ExitBootServices() only GetMemoryMap() may be called */

/* Pages allocated so far, released when the boot fails and control goes back. */
static struct {
	EFI_PHYSICAL_ADDRESS addr;
	UINTN pages;
	bool fixed; /* AllocateAddress: a piece of the hypervisor's own place */
} allocs[ALLOCS_MAX];
static unsigned alloc_count;

/*
 * The hypervisor's memory, in page-aligned runs. A run the firmware still
 * uses for boot services (OVMF keeps its DXE volume at 9-21 MiB) is built
 * in a staging copy and moved into place after ExitBootServices().
 */
static struct hv_run {
	EFI_PHYSICAL_ADDRESS start, end;
	UINT8 *buf; /* start itself, or the staging copy */
	bool staged;
} runs[UEFI_ELF_SEGMENTS_MAX];
static uint32_t run_count;

static struct uefi_config cfg;

cpu_id_t arch_cpu_id(void)
{
	return 0;
}

static void con_write(CHAR16 *buf, size_t *n)
{
	buf[*n] = 0;
	st->ConOut->OutputString(st->ConOut, buf);
	*n = 0;
}

/* The log sink: ASCII to UCS-2 with CR LF line ends, without core's "[cpuN] " prefix. */
static void con_sink(const char *text, size_t len)
{
	CHAR16 buf[128];
	size_t i = 0, n = 0;

	if (con_quiet || !st->ConOut)
		return;
	if (len > 4 && memcmp(text, "[cpu", 4) == 0) {
		for (i = 4; i < len && text[i] != ']'; i++)
			;
		i += 2; /* "] " */
	}
	for (; i < len; i++) {
		if (n + 3 >= ARRAY_SIZE(buf))
			con_write(buf, &n);
		if (text[i] == '\n')
			buf[n++] = '\r';
		buf[n++] = (CHAR16)(unsigned char)text[i];
	}
	if (n)
		con_write(buf, &n);
}

static const char *efi_err(EFI_STATUS s)
{
	static char other[40];

	switch (s) {
	case EFI_SUCCESS:
		return "EFI_SUCCESS";
	case EFI_LOAD_ERROR:
		return "EFI_LOAD_ERROR";
	case EFI_INVALID_PARAMETER:
		return "EFI_INVALID_PARAMETER";
	case EFI_UNSUPPORTED:
		return "EFI_UNSUPPORTED";
	case EFI_BUFFER_TOO_SMALL:
		return "EFI_BUFFER_TOO_SMALL";
	case EFI_DEVICE_ERROR:
		return "EFI_DEVICE_ERROR";
	case EFI_OUT_OF_RESOURCES:
		return "EFI_OUT_OF_RESOURCES";
	case EFI_VOLUME_CORRUPTED:
		return "EFI_VOLUME_CORRUPTED";
	case EFI_NO_MEDIA:
		return "EFI_NO_MEDIA";
	case EFI_NOT_FOUND:
		return "EFI_NOT_FOUND";
	case EFI_ACCESS_DENIED:
		return "EFI_ACCESS_DENIED";
	case EFI_END_OF_FILE:
		return "EFI_END_OF_FILE";
	default:
		snprintf(other, sizeof(other), "EFI status 0x%llx", (unsigned long long)s);
		return other;
	}
}

static EFI_STATUS alloc_pages(EFI_ALLOCATE_TYPE how, UINTN pages, EFI_PHYSICAL_ADDRESS *addr)
{
	EFI_STATUS s;

	if (alloc_count == ARRAY_SIZE(allocs))
		return EFI_OUT_OF_RESOURCES;
	s = bs->AllocatePages(how, EfiLoaderData, pages, addr);
	if (s == EFI_SUCCESS) {
		allocs[alloc_count].addr = *addr;
		allocs[alloc_count].pages = pages;
		allocs[alloc_count].fixed = how == AllocateAddress;
		alloc_count++;
	}
	return s;
}

static void free_pages(EFI_PHYSICAL_ADDRESS addr)
{
	unsigned i;

	for (i = 0; i < alloc_count; i++) {
		if (allocs[i].addr != addr)
			continue;
		bs->FreePages(addr, allocs[i].pages);
		memmove(&allocs[i], &allocs[i + 1], (alloc_count - i - 1) * sizeof(allocs[0]));
		alloc_count--;
		return;
	}
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

static void free_all_pages(void)
{
	while (alloc_count) {
		alloc_count--;
		bs->FreePages(allocs[alloc_count].addr, allocs[alloc_count].pages);
	}
}

/* Opens a file (path as the config parser stores it) and reports its size. */
/* The config parser admits only ASCII paths, so widening is exact. */
static void widen_path(const char *path, CHAR16 *wpath, size_t n)
{
	size_t i;

	for (i = 0; path[i] && i + 1 < n; i++)
		wpath[i] = (CHAR16)(unsigned char)path[i];
	wpath[i] = 0;
}

static EFI_STATUS open_file(EFI_FILE_HANDLE root, const char *path, EFI_FILE_HANDLE *fh,
			    UINT64 *size)
{
	static UINT64 info_buf[FILE_INFO_BUF / sizeof(UINT64)];
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	EFI_FILE_INFO *info = (EFI_FILE_INFO *)info_buf;
	CHAR16 wpath[UEFI_CFG_PATH_MAX];
	UINTN info_size = sizeof(info_buf);
	EFI_STATUS s;

	widen_path(path, wpath, ARRAY_SIZE(wpath));
	s = root->Open(root, fh, wpath, EFI_FILE_MODE_READ, 0);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: cannot open %s: %s", path, efi_err(s));
		return s;
	}
	s = (*fh)->GetInfo(*fh, &info_guid, &info_size, info);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: cannot read the size of %s: %s", path, efi_err(s));
		(*fh)->Close(*fh);
		return s;
	}
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		pr_err("uefi: %s is a directory, not a file", path);
		(*fh)->Close(*fh);
		return EFI_NOT_FOUND;
	}
	*size = info->FileSize;
	return EFI_SUCCESS;
}

static EFI_STATUS read_all(EFI_FILE_HANDLE fh, const char *path, void *buf, UINT64 size)
{
	UINT8 *p = buf;
	UINT64 done = 0;

	while (done < size) {
		UINTN n = size - done;
		EFI_STATUS s = fh->Read(fh, &n, p + done);

		if (s != EFI_SUCCESS) {
			pr_err("uefi: reading %s failed at byte %llu: %s", path,
			       (unsigned long long)done, efi_err(s));
			return s;
		}
		if (n == 0) {
			pr_err("uefi: %s ended after %llu of %llu bytes", path,
			       (unsigned long long)done, (unsigned long long)size);
			return EFI_END_OF_FILE;
		}
		done += n;
	}
	return EFI_SUCCESS;
}

/* Reads a whole file into pool memory (*buf is NULL when the file is empty). */
static EFI_STATUS read_file_pool(EFI_FILE_HANDLE root, const char *path, UINT64 max, void **buf,
				 UINT64 *size)
{
	EFI_FILE_HANDLE fh;
	EFI_STATUS s;

	*buf = NULL;
	s = open_file(root, path, &fh, size);
	if (s != EFI_SUCCESS)
		return s;
	if (*size > max) {
		pr_err("uefi: %s is %llu bytes, more than the %llu allowed", path,
		       (unsigned long long)*size, (unsigned long long)max);
		s = EFI_BAD_BUFFER_SIZE;
		goto out;
	}
	if (*size == 0)
		goto out;
	s = bs->AllocatePool(EfiLoaderData, *size, buf);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: no memory to read %s (%llu bytes): %s", path,
		       (unsigned long long)*size, efi_err(s));
		*buf = NULL;
		goto out;
	}
	s = read_all(fh, path, *buf, *size);
	if (s != EFI_SUCCESS) {
		bs->FreePool(*buf);
		*buf = NULL;
	}
out:
	fh->Close(fh);
	return s;
}

/* The config file's path: the load options' path if any, else the default. */
static EFI_STATUS config_path(EFI_LOADED_IMAGE *li, char *path, size_t size)
{
	int r = uefi_load_options_path(li->LoadOptions, li->LoadOptionsSize, path, size);

	if (r < 0)
		return EFI_INVALID_PARAMETER;
	if (r == 0)
		hv_strlcpy(path, UEFI_CFG_DEFAULT_PATH, size);
	return EFI_SUCCESS;
}

static EFI_STATUS load_config(EFI_FILE_HANDLE root, const char *path)
{
	void *buf;
	UINT64 size;
	EFI_STATUS s;
	int r;

	pr_info("uefi: config %s", path);
	s = read_file_pool(root, path, UEFI_CFG_FILE_MAX, &buf, &size);
	if (s != EFI_SUCCESS)
		return s;
	r = uefi_config_parse(buf, size, &cfg);
	if (buf)
		bs->FreePool(buf);
	return r ? EFI_INVALID_PARAMETER : EFI_SUCCESS;
}

/* Opens the volume behind a handle when it holds the file at path. */
static EFI_STATUS open_volume_with(EFI_HANDLE h, const char *path, EFI_FILE_HANDLE *root)
{
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	CHAR16 wpath[UEFI_CFG_PATH_MAX];
	EFI_FILE_HANDLE fh;
	EFI_STATUS s;

	s = bs->HandleProtocol(h, &sfs_guid, (void **)&sfs);
	if (s != EFI_SUCCESS)
		return s;
	s = sfs->OpenVolume(sfs, root);
	if (s != EFI_SUCCESS)
		return s;
	widen_path(path, wpath, ARRAY_SIZE(wpath));
	s = (*root)->Open(*root, &fh, wpath, EFI_FILE_MODE_READ, 0);
	if (s != EFI_SUCCESS) {
		(*root)->Close(*root);
		return s;
	}
	fh->Close(fh);
	return EFI_SUCCESS;
}

/*
 * The volume holding the config: the loader's own device first; failing
 * that (an ISO booted as a CD exposes only its El Torito image there), the
 * first file system of the machine that has the file.
 */
static EFI_STATUS find_volume(EFI_LOADED_IMAGE *li, const char *path, EFI_FILE_HANDLE *root)
{
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;
	EFI_STATUS s;

	if (open_volume_with(li->DeviceHandle, path, root) == EFI_SUCCESS)
		return EFI_SUCCESS;
	s = bs->LocateHandleBuffer(ByProtocol, &sfs_guid, NULL, &count, &handles);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: no file system holds %s: %s", path, efi_err(s));
		return EFI_NOT_FOUND;
	}
	for (UINTN i = 0; i < count; i++) {
		if (open_volume_with(handles[i], path, root) == EFI_SUCCESS) {
			pr_info("uefi: %s found on another volume (%u of %u)", path,
				(unsigned)i + 1, (unsigned)count);
			bs->FreePool(handles);
			return EFI_SUCCESS;
		}
	}
	bs->FreePool(handles);
	pr_err("uefi: no file system holds %s", path);
	return EFI_NOT_FOUND;
}

/* The current memory map, into a page allocation that is reused for every call. */
static EFI_STATUS get_memory_map(void **map, UINTN *cap, UINTN *size, UINTN *key, UINTN *dsize)
{
	EFI_PHYSICAL_ADDRESS addr;
	UINT32 dver;
	EFI_STATUS s;

	for (;;) {
		*size = *cap;
		s = bs->GetMemoryMap(size, *map, key, dsize, &dver);
		if (s != EFI_BUFFER_TOO_SMALL || ebs_tried)
			return s;
		/* A fresh allocation may itself add descriptors, hence the slack. */
		if (*map)
			free_pages((EFI_PHYSICAL_ADDRESS)(uintptr_t)*map);
		*map = NULL;
		*cap = ALIGN_UP(*size + MMAP_SLACK_DESCS * *dsize, PAGE_SIZE);
		s = alloc_pages(AllocateAnyPages, EFI_SIZE_TO_PAGES(*cap), &addr);
		if (s != EFI_SUCCESS)
			return s;
		*map = (void *)(uintptr_t)addr;
	}
}

static void *mmap_buf;
static UINTN mmap_cap;

/* Groups the sorted segments into runs of whole pages (two segments may share a page). */
static void plan_runs(const struct uefi_elf_image *img)
{
	uint32_t i;

	run_count = 0;
	for (i = 0; i < img->count; i++) {
		const struct uefi_elf_segment *sg = &img->seg[i];
		EFI_PHYSICAL_ADDRESS start = ALIGN_DOWN(sg->paddr, PAGE_SIZE);
		EFI_PHYSICAL_ADDRESS end = ALIGN_UP(sg->paddr + sg->memsz, PAGE_SIZE);

		if (run_count && start <= runs[run_count - 1].end) {
			runs[run_count - 1].end = MAX(runs[run_count - 1].end, end);
			continue;
		}
		runs[run_count++] = (struct hv_run){ .start = start, .end = end };
	}
}

/*
 * Stages a run the firmware is still using: checks that the firmware gives
 * all of it up at ExitBootServices(), claims its free pages so no later
 * allocation lands there, and builds the run in a copy elsewhere.
 */
static EFI_STATUS stage_run(struct hv_run *r)
{
	EFI_PHYSICAL_ADDRESS addr;
	UINTN size, key, dsize, i;
	EFI_STATUS s;

	s = get_memory_map(&mmap_buf, &mmap_cap, &size, &key, &dsize);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: GetMemoryMap failed: %s", efi_err(s));
		return s;
	}
	if (uefi_mmap_check_reusable(mmap_buf, size, dsize, r->start, r->end - r->start, false)) {
		pr_err("uefi: cannot place the hypervisor at 0x%llx-0x%llx",
		       (unsigned long long)r->start, (unsigned long long)r->end);
		return EFI_NOT_FOUND;
	}
	for (i = 0; i + dsize <= size; i += dsize) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((UINT8 *)mmap_buf + i);
		EFI_PHYSICAL_ADDRESS b = MAX(d->PhysicalStart, r->start);
		EFI_PHYSICAL_ADDRESS e = MIN(d->PhysicalStart + (d->NumberOfPages << PAGE_SHIFT),
					     r->end);

		if (d->Type != EfiConventionalMemory || b >= e)
			continue;
		addr = b;
		s = alloc_pages(AllocateAddress, (e - b) >> PAGE_SHIFT, &addr);
		if (s != EFI_SUCCESS) {
			pr_err("uefi: cannot claim free pages 0x%llx-0x%llx: %s",
			       (unsigned long long)b, (unsigned long long)e, efi_err(s));
			return s;
		}
	}
	s = alloc_pages(AllocateAnyPages, (r->end - r->start) >> PAGE_SHIFT, &addr);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: no memory to stage 0x%llx-0x%llx: %s", (unsigned long long)r->start,
		       (unsigned long long)r->end, efi_err(s));
		return s;
	}
	r->buf = (UINT8 *)(uintptr_t)addr;
	r->staged = true;
	pr_info("uefi: 0x%llx-0x%llx is boot services memory; staged at 0x%llx until "
		"ExitBootServices",
		(unsigned long long)r->start, (unsigned long long)r->end, (unsigned long long)addr);
	return EFI_SUCCESS;
}

/* Claims each run at its physical address (or stages it), then copies and zeroes. */
static EFI_STATUS place_segments(const struct uefi_elf_image *img, const UINT8 *file)
{
	uint32_t i, j;

	plan_runs(img);
	for (i = 0; i < run_count; i++) {
		struct hv_run *r = &runs[i];
		EFI_PHYSICAL_ADDRESS addr = r->start;
		EFI_STATUS s;

		s = alloc_pages(AllocateAddress, (r->end - r->start) >> PAGE_SHIFT, &addr);
		if (s == EFI_SUCCESS)
			r->buf = (UINT8 *)(uintptr_t)r->start;
		else if (s == EFI_NOT_FOUND)
			s = stage_run(r);
		if (s != EFI_SUCCESS) {
			pr_err("uefi: cannot claim 0x%llx-0x%llx for the hypervisor: %s",
			       (unsigned long long)r->start, (unsigned long long)r->end,
			       efi_err(s));
			return s;
		}
		memset(r->buf, 0, r->end - r->start);
	}
	for (i = 0; i < img->count; i++) {
		const struct uefi_elf_segment *sg = &img->seg[i];

		for (j = 0; j < run_count && sg->paddr >= runs[j].end; j++)
			;
		memcpy(runs[j].buf + (sg->paddr - runs[j].start), file + sg->offset, sg->filesz);
	}
	return EFI_SUCCESS;
}

/* True when one of the firmware's page tables lies in [base, end). */
static bool page_tables_in(uint64_t table, int level, uint64_t base, uint64_t end, unsigned *budget)
{
	const uint64_t *t = (const uint64_t *)(uintptr_t)table;
	unsigned i;

	if (overlaps(table, table + PAGE_SIZE, base, end))
		return true;
	if (level == 1 || *budget == 0)
		return false;
	(*budget)--;
	for (i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = t[i];

		/* PS in a PDPT (level 3) or PD (level 2) entry maps a 1 GiB or 2 MiB page. */
		if (!(e & PTE_P) || ((level == 2 || level == 3) && (e & PTE_PS)))
			continue;
		if (page_tables_in(e & PTE_ADDR, level - 1, base, end, budget))
			return true;
	}
	return false;
}

/*
 * A staged run is copied over boot services memory after ExitBootServices(),
 * while the CPU still runs on the firmware's stack, GDT, IDT and page tables,
 * and next to the loader's other allocations: none may lie there.
 */
static EFI_STATUS check_staged_runs(void)
{
	struct __packed {
		uint16_t limit;
		uint64_t base;
	} gdtr, idtr;
	uint64_t cr3, cr4, stack_base = 0, stack_size = 0;
	UINTN size, key, dsize;
	uint32_t i, type;
	unsigned j, budget = PT_WALK_MAX;
	EFI_STATUS s;

	for (i = 0; i < run_count && !runs[i].staged; i++)
		;
	if (i == run_count)
		return EFI_SUCCESS;
	s = get_memory_map(&mmap_buf, &mmap_cap, &size, &key, &dsize);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: GetMemoryMap failed: %s", efi_err(s));
		return s;
	}
	if (!uefi_mmap_find(mmap_buf, size, dsize, (uint64_t)(uintptr_t)&key, &stack_base,
			    &stack_size, &type))
		pr_warn("uefi: the loader's stack at 0x%llx is in no memory map entry",
			(unsigned long long)(uintptr_t)&key);
	asm volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	asm volatile("mov %%cr3, %0; mov %%cr4, %1" : "=r"(cr3), "=r"(cr4));
	for (i = 0; i < run_count; i++) {
		const struct hv_run *r = &runs[i];
		const char *what = NULL;

		if (!r->staged)
			continue;
		if (overlaps(stack_base, stack_base + stack_size, r->start, r->end))
			what = "the firmware stack";
		else if (overlaps(gdtr.base, gdtr.base + gdtr.limit + 1, r->start, r->end))
			what = "the firmware GDT";
		else if (overlaps(idtr.base, idtr.base + idtr.limit + 1, r->start, r->end))
			what = "the firmware IDT";
		else if (page_tables_in(cr3 & PTE_ADDR, cr4 & CR4_LA57 ? 5 : 4, r->start, r->end,
					&budget))
			what = "the firmware page tables";
		for (j = 0; j < alloc_count && !what; j++) {
			uint64_t a = allocs[j].addr, a_end = a + (allocs[j].pages << PAGE_SHIFT);

			if (!allocs[j].fixed && overlaps(a, a_end, r->start, r->end))
				what = "the loader's own data";
		}
		if (what) {
			pr_err("uefi: 0x%llx-0x%llx holds %s; the hypervisor cannot be placed "
			       "there",
			       (unsigned long long)r->start, (unsigned long long)r->end, what);
			return EFI_ACCESS_DENIED;
		}
	}
	return EFI_SUCCESS;
}

static EFI_STATUS load_hypervisor(EFI_FILE_HANDLE root, struct uefi_elf_image *img)
{
	void *buf;
	UINT64 size;
	EFI_STATUS s;

	s = read_file_pool(root, cfg.hypervisor, HV_FILE_MAX, &buf, &size);
	if (s != EFI_SUCCESS)
		return s;
	if (uefi_elf_check(buf, size, img)) {
		pr_err("uefi: %s is not a loadable hypervisor image", cfg.hypervisor);
		s = EFI_LOAD_ERROR;
	} else {
		s = place_segments(img, buf);
	}
	if (buf)
		bs->FreePool(buf);
	if (s == EFI_SUCCESS)
		pr_info("uefi: hypervisor %s: %u segments at 0x%llx-0x%llx, entry 0x%llx",
			cfg.hypervisor, img->count, (unsigned long long)img->phys_start,
			(unsigned long long)img->phys_end, (unsigned long long)img->entry);
	return s;
}

static EFI_STATUS load_module(EFI_FILE_HANDLE root, const struct uefi_cfg_module *m,
			      struct boot_module *out)
{
	EFI_PHYSICAL_ADDRESS addr = BELOW_4G;
	EFI_FILE_HANDLE fh;
	UINT64 size, pages;
	EFI_STATUS s;

	s = open_file(root, m->path, &fh, &size);
	if (s != EFI_SUCCESS)
		return s;
	if (size > BELOW_4G) {
		pr_err("uefi: module %s is %llu bytes, too large to fit below 4 GiB", m->path,
		       (unsigned long long)size);
		s = EFI_BAD_BUFFER_SIZE;
		goto out;
	}
	/* An empty module still gets a page, so every module has its own address. */
	pages = size ? ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT : 1;
	s = alloc_pages(AllocateMaxAddress, pages, &addr);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: no memory below 4 GiB for module %s (%llu bytes): %s", m->path,
		       (unsigned long long)size, efi_err(s));
		goto out;
	}
	s = read_all(fh, m->path, (void *)(uintptr_t)addr, size);
	if (s != EFI_SUCCESS)
		goto out;
	memset((void *)(uintptr_t)(addr + size), 0, (pages << PAGE_SHIFT) - size);
	out->start = addr;
	out->end = addr + size;
	hv_strlcpy(out->tag, m->tag, sizeof(out->tag));
	pr_info("uefi: module %s: %llu bytes at 0x%llx, tag '%s'", m->path,
		(unsigned long long)size, (unsigned long long)addr, m->tag);
out:
	fh->Close(fh);
	return s;
}

static bool guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Copies the RSDP, preferring the ACPI 2.0 table entry (XSDT) over the 1.0 one. */
static void find_rsdp(struct boot_info *bi)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	const UINT8 *v1 = NULL, *v2 = NULL, *r;
	UINTN i;

	for (i = 0; i < st->NumberOfTableEntries; i++) {
		const EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];

		if (guid_eq(&t->VendorGuid, &acpi20))
			v2 = t->VendorTable;
		else if (guid_eq(&t->VendorGuid, &acpi10))
			v1 = t->VendorTable;
	}
	if (v2 && memcmp(v2, RSDP_SIG, RSDP_SIG_LEN) == 0 && v2[RSDP_REVISION_OFF] >= 2) {
		memcpy(bi->rsdp, v2, RSDP_V2_LEN);
		bi->rsdp_len = RSDP_V2_LEN;
		bi->flags |= BOOT_INFO_F_RSDP_V2;
		r = v2;
	} else if ((r = v1 ? v1 : v2) && memcmp(r, RSDP_SIG, RSDP_SIG_LEN) == 0) {
		memcpy(bi->rsdp, r, RSDP_V1_LEN);
		bi->rsdp_len = RSDP_V1_LEN;
	} else {
		pr_warn("uefi: the firmware lists no ACPI RSDP");
		return;
	}
	bi->rsdp_phys = (uint64_t)(uintptr_t)r;
	pr_info("uefi: ACPI RSDP revision %u at 0x%llx", r[RSDP_REVISION_OFF],
		(unsigned long long)bi->rsdp_phys);
}

/* The GOP framebuffer, when the current mode has one in a 32-bit RGB layout. */
static void find_framebuffer(struct boot_info *bi)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;

	if (bs->LocateProtocol(&gop_guid, NULL, (void **)&gop) != EFI_SUCCESS || !gop->Mode ||
	    !gop->Mode->Info)
		return;
	info = gop->Mode->Info;
	if (info->PixelFormat != PixelRedGreenBlueReserved8BitPerColor &&
	    info->PixelFormat != PixelBlueGreenRedReserved8BitPerColor)
		return;
	bi->fb.addr = gop->Mode->FrameBufferBase;
	bi->fb.pitch = info->PixelsPerScanLine * (FB_BPP_32 / 8);
	bi->fb.width = info->HorizontalResolution;
	bi->fb.height = info->VerticalResolution;
	bi->fb.bpp = FB_BPP_32;
	bi->fb.type = FB_TYPE_RGB;
	bi->flags |= BOOT_INFO_F_FRAMEBUFFER;
}

static EFI_STATUS fill_boot_info(EFI_FILE_HANDLE root, const struct uefi_elf_image *img,
				 struct boot_info *bi)
{
	uint32_t i;

	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->path = BOOT_PATH_UEFI_LOADER;
	bi->efi_system_table = (uint64_t)(uintptr_t)st;
	bi->image_start = img->phys_start;
	bi->image_end = img->phys_end;
	hv_strlcpy(bi->loader_name, LOADER_NAME, sizeof(bi->loader_name));
	hv_strlcpy(bi->cmdline, cfg.cmdline, sizeof(bi->cmdline));
	for (i = 0; i < cfg.module_count; i++) {
		EFI_STATUS s = load_module(root, &cfg.modules[i], &bi->modules[i]);

		if (s != EFI_SUCCESS)
			return s;
		bi->module_count++;
	}
	find_rsdp(bi);
	find_framebuffer(bi);
	return EFI_SUCCESS;
}

/*
 * Takes the final memory map into bi->mem[] and leaves boot services. A map
 * key gone stale between the two calls (EFI_INVALID_PARAMETER) means: fetch
 * the map again and retry (UEFI 2.10, 7.4.6 ExitBootServices()).
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct boot_info *bi)
{
	UINTN size, key, dsize;
	EFI_STATUS s;
	unsigned tries;
	uint32_t i;

	/* One conversion while the console may still be used, so its warnings are seen. */
	s = get_memory_map(&mmap_buf, &mmap_cap, &size, &key, &dsize);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: GetMemoryMap failed: %s", efi_err(s));
		return s;
	}
	if (uefi_mmap_convert(mmap_buf, size, dsize, bi))
		return EFI_INVALID_PARAMETER;
	pr_info("uefi: %u memory ranges; leaving boot services", bi->mem_count);

	con_quiet = true;
	for (tries = 1; tries <= EBS_TRIES; tries++) {
		s = get_memory_map(&mmap_buf, &mmap_cap, &size, &key, &dsize);
		if (s != EFI_SUCCESS)
			break;
		if (uefi_mmap_convert(mmap_buf, size, dsize, bi)) {
			s = EFI_INVALID_PARAMETER;
			break;
		}
		/* Staged runs are checked on the very map boot services end with. */
		for (i = 0; i < run_count; i++) {
			if (runs[i].staged &&
			    uefi_mmap_check_reusable(mmap_buf, size, dsize, runs[i].start,
						     runs[i].end - runs[i].start, true)) {
				s = EFI_ACCESS_DENIED;
				break;
			}
		}
		if (s != EFI_SUCCESS)
			break;
		ebs_tried = true;
		s = bs->ExitBootServices(image, key);
		if (s != EFI_INVALID_PARAMETER)
			break;
	}
	if (s == EFI_SUCCESS)
		return s;
	/* The console may be gone after a failed try; it is all there is to report with. */
	con_quiet = false;
	pr_err("uefi: leaving boot services failed after %u tries: %s", MIN(tries, EBS_TRIES),
	       efi_err(s));
	return s;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The entry contract: long mode, firmware identity map, IF=0, RDI = &boot_info. */
static __noreturn void enter_hypervisor(uint64_t entry, struct boot_info *bi)
{
	typedef void __attribute__((sysv_abi)) (*hv_entry_fn)(uint64_t boot_info_phys);
	hv_entry_fn fn = (hv_entry_fn)(uintptr_t)entry;
	uint32_t i;

	asm volatile("cli" ::: "memory");
	for (i = 0; i < run_count; i++)
		if (runs[i].staged)
			memcpy((void *)(uintptr_t)runs[i].start, runs[i].buf,
			       runs[i].end - runs[i].start);
	bi->loader_tsc = rdtsc();
	fn((uint64_t)(uintptr_t)bi);
	for (;;)
		asm volatile("cli; hlt");
}

static EFI_STATUS boot(EFI_HANDLE image)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root;
	char cfg_path[UEFI_CFG_PATH_MAX];
	EFI_PHYSICAL_ADDRESS bi_addr = BELOW_4G;
	static struct uefi_elf_image img;
	struct boot_info *bi = NULL;
	EFI_STATUS s;

	s = bs->HandleProtocol(image, &li_guid, (void **)&li);
	if (s != EFI_SUCCESS) {
		pr_err("uefi: no loaded-image protocol on the loader's handle: %s", efi_err(s));
		return s;
	}
	s = config_path(li, cfg_path, sizeof(cfg_path));
	if (s != EFI_SUCCESS)
		return s;
	s = find_volume(li, cfg_path, &root);
	if (s != EFI_SUCCESS)
		return s;
	s = load_config(root, cfg_path);
	if (s == EFI_SUCCESS)
		s = load_hypervisor(root, &img);
	if (s == EFI_SUCCESS) {
		s = alloc_pages(AllocateMaxAddress, ALIGN_UP(sizeof(*bi), PAGE_SIZE) >> PAGE_SHIFT,
				&bi_addr);
		if (s != EFI_SUCCESS)
			pr_err("uefi: no memory below 4 GiB for boot_info: %s", efi_err(s));
	}
	if (s == EFI_SUCCESS) {
		bi = (struct boot_info *)(uintptr_t)bi_addr;
		s = fill_boot_info(root, &img, bi);
	}
	root->Close(root);
	if (s == EFI_SUCCESS)
		s = check_staged_runs();
	if (s != EFI_SUCCESS)
		return s;
	pr_info("uefi: boot_info at 0x%llx, %u modules, cmdline '%s'", (unsigned long long)bi_addr,
		bi->module_count, bi->cmdline);
	s = exit_boot_services(image, bi);
	if (s != EFI_SUCCESS)
		return s;
	enter_hypervisor(img.entry, bi);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_STATUS s;

	st = systab;
	bs = systab->BootServices;
	log_set_sink(con_sink);
	log_set_level(LOG_INFO);
	pr_info("%s", LOADER_NAME);
	s = boot(image);
	pr_err("uefi: boot failed (%s); returning to the firmware", efi_err(s));
	if (!ebs_tried) {
		free_all_pages();
		bs->Stall(FAIL_PAUSE_US);
	}
	return s;
}
