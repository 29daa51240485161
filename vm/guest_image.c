/*
 * Checks of the guest kernel Image and initrd (include/hyp/guest_image.h).
 * The Image header layout is that of Linux's
 * Documentation/arch/arm64/booting.rst; the PE/COFF fields read for the
 * truncation check are those of the Microsoft PE format specification.
 * Everything is read byte by byte: the buffers need no alignment.
 */
#include "hyp/guest_image.h"
#include "hyp/lib.h"

#define SZ_4K 0x1000ULL

/* header offsets */
#define HDR_TEXT_OFFSET 8
#define HDR_IMAGE_SIZE 16
#define HDR_FLAGS 24
#define HDR_MAGIC 0x38
#define HDR_PE_OFFSET 0x3c

/* PE/COFF: "PE\0\0", then the COFF file header (20 bytes) */
#define PE_SIG_SIZE 4
#define COFF_NSECTIONS 2 /* u16, from the COFF header */
#define COFF_OPT_SIZE 16 /* u16, SizeOfOptionalHeader */
#define COFF_HDR_SIZE 20
#define SEC_SIZE 40	   /* one section header */
#define SEC_RAW_SIZE 16	   /* u32, SizeOfRawData */
#define SEC_RAW_PTR 20	   /* u32, PointerToRawData */
#define PE_MAX_SECTIONS 96 /* more means a malformed header */
#define PE_MAX_OPT 4096

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int failf(char *err, size_t errlen, const char *fmt, ...) PRINTF(3, 4);

static int failf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		hyp_vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Names a file that is not an Image but is recognisably something else. */
static const char *not_image_kind(const uint8_t *p)
{
	if (p[0] == 0x1f && p[1] == 0x8b)
		return "gzip-compressed (a vmlinuz.gz?)";
	if (p[0] == 'M' && p[1] == 'Z' && !memcmp(p + 4, "zimg", 4))
		return "an EFI zboot image (a compressed vmlinuz.efi)";
	if (p[0] == 0x7f && !memcmp(p + 1, "ELF", 3))
		return "an ELF file (vmlinux?)";
	return NULL;
}

/*
 * End of the loadable data according to the PE/COFF section table, or 0
 * when there is no (plausible) PE header to ask. A kernel without the EFI
 * stub has res5 = 0. A PE header or section table that res5 places past
 * the end of the file means the file is cut short: the end of what is
 * missing is returned then, which is more than file_size.
 */
static uint64_t pe_data_end(const uint8_t *p, uint64_t file_size)
{
	uint64_t pe = le32(p + HDR_PE_OFFSET), sec, end = 0;
	unsigned nsec, opt;

	if (pe < ARM64_IMAGE_HDR_SIZE)
		return 0; /* no EFI stub */
	if (pe + PE_SIG_SIZE + COFF_HDR_SIZE > file_size)
		return pe + PE_SIG_SIZE + COFF_HDR_SIZE; /* cut before it */
	if (memcmp(p + pe, "PE\0\0", PE_SIG_SIZE))
		return 0;
	nsec = le16(p + pe + PE_SIG_SIZE + COFF_NSECTIONS);
	opt = le16(p + pe + PE_SIG_SIZE + COFF_OPT_SIZE);
	if (!nsec || nsec > PE_MAX_SECTIONS || opt > PE_MAX_OPT)
		return 0;
	sec = pe + PE_SIG_SIZE + COFF_HDR_SIZE + opt;
	if (sec + (uint64_t)nsec * SEC_SIZE > file_size)
		return sec + (uint64_t)nsec * SEC_SIZE;
	for (unsigned i = 0; i < nsec; i++, sec += SEC_SIZE) {
		uint64_t size = le32(p + sec + SEC_RAW_SIZE);
		uint64_t ptr = le32(p + sec + SEC_RAW_PTR);
		if (size && ptr + size > end)
			end = ptr + size;
	}
	return end;
}

int arm64_image_check(const void *img, uint64_t file_size,
		      struct arm64_image_info *info, char *err, size_t errlen)
{
	const uint8_t *p = img;
	uint64_t text_offset, image_size, flags, pe_end;
	const char *kind;
	unsigned pgsz;

