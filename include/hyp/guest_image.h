/*
 * Checks of the Linux guest's boot files before hypnest loads them
 * (vm/guest_image.c): the arm64 Image header (Linux's
 * Documentation/arch/arm64/booting.rst) and the initrd's format. Pure
 * byte-level logic, built for the host too and unit-tested there.
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

struct arm64_image_info {
	uint64_t text_offset; /* from a 2 MiB-aligned base */
	uint64_t
	    image_size; /* bytes the kernel owns from its start (bss too) */
	uint64_t flags;
	uint64_t file_size; /* bytes to copy: never more than image_size */
};

/*
 * Check a Linux arm64 Image of file_size bytes at img: 0 and *info, or
 * non-zero with a one-line message "guest kernel: <what is wrong>".
 *
 * Refused: no image or fewer than 64 bytes; no "ARM\x64" magic (with a
 * specific message for gzip, EFI zboot and ELF files: the Image must be
 * uncompressed); big-endian; built for 16K or 64K pages (page size 0,
 * unspecified, and 4K are accepted); image_size 0 (kernels before 3.17,
 * whose text_offset has no defined endianness); text_offset not a
 * multiple of 4 KiB; text_offset + image_size overflowing; a file larger
 * than image_size; a file shorter than its PE/COFF section table says.
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

/* Where the Image goes, from a 2 MiB-aligned base in guest RAM:
 * text_offset (0 for every kernel since 5.8). */
uint64_t arm64_image_load_offset(const struct arm64_image_info *info);

/*
 * Check an initrd: 0 when it is a newc cpio archive ("070701", or
 * "070702" with checksums) or gzip data (1f 8b, deflate), else non-zero
 * with a one-line message "guest initrd: <what is wrong>" that names
 * the format when it is a known one (old cpio formats, xz, zstd, lz4,
 * bzip2, lzma, lzo) Linux could only read with other options. Only the
 * first bytes are read: a damaged archive further in is not detected.
 */
int initrd_check(const void *p, uint64_t size, char *err, size_t errlen);

#endif
