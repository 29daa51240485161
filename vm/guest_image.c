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

/*
 * Names a file without the Image magic that is recognisably a packed
 * kernel, not code: QEMU unpacks these (gzip, EFI zboot) or loads them by
 * their headers (ELF); hypnest does not, and refuses them. None of them
 * can be a raw binary's start: their first word is not an A64 instruction
 * (1f 8b 08 ..., "MZ\0\0" and 7f 45 4c 46 decode as UDF or unallocated).
 */
static const char *not_image_kind(const uint8_t *p, uint64_t size)
{
	if (size >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "gzip-compressed (a vmlinuz.gz?)";
	if (size >= 8 && p[0] == 'M' && p[1] == 'Z' &&
	    !memcmp(p + 4, "zimg", 4))
		return "an EFI zboot image (a compressed vmlinuz.efi)";
	if (size >= 4 && p[0] == 0x7f && !memcmp(p + 1, "ELF", 3))
		return "an ELF file (vmlinux?)";
	return NULL;
}

/* A raw binary: no header, so nothing to check but that there is
 * something; it owns as many bytes as the file has (bss, if any, is the
 * program's business: guest RAM starts zeroed). */
static int raw_binary(uint64_t file_size, struct arm64_image_info *info)
{
	if (info) {
		info->text_offset = RAW_BINARY_OFFSET;
		info->image_size = file_size;
		info->flags = 0;
		info->file_size = file_size;
		info->raw = true;
	}
	return 0;
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
	if (!file_size)
		return failf(err, errlen, "guest kernel: empty (0 bytes)");
	if (file_size < HDR_MAGIC + 4 ||
	    le32(p + HDR_MAGIC) != ARM64_IMAGE_MAGIC) {
		kind = not_image_kind(p, file_size);
		if (kind)
			return failf(err, errlen,
				     "guest kernel: file is %s; hypnest needs "
				     "the uncompressed arm64 Image or a raw "
				     "binary",
				     kind);
		return raw_binary(file_size, info);
	}
	if (file_size < ARM64_IMAGE_HDR_SIZE)
		return failf(err, errlen,
			     "guest kernel: %llu bytes: an arm64 Image header "
			     "(magic at 0x38) cut short of its 64 bytes",
			     (unsigned long long)file_size);
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
		info->raw = false;
	}
	return 0;
}

uint64_t arm64_image_load_offset(const struct arm64_image_info *info)
{
	return info->text_offset;
}

/* initrd formats by their leading bytes, for the log: hypnest passes any
 * initrd through as it is, as QEMU does; what it holds is the guest's
 * business (Linux reads newc cpio, plain or compressed). */
static const struct {
	uint8_t len;
	uint8_t magic[6];
	const char *what;
} initrd_formats[] = {
	{ 6, { '0', '7', '0', '7', '0', '1' }, "a newc cpio archive" },
	{ 6, { '0', '7', '0', '7', '0', '2' }, "a newc cpio archive (crc)" },
	{ 6,
	  { '0', '7', '0', '7', '0', '7' },
	  "an old portable (odc) cpio archive" },
	{ 2, { 0xc7, 0x71 }, "an old binary cpio archive" },
	{ 2, { 0x71, 0xc7 }, "an old binary cpio archive" },
	{ 2, { 0x1f, 0x8b }, "gzip-compressed" },
	{ 6, { 0xfd, '7', 'z', 'X', 'Z', 0 }, "xz-compressed" },
	{ 4, { 0x28, 0xb5, 0x2f, 0xfd }, "zstd-compressed" },
	{ 4, { 0x02, 0x21, 0x4c, 0x18 }, "lz4-compressed" },
	{ 4, { 0x04, 0x22, 0x4d, 0x18 }, "lz4-compressed" },
	{ 3, { 'B', 'Z', 'h' }, "bzip2-compressed" },
	{ 3, { 0x5d, 0, 0 }, "lzma-compressed" },
	{ 4, { 0x89, 'L', 'Z', 'O' }, "lzo-compressed" },
};

const char *initrd_format(const void *p, uint64_t size)
{
	const uint8_t *b = p;

	for (unsigned i = 0; b && i < ARRAY_SIZE(initrd_formats); i++)
		if (size >= initrd_formats[i].len &&
		    !memcmp(b, initrd_formats[i].magic, initrd_formats[i].len))
			return initrd_formats[i].what;
	return "of a format hypnest does not name";
}

int initrd_check(const void *p, uint64_t size, char *err, size_t errlen)
{
	if (!p || !size)
		return failf(err, errlen, "guest initrd: empty");
	return 0;
}
