/*
 * vm/guest_image.c: the arm64 Image header (or a raw binary) and initrd
 * checks, on headers built in memory. real_image also checks the Image named by
 * $HYP_TEST_IMAGE (harness/test_guest_image_real.py sets it to a Debian
 * kernel); without it, it only says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp/guest_image.h"
#include "unit.h"

#define ERRLEN 200
#define MIB (1ULL << 20)

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header of a 6.12-like kernel without EFI stub: text_offset 0,
 * image_size 37 MiB, flags LE | 4K | anywhere. */
static void fake_image(uint8_t *img, size_t size)
{
	memset(img, 0, size);
	put_le(img + 0, 0x14000000 | 16, 4); /* code0: b +64 */
	put_le(img + 8, 0, 8);
	put_le(img + 16, 37 * MIB, 8);
	put_le(img + 24, 0xa, 8);
	memcpy(img + 0x38, "ARM\x64", 4);
}

/* Add a PE/COFF header at 0x40 with two sections whose raw data ends at
 * data_end (the layout of Debian's arm64 kernels). */
static void add_pe(uint8_t *img, uint32_t data_end)
{
	uint8_t *pe = img + 0x40, *sec;

	put_le(img + 0x3c, 0x40, 4);
	memcpy(pe, "PE\0\0", 4);
	put_le(pe + 4, 0xaa64, 2); /* Machine */
	put_le(pe + 6, 2, 2);	   /* NumberOfSections */
	put_le(pe + 20, 160, 2);   /* SizeOfOptionalHeader */
	sec = pe + 24 + 160;	   /* at 0x128, two 40-byte entries */
	memcpy(sec, ".text", 5);
	put_le(sec + 16, 0x1000, 4); /* SizeOfRawData */
	put_le(sec + 20, 0x1000, 4); /* PointerToRawData */
	memcpy(sec + 40, ".data", 5);
	put_le(sec + 40 + 16, data_end - 0x2000, 4);
	put_le(sec + 40 + 20, 0x2000, 4);
}

static void check_ok(const uint8_t *img, uint64_t size,
		     struct arm64_image_info *info)
{
	char err[ERRLEN] = "";
	int ret = arm64_image_check(img, size, info, err, sizeof(err));

	CHECKF(ret == 0, "refused: %s", err);
}

static void check_fails(const uint8_t *img, uint64_t size, const char *what)
{
	char err[ERRLEN] = "";
	struct arm64_image_info info;
	int ret = arm64_image_check(img, size, &info, err, sizeof(err));

	CHECKF(ret != 0, "accepted, expected \"%s\"", what);
	CHECKF(!strncmp(err, "guest kernel: ", 14), "\"%s\"", err);
	CHECKF(strstr(err, what), "\"%s\" lacks \"%s\"", err, what);
	CHECKF(!strchr(err, '\n'), "\"%s\" is not one line", err);
}

TEST(image_valid)
{
	uint8_t img[4096];
	struct arm64_image_info info;

	fake_image(img, sizeof(img));
	check_ok(img, sizeof(img), &info);
	CHECK_EQ(info.text_offset, 0);
	CHECK_EQ(info.image_size, 37 * MIB);
	CHECK_EQ(info.flags, 0xa);
	CHECK_EQ(info.file_size, sizeof(img));
	CHECK(!info.raw);
	CHECK_EQ(arm64_image_load_offset(&info), 0);
	/* a header alone is an Image as far as the header can tell */
	check_ok(img, 64, NULL);
}

TEST(image_old_text_offset)
{
	uint8_t img[4096];
	struct arm64_image_info info;

	fake_image(img, sizeof(img));
	put_le(img + 8, 0x80000, 8); /* kernels before 5.8 */
	check_ok(img, sizeof(img), &info);
	CHECK_EQ(arm64_image_load_offset(&info), 0x80000);
	put_le(img + 8, 0x200000, 8); /* hypnest's own */
	check_ok(img, sizeof(img), &info);
	CHECK_EQ(arm64_image_load_offset(&info), 0x200000);
}

static void check_raw(const uint8_t *img, uint64_t size)
{
	struct arm64_image_info info;

	memset(&info, 0xa5, sizeof(info));
	check_ok(img, size, &info);
	CHECK(info.raw);
	CHECK_EQ(info.text_offset, RAW_BINARY_OFFSET);
	CHECK_EQ(arm64_image_load_offset(&info), 0x80000);
	CHECK_EQ(info.image_size, size);
	CHECK_EQ(info.file_size, size);
	CHECK_EQ(info.flags, 0);
}

TEST(image_empty)
{
	uint8_t img[64];

	fake_image(img, sizeof(img));
	check_fails(NULL, 1 << 20, "no image");
	check_fails(img, 0, "empty (0 bytes)");
}

/* A header cut inside: with the magic in it, an Image cut short; before
 * the magic is reached, nothing says Image, so a raw binary. */
