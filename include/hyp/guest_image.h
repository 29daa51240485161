/*
 * Checks of the guest's boot files before hypnest loads them
 * (vm/guest_image.c): the arm64 Image header (Linux's
 * Documentation/arch/arm64/booting.rst) or a raw binary, and the initrd.
 * Pure byte-level logic, built for the host too and unit-tested there.
 */
#ifndef HYP_GUEST_IMAGE_H
#define HYP_GUEST_IMAGE_H
#include "hyp/types.h"

#define ARM64_IMAGE_HDR_SIZE 64
#define ARM64_IMAGE_MAGIC 0x644d5241U /* "ARM\x64", at offset 0x38 */

/* flags (offset 24) */
#define ARM64_IMAGE_FLAG_BE BIT(0)
#define ARM64_IMAGE_PAGE_SIZE(flags) FIELD(flags, 2, 1)
#define ARM64_IMAGE_PAGE_ANY 0 /* unspecified */
#define ARM64_IMAGE_PAGE_4K 1
#define ARM64_IMAGE_PAGE_16K 2
#define ARM64_IMAGE_PAGE_64K 3
/* 1: may sit anywhere in physical memory; 0: as low in RAM as possible */
#define ARM64_IMAGE_FLAG_PHYS_ANY BIT(3)

/* where a raw binary (no Image header) goes, from the start of guest RAM:
 * where QEMU's -kernel puts one on AArch64 */
#define RAW_BINARY_OFFSET 0x80000ULL

struct arm64_image_info {
	uint64_t text_offset; /* from a 2 MiB-aligned base */
	uint64_t
	    image_size; /* bytes the kernel owns from its start (bss too) */
	uint64_t flags;
	uint64_t file_size; /* bytes to copy: never more than image_size */
	bool raw; /* no Image header: a raw binary at RAW_BINARY_OFFSET */
};

/*
 * Check a guest kernel of file_size bytes at img: 0 and *info, or
 * non-zero with a one-line message "guest kernel: <what is wrong>".
 *
 * With the "ARM\x64" magic at 0x38 it is a Linux arm64 Image and its
 * header is checked (below). Without it, it is a raw binary, loaded as
 * QEMU loads one: its first byte at RAM base + RAW_BINARY_OFFSET, entered
 * there with x0 = the DTB; info says text_offset = RAW_BINARY_OFFSET,
 * image_size = file_size, flags = 0, raw. Bare-metal programs and test
 * suites are built that way.
 *
 * Refused: no image or 0 bytes; a file that is recognisably a packed
 * kernel (gzip, EFI zboot, ELF: a specific message; their first word is
 * no instruction, so they cannot be raw binaries); and, with the magic:
 * a header cut short of 64 bytes; big-endian; built for 16K or 64K pages
 * (page size 0, unspecified, and 4K are accepted); image_size 0 (kernels
 * before 3.17, whose text_offset has no defined endianness); text_offset
 * not a multiple of 4 KiB; text_offset + image_size overflowing; a file
 * larger than image_size; a file shorter than its PE/COFF section table
 * says.
 *
 * The rule on sizes: image_size is the kernel's whole footprint from
 * its first byte, bss included, and the file is that footprint minus
 * bss (booting.rst: "at least image_size bytes from the start of the
 * image must be free for use by the kernel"). So file_size <= image_size
 * always holds for a real kernel, and a larger file is a corrupt header
 * or not an Image; appended data such as a PE signature is far smaller
 * than any kernel's bss, so no slack is allowed.
 *
 * Truncation: the header does not say how long the file is. Kernels
 * built with the EFI stub (every distribution kernel) carry a PE/COFF
 * header at the offset in res5 (0x3c), whose section table ends exactly
 * at the end of the loadable data: a shorter file, or one that ends
 * before the PE header res5 points at, is reported as truncated. Without
 * an EFI stub (res5 = 0, or no "PE\0\0" there, or an implausible PE
 * header) truncation cannot be detected. Not checked:
 * code0/code1, res2-res4 (reserved), flags bits 4-63 (reserved for
 * future use, so a newer kernel setting them is not refused).
 */
int arm64_image_check(const void *img, uint64_t file_size,
		      struct arm64_image_info *info, char *err, size_t errlen);

/* Where the kernel goes, from a 2 MiB-aligned base in guest RAM (the
 * start of guest RAM): an Image's text_offset (0 for every kernel since
 * 5.8), a raw binary's RAW_BINARY_OFFSET. */
uint64_t arm64_image_load_offset(const struct arm64_image_info *info);

/*
 * An initrd is passed to the guest as it is, whatever it holds, as QEMU
 * passes one: initrd_check refuses only an empty one ("guest initrd:
 * empty"); initrd_format names its format by its leading bytes for the log
 * (newc or older cpio, gzip, xz, zstd, lz4, bzip2, lzma, lzo), or says it
 * does not know it.
 */
int initrd_check(const void *p, uint64_t size, char *err, size_t errlen);
const char *initrd_format(const void *p, uint64_t size);

#endif
