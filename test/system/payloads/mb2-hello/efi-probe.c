// SPDX-License-Identifier: GPL-2.0-only
// UEFI application standing in for the Bulkhead loader: reports where \EFI\bulkhead\bulkhead.cfg can be read.
//
// The real loader reads its configuration through the Simple File System of
// the device it was loaded from. Boot media differ in what that device is
// (a GPT ESP, an El Torito image, an ISO9660 disk that UEFI cannot read), so
// this probe prints one line that the media self-test checks:
//   efi-probe: cfg=own first-line=<...>    found on LoadedImage->DeviceHandle
//   efi-probe: cfg=other first-line=<...>  only on another Simple File System
//   efi-probe: cfg=none                    on no volume at all
// and then ends QEMU through isa-debug-exit.
#include <efi.h>
#include <efilib.h>

#define CFG_PATH	L"\\EFI\\bulkhead\\bulkhead.cfg"
#define LINE_MAX_BYTES	120
#define DEBUG_EXIT_PORT 0xf4

static CHAR8 line[LINE_MAX_BYTES + 1];

static void debug_exit(UINT8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(DEBUG_EXIT_PORT));
}

// Reads the first line of the configuration file on DEV into line[].
static EFI_STATUS read_cfg(EFI_HANDLE dev)
{
	EFI_FILE_IO_INTERFACE *sfs;
	EFI_FILE_HANDLE root, file;
	EFI_STATUS status;
	UINTN len = LINE_MAX_BYTES;
	UINTN i;

	if (!dev)
		return EFI_INVALID_PARAMETER;
	status = uefi_call_wrapper(BS->HandleProtocol, 3, dev, &FileSystemProtocol, (void **)&sfs);
	if (EFI_ERROR(status))
		return status;
	status = uefi_call_wrapper(sfs->OpenVolume, 2, sfs, &root);
	if (EFI_ERROR(status))
		return status;
	status = uefi_call_wrapper(root->Open, 5, root, &file, CFG_PATH, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(status)) {
		uefi_call_wrapper(root->Close, 1, root);
		return status;
	}
	status = uefi_call_wrapper(file->Read, 3, file, &len, line);
	uefi_call_wrapper(file->Close, 1, file);
	uefi_call_wrapper(root->Close, 1, root);
	if (EFI_ERROR(status))
		return status;
	line[len] = 0;
	for (i = 0; i < len; i++) {
		if (line[i] == '\r' || line[i] == '\n') {
			line[i] = 0;
			break;
		}
	}
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_HANDLE *handles = NULL;
	UINTN count = 0, i;
	EFI_STATUS status;

	InitializeLib(image, systab);
	status = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
				   (void **)&li);
	if (EFI_ERROR(status)) {
		Print(L"efi-probe: cfg=none (no LoadedImage: %r)\r\n", status);
		debug_exit(1);
		return status;
	}
	status = read_cfg(li->DeviceHandle);
	if (!EFI_ERROR(status)) {
		Print(L"efi-probe: cfg=own first-line=%a\r\n", line);
		debug_exit(0);
		return EFI_SUCCESS;
	}
	Print(L"efi-probe: own device has no config (%r)\r\n", status);

	status = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &FileSystemProtocol, NULL,
				   &count, &handles);
	if (!EFI_ERROR(status)) {
		for (i = 0; i < count; i++) {
			if (EFI_ERROR(read_cfg(handles[i])))
				continue;
			Print(L"efi-probe: cfg=other first-line=%a\r\n", line);
			debug_exit(0);
			return EFI_SUCCESS;
		}
	}
	Print(L"efi-probe: cfg=none\r\n");
	debug_exit(1);
	return EFI_NOT_FOUND;
}