TEST(image_short_header)
{
	uint8_t img[64];

	fake_image(img, sizeof(img));
	check_fails(img, 63, "cut short of its 64 bytes");
	check_fails(img, 0x3c, "cut short of its 64 bytes");
	check_raw(img, 0x3b);
	check_raw(img, 4);
	check_raw(img, 1);
}

/* No magic: QEMU's -kernel loads such a file raw at RAM + 0x80000, and so
 * does hypnest, whatever it holds */
TEST(image_raw_binary)
{
	static uint8_t img[0x10000];

	fake_image(img, sizeof(img));
	img[0x3b] = 0x65;
	check_raw(img, sizeof(img));
	/* the magic's bytes in the wrong order (a big-endian reading) */
	memcpy(img + 0x38, "\x64MRA", 4);
	check_raw(img, sizeof(img));
	/* code with no header at all, of any size */
	memset(img, 0, sizeof(img));
	put_le(img, 0xd503201f, 4);	/* nop */
	put_le(img + 4, 0x14000000, 4); /* b . */
	check_raw(img, 8);
	check_raw(img, sizeof(img));
	memset(img, 0xff, sizeof(img));
	check_raw(img, sizeof(img));
}

TEST(image_compressed_or_elf)
{
	uint8_t img[4096];

	memset(img, 0, sizeof(img));
	memcpy(img, "\x1f\x8b\x08\x00", 4);
	check_fails(img, sizeof(img), "gzip-compressed");
	check_fails(img, sizeof(img), "uncompressed arm64 Image or a raw");
	check_fails(img, 2, "gzip-compressed");
	check_raw(img, 1); /* too short to be one */
	memset(img, 0, sizeof(img));
	memcpy(img, "MZ\0\0zimg", 8);
	check_fails(img, sizeof(img), "EFI zboot");
	memset(img, 0, sizeof(img));
	memcpy(img,
	       "\x7f"
	       "ELF\x02\x01\x01",
	       7);
	check_fails(img, sizeof(img), "ELF file");
	check_raw(img, 3); /* too short to be one */
}

TEST(image_big_endian)
{
	uint8_t img[4096];

	fake_image(img, sizeof(img));
	put_le(img + 24, 0xb, 8);
	check_fails(img, sizeof(img), "big-endian");
}

TEST(image_page_size)
{
	uint8_t img[4096];

	fake_image(img, sizeof(img));
	put_le(img + 24, 0x0, 8); /* unspecified */
	check_ok(img, sizeof(img), NULL);
	put_le(img + 24, 0x2, 8); /* 4K */
	check_ok(img, sizeof(img), NULL);
	put_le(img + 24, 0x4 | 0x8, 8);
	check_fails(img, sizeof(img), "16K pages");
	put_le(img + 24, 0x6, 8);
	check_fails(img, sizeof(img), "64K pages");
	/* reserved bits 4-63 are not refused */
	put_le(img + 24, 0xa | (1ULL << 40) | 0x10, 8);
	check_ok(img, sizeof(img), NULL);
}

TEST(image_size_zero)
{
	uint8_t img[4096];

	fake_image(img, sizeof(img));
	put_le(img + 16, 0, 8);
	put_le(img + 8, 0x80000, 8);
	check_fails(img, sizeof(img), "image_size is 0");
	check_fails(img, sizeof(img), "3.17");
}

TEST(image_text_offset_alignment)
{
	uint8_t img[4096];

	fake_image(img, sizeof(img));
	put_le(img + 8, 0x80800, 8);
	check_fails(img, sizeof(img),
		    "text_offset 0x80800 is not a multiple "
		    "of 4 KiB");
	put_le(img + 8, 0xfffffffffffff000ULL, 8);
	check_fails(img, sizeof(img), "overflows");
}

TEST(image_file_larger_than_image_size)
{
	uint8_t img[8192];

	fake_image(img, sizeof(img));
	put_le(img + 16, 4096, 8);
	check_fails(img, 4097, "larger than its image_size (4096)");
	check_ok(img, 4096, NULL); /* no bss at all: still valid */
}

TEST(image_pe_truncation)
{
	static uint8_t img[0x10000];

	fake_image(img, sizeof(img));
	add_pe(img, 0x8000);
	check_ok(img, 0x8000, NULL);
	check_ok(img, 0x9000, NULL); /* appended data (a signature) */
	check_fails(img, 0x7fff, "truncated");
	check_fails(img, 0x7fff,
		    "the file has 32767 bytes, its PE/COFF "
		    "header describes 32768");
	check_fails(img, 0x1000, "truncated");
	/* cut inside the section table, or before the PE header */
	check_fails(img, 0x130, "truncated");
	check_fails(img, 64, "truncated");
	check_fails(img, 0x50, "truncated");
}

