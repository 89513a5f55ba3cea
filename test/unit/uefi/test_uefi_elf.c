// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the UEFI loader's hypervisor ELF checks (boot/uefi/uefi_elf.c). */
#include <elf.h>

#include "../check.h"
#include "core/errno.h"
#include "../../../boot/uefi/uefi_elf.h"

#define HV_BASE 0x1000000ULL

/* A test image: header, up to 20 program headers, then file bytes. */
static union {
	uint8_t bytes[8192];
	Elf64_Ehdr eh;
} f;
static Elf64_Phdr *ph;
static struct uefi_elf_image img;

static Elf64_Phdr *add_phdr(uint32_t type, uint64_t off, uint64_t paddr, uint64_t filesz,
			    uint64_t memsz)
{
	Elf64_Phdr *p = &ph[f.eh.e_phnum++];

	*p = (Elf64_Phdr){ .p_type = type,
			   .p_flags = PF_R,
			   .p_offset = off,
			   .p_vaddr = paddr,
			   .p_paddr = paddr,
			   .p_filesz = filesz,
			   .p_memsz = memsz,
			   .p_align = 0x1000 };
	return p;
}

/* The shape of the hypervisor: text, rodata, data + bss, at 16 MiB. */
static void make_good(void)
{
	memset(&f, 0, sizeof(f));
	memcpy(f.eh.e_ident, ELFMAG, SELFMAG);
	f.eh.e_ident[EI_CLASS] = ELFCLASS64;
	f.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f.eh.e_ident[EI_VERSION] = EV_CURRENT;
	f.eh.e_type = ET_EXEC;
	f.eh.e_machine = EM_X86_64;
	f.eh.e_version = EV_CURRENT;
	f.eh.e_entry = HV_BASE + 0x10;
	f.eh.e_phoff = sizeof(Elf64_Ehdr);
	f.eh.e_ehsize = sizeof(Elf64_Ehdr);
	f.eh.e_phentsize = sizeof(Elf64_Phdr);
	ph = (Elf64_Phdr *)(f.bytes + sizeof(Elf64_Ehdr));
	add_phdr(PT_LOAD, 0x1000, HV_BASE, 0x800, 0x800)->p_flags = PF_R | PF_X;
	add_phdr(PT_LOAD, 0x0, HV_BASE + 0x1000, 0x100, 0x100); /* shares file page 0 */
	add_phdr(PT_LOAD, 0x1800, HV_BASE + 0x2800, 0x200, 0x5000)->p_flags = PF_R | PF_W;
}

static int check(void)
{
	test_log_clear();
	return uefi_elf_check(f.bytes, sizeof(f.bytes), &img);
}

static void test_good(void)
{
	make_good();
	add_phdr(PT_NOTE, 0xffffffffffff0000ULL, 0, 0x100, 0); /* not loaded: not checked */
	add_phdr(PT_LOAD, 0x1000, 0x5000000, 0, 0);	       /* no memory: skipped */
	CHECK_EQ(check(), 0);
	CHECK_STR(test_log_text(), "");
	CHECK_EQ(img.count, 3);
	CHECK_EQ(img.entry, HV_BASE + 0x10);
	CHECK_EQ(img.phys_start, HV_BASE);
	CHECK_EQ(img.phys_end, HV_BASE + 0x2800 + 0x5000);
	CHECK_EQ(img.seg[2].filesz, 0x200);
	CHECK_EQ(img.seg[2].memsz, 0x5000);
	CHECK_EQ(img.seg[2].offset, 0x1800);

	/* Program headers out of address order come back sorted. */
	make_good();
	ph[0].p_paddr = ph[0].p_vaddr = HV_BASE + 0x10000;
	f.eh.e_entry = HV_BASE + 0x10004;
	CHECK_EQ(check(), 0);
	CHECK_EQ(img.seg[0].paddr, HV_BASE + 0x1000);
	CHECK_EQ(img.seg[2].paddr, HV_BASE + 0x10000);
	CHECK_EQ(img.phys_start, HV_BASE + 0x1000);
	CHECK_EQ(img.phys_end, HV_BASE + 0x10800);

	/* Linked high, loaded low: the entry is translated to its physical address. */
	make_good();
	ph[0].p_vaddr = 0xffffffff80000000ULL;
	f.eh.e_entry = 0xffffffff80000040ULL;
	CHECK_EQ(check(), 0);
	CHECK_EQ(img.entry, HV_BASE + 0x40);

	/* p_align 0 and 1 mean "no constraint". */
	make_good();
	ph[0].p_align = 0;
	ph[1].p_align = 1;
	ph[1].p_offset = 0x123;
	CHECK_EQ(check(), 0);
}