	if (!img)
		return failf(err, errlen, "guest kernel: no image given");
	if (file_size < ARM64_IMAGE_HDR_SIZE)
		return failf(err, errlen,
			     "guest kernel: %llu bytes is too small for an "
			     "arm64 Image header (64 bytes)",
			     (unsigned long long)file_size);
	if (le32(p + HDR_MAGIC) != ARM64_IMAGE_MAGIC) {
		kind = not_image_kind(p);
		if (kind)
			return failf(err, errlen,
				     "guest kernel: file is %s; hypnest needs "
				     "the uncompressed arm64 Image",
				     kind);
		return failf(err, errlen,
			     "guest kernel: no arm64 Image magic \"ARM\\x64\" "
			     "at offset 0x38: it must be an uncompressed "
			     "Image (not a vmlinuz.gz or EFI zboot)");
	}
	text_offset = le64(p + HDR_TEXT_OFFSET);
	image_size = le64(p + HDR_IMAGE_SIZE);
	flags = le64(p + HDR_FLAGS);
	if (!image_size)
		return failf(err, errlen,
			     "guest kernel: image_size is 0 (a kernel older "
			     "than Linux 3.17): not supported");
	if (flags & ARM64_IMAGE_FLAG_BE)
		return failf(err, errlen,
			     "guest kernel: big-endian kernel (flags bit 0): "
			     "not supported");
	pgsz = (unsigned)ARM64_IMAGE_PAGE_SIZE(flags);
	if (pgsz != ARM64_IMAGE_PAGE_ANY && pgsz != ARM64_IMAGE_PAGE_4K)
		return failf(err, errlen,
			     "guest kernel: built for %s pages: hypnest runs "
			     "4K-page kernels only",
			     pgsz == ARM64_IMAGE_PAGE_16K ? "16K" : "64K");
	if (text_offset % SZ_4K)
		return failf(err, errlen,
			     "guest kernel: text_offset 0x%llx is not a "
			     "multiple of 4 KiB",
			     (unsigned long long)text_offset);
	if (text_offset + image_size < text_offset)
		return failf(err, errlen,
			     "guest kernel: text_offset 0x%llx + image_size "
			     "0x%llx overflows",
			     (unsigned long long)text_offset,
			     (unsigned long long)image_size);
	if (file_size > image_size)
		return failf(err, errlen,
			     "guest kernel: file (%llu bytes) is larger than "
			     "its image_size (%llu): corrupt header",
			     (unsigned long long)file_size,
			     (unsigned long long)image_size);
	pe_end = pe_data_end(p, file_size);
	if (pe_end > file_size)
		return failf(err, errlen,
			     "guest kernel: truncated: the file has %llu "
			     "bytes, its PE/COFF header describes %llu",
			     (unsigned long long)file_size,
			     (unsigned long long)pe_end);
	if (info) {
		info->text_offset = text_offset;
		info->image_size = image_size;
		info->flags = flags;
		info->file_size = file_size;
	}
	return 0;
}

uint64_t arm64_image_load_offset(const struct arm64_image_info *info)
{
	return info->text_offset;
}

/* initrd formats Linux may know but hypnest refuses, by leading bytes */
static const struct {
	uint8_t len;
	uint8_t magic[6];
	const char *what;
} initrd_other[] = {
	{ 6,
	  { '0', '7', '0', '7', '0', '7' },
	  "an old portable (odc) cpio archive" },
	{ 2, { 0xc7, 0x71 }, "an old binary cpio archive" },
	{ 2, { 0x71, 0xc7 }, "an old binary cpio archive" },
	{ 6, { 0xfd, '7', 'z', 'X', 'Z', 0 }, "xz-compressed" },
	{ 4, { 0x28, 0xb5, 0x2f, 0xfd }, "zstd-compressed" },
	{ 4, { 0x02, 0x21, 0x4c, 0x18 }, "lz4-compressed" },
	{ 4, { 0x04, 0x22, 0x4d, 0x18 }, "lz4-compressed" },
	{ 3, { 'B', 'Z', 'h' }, "bzip2-compressed" },
	{ 3, { 0x5d, 0, 0 }, "lzma-compressed" },
	{ 4, { 0x89, 'L', 'Z', 'O' }, "lzo-compressed" },
};

#define NEWC_HDR_SIZE 110
#define GZIP_MIN_SIZE 18 /* 10-byte header, 8-byte trailer */
#define GZIP_DEFLATE 8

int initrd_check(const void *p, uint64_t size, char *err, size_t errlen)
{
	const uint8_t *b = p;

	if (!p || !size)
		return failf(err, errlen, "guest initrd: empty");
	if (size >= 6 && (!memcmp(b, "070701", 6) || !memcmp(b, "070702", 6))) {
		if (size < NEWC_HDR_SIZE)
			return failf(err, errlen,
				     "guest initrd: truncated: %llu bytes, "
				     "less than one newc cpio header (110)",
				     (unsigned long long)size);
		return 0;
	}
	if (size >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		if (size < GZIP_MIN_SIZE)
			return failf(err, errlen,
				     "guest initrd: truncated gzip data "
				     "(%llu bytes)",
				     (unsigned long long)size);
		if (b[2] != GZIP_DEFLATE)
			return failf(err, errlen,
				     "guest initrd: gzip with unknown "
				     "compression method %u",
				     b[2]);
		return 0;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(initrd_other); i++)
		if (size >= initrd_other[i].len &&
		    !memcmp(b, initrd_other[i].magic, initrd_other[i].len))
			return failf(err, errlen,
				     "guest initrd: %s; hypnest accepts a "
				     "newc cpio archive (cpio -H newc), "
				     "uncompressed or gzip-compressed",
				     initrd_other[i].what);
	if (size < 6)
		return failf(err, errlen,
			     "guest initrd: %llu bytes is too small for a cpio "
			     "archive",
			     (unsigned long long)size);
	return failf(err, errlen,
		     "guest initrd: neither a newc cpio archive (\"070701\") "
		     "nor gzip data (1f 8b): first bytes %02x %02x %02x %02x",
		     b[0], b[1], b[2], b[3]);
}