TEST(image_pe_absent_or_implausible)
{
	static uint8_t img[0x10000];

	/* res5 = 0: no EFI stub, nothing to compare with */
	fake_image(img, sizeof(img));
	check_ok(img, 0x100, NULL);
	/* res5 points at something that is not a PE header */
	put_le(img + 0x3c, 0x40, 4);
	check_ok(img, 0x100, NULL);
	/* a PE header without sections, or with absurdly many */
	add_pe(img, 0x8000);
	put_le(img + 0x40 + 6, 0, 2);
	check_ok(img, 0x1000, NULL);
	put_le(img + 0x40 + 6, 5000, 2);
	check_ok(img, 0x1000, NULL);
}

TEST(image_err_truncated_safely)
{
	uint8_t img[64];
	char err[12];

	memset(img, 0, sizeof(img));
	memcpy(img, "\x1f\x8b\x08", 3);
	memset(err, 'x', sizeof(err));
	CHECK(arm64_image_check(img, sizeof(img), NULL, err, sizeof(err)));
	CHECK_EQ(strlen(err), sizeof(err) - 1);
	CHECK(arm64_image_check(img, sizeof(img), NULL, NULL, 0));
}

/* The Image in $HYP_TEST_IMAGE passes, and cut short it is refused. */
TEST(real_image)
{
	const char *path = getenv("HYP_TEST_IMAGE");
	struct arm64_image_info info;
	uint8_t *img;
	long size;
	FILE *f;

	if (!path) {
		printf("real_image: HYP_TEST_IMAGE not set, no real Image "
		       "checked\n");
		return;
	}
	f = fopen(path, "rb");
	CHECKF(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	CHECK(size > 1 << 20);
	img = malloc((size_t)size);
	CHECK(img);
	CHECK_EQ(fread(img, 1, (size_t)size, f), size);
	fclose(f);
	check_ok(img, (uint64_t)size, &info);
	CHECK(info.image_size >= info.file_size);
	CHECK_EQ(info.file_size, size);
	CHECK_EQ(info.text_offset % 4096, 0);
	CHECK(!(info.flags & ARM64_IMAGE_FLAG_BE));
	CHECK(ARM64_IMAGE_PAGE_SIZE(info.flags) <= ARM64_IMAGE_PAGE_4K);
	printf("real_image: %s: %ld bytes, text_offset 0x%llx, image_size "
	       "0x%llx, flags 0x%llx\n",
	       path, size, (unsigned long long)info.text_offset,
	       (unsigned long long)info.image_size,
	       (unsigned long long)info.flags);
	/* the EFI stub's PE header lets a short copy be caught */
	check_fails(img, (uint64_t)size - 1, "truncated");
	check_fails(img, (uint64_t)size / 2, "truncated");
	check_fails(img, 4096, "truncated");
	free(img);
}

/* initrd ---------------------------------------------------------------- */

/* Any initrd but an empty one passes through; its format is only named. */
static void initrd_ok(const void *p, uint64_t size, const char *format)
{
	char err[ERRLEN] = "";

	CHECKF(!initrd_check(p, size, err, sizeof(err)), "refused: %s", err);
	CHECKF(strstr(initrd_format(p, size), format), "\"%s\" lacks \"%s\"",
	       initrd_format(p, size), format);
}

TEST(initrd_any_bytes_pass)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} cases[] = {
		{ "070701", 6, "a newc cpio archive" },
		{ "070702", 6, "newc cpio archive (crc)" },
		{ "070707", 6, "old portable (odc) cpio" },
		{ "\xc7\x71", 2, "old binary cpio" },
		{ "\x1f\x8b\x08", 3, "gzip-compressed" },
		{ "\xfd"
		  "7zXZ\0",
		  6, "xz-compressed" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd-compressed" },
		{ "\x02\x21\x4c\x18", 4, "lz4-compressed" },
		{ "\x04\x22\x4d\x18", 4, "lz4-compressed" },
		{ "BZh9", 4, "bzip2-compressed" },
		{ "\x5d\0\0\x80", 4, "lzma-compressed" },
		{ "\x89LZO", 4, "lzo-compressed" },
		{ "\x7f"
		  "ELF",
		  4, "does not name" },
		{ "\0\0\0\0", 4, "does not name" },
	};
	uint8_t buf[256];

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 0x55, sizeof(buf));
		memcpy(buf, cases[i].magic, cases[i].len);
		initrd_ok(buf, sizeof(buf), cases[i].what);
	}
	/* short ones too: a newc header cut short, a few bytes */
	memcpy(buf, "070701", 6);
	initrd_ok(buf, 109, "a newc cpio archive");
	initrd_ok(buf, 3, "does not name");
	initrd_ok(buf, 1, "does not name");
}

TEST(initrd_empty_refused)
{
	uint8_t buf[16] = { 0 };
	char err[ERRLEN] = "";

	CHECK(initrd_check(NULL, 100, err, sizeof(err)));
	CHECK(strstr(err, "guest initrd: empty"));
	CHECK(initrd_check(buf, 0, err, sizeof(err)));
	CHECK(strstr(err, "guest initrd: empty"));
}