static void test_bad_header(void)
{
	static const char text[] = "this is not an ELF image\n";

	test_log_clear();
	CHECK_EQ(uefi_elf_check(text, sizeof(text) - 1, &img), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor image is not an ELF file (magic 74 68 69 73)");
	make_good();
	test_log_clear();
	CHECK_EQ(uefi_elf_check(f.bytes, 10, &img), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor image is 10 bytes, too small for an ELF64 header");
	test_log_clear();
	CHECK_EQ(uefi_elf_check(f.bytes, 0, &img), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image is 0 bytes, too small");

	make_good();
	f.eh.e_ident[EI_CLASS] = ELFCLASS32;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has ELF class 1, not ELFCLASS64");
	make_good();
	f.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has ELF data encoding 2, not little-endian");
	make_good();
	f.eh.e_version = 2;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has ELF version 1/2, not 1");
	make_good();
	f.eh.e_type = ET_DYN;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has ELF type 3, not ET_EXEC (2)");
	make_good();
	f.eh.e_machine = EM_386;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image is for ELF machine 3, not x86_64 (62)");
	make_good();
	f.eh.e_ehsize = 52;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has e_ehsize 52, below 64");
	make_good();
	f.eh.e_phentsize = 32;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has e_phentsize 32, below 56");
	make_good();
	f.eh.e_phnum = 0;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has e_phnum 0");
	make_good();
	f.eh.e_phnum = PN_XNUM;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor image has e_phnum 65535");
	make_good();
	f.eh.e_phoff = sizeof(f.bytes) - 100;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG(
		"uefi: hypervisor image program headers at 0x1f9c (3 x 56 bytes) run past the end "
		"of the 8192-byte file");
	make_good();
	f.eh.e_phoff = UINT64_MAX - 8;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("program headers at 0xfffffffffffffff7 (3 x 56 bytes) run past");
	/* A larger e_phentsize is allowed; headers are that far apart. */
	make_good();
	f.eh.e_phentsize = 64;
	f.eh.e_phnum = 1;
	CHECK_EQ(check(), 0);
}

static void test_bad_segments(void)
{
	make_good();
	ph[2].p_filesz = 0x5001;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor segment 2: p_filesz 0x5001 exceeds p_memsz 0x5000");
	make_good();
	ph[2].p_offset = sizeof(f.bytes) - 0x100;
	ph[2].p_align = 0;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor segment 2: file bytes at 0x1f00 (+0x200) run past the end of "
		  "the 8192-byte file");
	make_good();
	ph[1].p_offset = UINT64_MAX - 0x10;
	ph[1].p_align = 0;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor segment 1: file bytes at 0xffffffffffffffef (+0x100) run past");
	make_good();
	ph[1].p_paddr = UEFI_ELF_PHYS_LIMIT - 0x80;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor segment 1: p_paddr 0xfffffffffff80 + p_memsz 0x100 is beyond "
		  "physical address space");
	make_good();
	ph[1].p_paddr = UINT64_MAX - 0x10;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("p_paddr 0xffffffffffffffef + p_memsz 0x100 is beyond physical address space");
	make_good();
	ph[1].p_vaddr = UINT64_MAX - 0x10;
	ph[1].p_align = 0;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor segment 1: p_vaddr 0xffffffffffffffef + p_memsz 0x100 overflows");
	make_good();
	ph[0].p_align = 0x3000;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor segment 0: p_align 0x3000 does not fit p_vaddr 0x1000000 and "
		  "p_offset 0x1000");
	make_good();
	ph[0].p_offset = 0x1100;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("hypervisor segment 0: p_align 0x1000 does not fit p_vaddr 0x1000000 and "
		  "p_offset 0x1100");
}

static void test_bad_layout(void)
{
	unsigned i;

	make_good();
	ph[1].p_paddr = HV_BASE + 0x7ff;
	ph[1].p_vaddr = HV_BASE + 0x7ff;
	ph[1].p_align = 0;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor segments at 0x1000000 (+0x800) and 0x10007ff overlap");
	make_good();
	f.eh.e_entry = HV_BASE + 0x800; /* one past the text segment */
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor entry point 0x1000800 lies in no PT_LOAD segment");
	make_good();
	for (i = 0; i < 3; i++)
		ph[i].p_type = PT_NOTE;
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor image has no PT_LOAD segment with memory");
	make_good();
	for (i = 3; i <= UEFI_ELF_SEGMENTS_MAX; i++)
		add_phdr(PT_LOAD, 0, HV_BASE + 0x100000 * i, 0x10, 0x10);
	CHECK_EQ(check(), -HV_ENOEXEC);
	CHECK_LOG("uefi: hypervisor image has more than 16 PT_LOAD segments");
}

int main(void)
{
	test_good();
	test_bad_header();
	test_bad_segments();
	test_bad_layout();
	return check_summary();
}
