// SPDX-License-Identifier: GPL-2.0-only
/* Checks the hypervisor's ELF64 header and program headers before the UEFI loader places it. */
#include "uefi_elf.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"

/* ELF-64 Object File Format 1.5 and the System V gABI, "ELF Header" and "Program Header". */
#define EI_NIDENT     16
#define EI_CLASS      4
#define EI_DATA	      5
#define EI_VERSION    6
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC	      2
#define EM_X86_64     62 /* System V ABI AMD64 supplement, 4.1.1 */
#define PN_XNUM	      0xffff
#define PT_LOAD	      1
#define ELF64_EHDR_SZ 64
#define ELF64_PHDR_SZ 56

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == ELF64_EHDR_SZ, "ELF64 header layout");
_Static_assert(sizeof(struct elf64_phdr) == ELF64_PHDR_SZ, "ELF64 program header layout");

static int elf_check_header(const struct elf64_ehdr *eh, size_t size)
{
	uint64_t ph_bytes;

	if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
		pr_err("uefi: hypervisor image has ELF class %u, not ELFCLASS64",
		       eh->e_ident[EI_CLASS]);
		return -HV_ENOEXEC;
	}
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		pr_err("uefi: hypervisor image has ELF data encoding %u, not little-endian",
		       eh->e_ident[EI_DATA]);
		return -HV_ENOEXEC;
	}
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT) {
		pr_err("uefi: hypervisor image has ELF version %u/%u, not %u",
		       eh->e_ident[EI_VERSION], eh->e_version, EV_CURRENT);
		return -HV_ENOEXEC;
	}
	if (eh->e_type != ET_EXEC) {
		pr_err("uefi: hypervisor image has ELF type %u, not ET_EXEC (%u)", eh->e_type,
		       ET_EXEC);
		return -HV_ENOEXEC;
	}
	if (eh->e_machine != EM_X86_64) {
		pr_err("uefi: hypervisor image is for ELF machine %u, not x86_64 (%u)",
		       eh->e_machine, EM_X86_64);
		return -HV_ENOEXEC;
	}
	if (eh->e_ehsize < ELF64_EHDR_SZ) {
		pr_err("uefi: hypervisor image has e_ehsize %u, below %u", eh->e_ehsize,
		       ELF64_EHDR_SZ);
		return -HV_ENOEXEC;
	}
	if (eh->e_phentsize < ELF64_PHDR_SZ) {
		pr_err("uefi: hypervisor image has e_phentsize %u, below %u", eh->e_phentsize,
		       ELF64_PHDR_SZ);
		return -HV_ENOEXEC;
	}
	if (eh->e_phnum == 0 || eh->e_phnum == PN_XNUM) {
		pr_err("uefi: hypervisor image has e_phnum %u (no program headers, or extended "
		       "numbering)",
		       eh->e_phnum);
		return -HV_ENOEXEC;
	}
	/* Both factors are 16 bits, so the product cannot overflow. */
	ph_bytes = (uint64_t)eh->e_phnum * eh->e_phentsize;
	if (eh->e_phoff > size || ph_bytes > size - eh->e_phoff) {
		pr_err("uefi: hypervisor image program headers at 0x%llx (%u x %u bytes) run past "
		       "the end of the %zu-byte file",
		       (unsigned long long)eh->e_phoff, eh->e_phnum, eh->e_phentsize, size);
		return -HV_ENOEXEC;
	}
	return 0;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static int elf_check_load(const struct elf64_phdr *ph, unsigned idx, size_t size)
{
	if (ph->p_filesz > ph->p_memsz) {
		pr_err("uefi: hypervisor segment %u: p_filesz 0x%llx exceeds p_memsz 0x%llx", idx,
		       (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
		return -HV_ENOEXEC;
	}
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset) {
		pr_err("uefi: hypervisor segment %u: file bytes at 0x%llx (+0x%llx) run past the "
		       "end of the %zu-byte file",
		       idx, (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz,
		       size);
		return -HV_ENOEXEC;
	}
	if (ph->p_paddr >= UEFI_ELF_PHYS_LIMIT || ph->p_memsz > UEFI_ELF_PHYS_LIMIT - ph->p_paddr) {
		pr_err("uefi: hypervisor segment %u: p_paddr 0x%llx + p_memsz 0x%llx is beyond "
		       "physical address space",
		       idx, (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_memsz);
		return -HV_ENOEXEC;
	}
	if (ph->p_vaddr > UINT64_MAX - ph->p_memsz) {
		pr_err("uefi: hypervisor segment %u: p_vaddr 0x%llx + p_memsz 0x%llx overflows",
		       idx, (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_memsz);
		return -HV_ENOEXEC;
	}
	/* gABI: p_align is 0, 1 or a power of two, and p_vaddr == p_offset modulo p_align. */
	if (ph->p_align > 1 &&
	    (!is_pow2(ph->p_align) || (ph->p_vaddr - ph->p_offset) & (ph->p_align - 1))) {
		pr_err("uefi: hypervisor segment %u: p_align 0x%llx does not fit p_vaddr 0x%llx "
		       "and p_offset 0x%llx",
		       idx, (unsigned long long)ph->p_align, (unsigned long long)ph->p_vaddr,
		       (unsigned long long)ph->p_offset);
		return -HV_ENOEXEC;
	}
	return 0;
}

static void elf_insert_sorted(struct uefi_elf_image *img, const struct uefi_elf_segment *s)
{
	uint32_t i = img->count;

	while (i > 0 && img->seg[i - 1].paddr > s->paddr) {
		img->seg[i] = img->seg[i - 1];
		i--;
	}
	img->seg[i] = *s;
	img->count++;
}

static int elf_check_layout(struct uefi_elf_image *img, uint64_t e_entry)
{
	uint32_t i;
	bool entry_found = false;

	if (img->count == 0) {
		pr_err("uefi: hypervisor image has no PT_LOAD segment with memory");
		return -HV_ENOEXEC;
	}
	for (i = 0; i + 1 < img->count; i++) {
		const struct uefi_elf_segment *a = &img->seg[i], *b = &img->seg[i + 1];

		if (a->paddr + a->memsz > b->paddr) {
			pr_err("uefi: hypervisor segments at 0x%llx (+0x%llx) and 0x%llx overlap",
			       (unsigned long long)a->paddr, (unsigned long long)a->memsz,
			       (unsigned long long)b->paddr);
			return -HV_ENOEXEC;
		}
	}
	img->phys_start = img->seg[0].paddr;
	for (i = 0; i < img->count; i++) {
		const struct uefi_elf_segment *s = &img->seg[i];

		img->phys_end = MAX(img->phys_end, s->paddr + s->memsz);
		/* The firmware's map is 1:1, so the entry runs at its physical address. */
		if (!entry_found && e_entry >= s->vaddr && e_entry - s->vaddr < s->memsz) {
			img->entry = s->paddr + (e_entry - s->vaddr);
			entry_found = true;
		}
	}
	if (!entry_found) {
		pr_err("uefi: hypervisor entry point 0x%llx lies in no PT_LOAD segment",
		       (unsigned long long)e_entry);
		return -HV_ENOEXEC;
	}
	return 0;
}

int uefi_elf_check(const void *file, size_t size, struct uefi_elf_image *img)
{
	const uint8_t *p = file;
	struct elf64_ehdr eh;
	unsigned i;
	int err;

	memset(img, 0, sizeof(*img));
	/* Name a file that is no ELF at all as such, whatever its size. */
	if (size >= sizeof(elf_magic) && memcmp(p, elf_magic, sizeof(elf_magic)) != 0) {
		pr_err("uefi: hypervisor image is not an ELF file (magic %02x %02x %02x %02x)",
		       p[0], p[1], p[2], p[3]);
		return -HV_ENOEXEC;
	}
	if (size < sizeof(eh)) {
		pr_err("uefi: hypervisor image is %zu bytes, too small for an ELF64 header", size);
		return -HV_ENOEXEC;
	}
	memcpy(&eh, p, sizeof(eh));
	err = elf_check_header(&eh, size);
	if (err)
		return err;
	for (i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		struct uefi_elf_segment s;

		memcpy(&ph, p + eh.e_phoff + (uint64_t)i * eh.e_phentsize, sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		err = elf_check_load(&ph, i, size);
		if (err)
			return err;
		if (ph.p_memsz == 0)
			continue;
		if (img->count == UEFI_ELF_SEGMENTS_MAX) {
			pr_err("uefi: hypervisor image has more than %u PT_LOAD segments",
			       UEFI_ELF_SEGMENTS_MAX);
			return -HV_ENOEXEC;
		}
		s = (struct uefi_elf_segment){ .paddr = ph.p_paddr,
					       .vaddr = ph.p_vaddr,
					       .memsz = ph.p_memsz,
					       .offset = ph.p_offset,
					       .filesz = ph.p_filesz };
		elf_insert_sorted(img, &s);
	}
	return elf_check_layout(img, eh.e_entry);
}
