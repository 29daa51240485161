/*
 * hyp/libc.c against the host's C library. hyp/libc.c is built with
 * rename_libc.h, so its functions are hyp_test_*; the plain names here
 * are the host's (unit.h undoes the renaming for this file).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hyp/types.h"
#include "rename_libc.h"
#include "unit.h"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static unsigned long long rng_state = 0x2545f4914f6cdd1dULL;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33) % n;
}

/* bytes from a small alphabet, so that equal runs and matches happen */
static void fill(unsigned char *p, size_t n, unsigned alphabet)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(rnd(alphabet) * 0x51 + 1);
}

/* every start alignment, lengths around the 8-byte word; the bytes
 * around the destination must stay as they were */
TEST(memset)
{
	_Alignas(8) unsigned char a[96], b[96];
	static const int values[] = { 0, 0x5a, 0xff, 0x1ab, -1, -128 };

	for (size_t off = 0; off < 16; off++) {
		for (size_t n = 0; n < 70; n++) {
			int c = values[(off + n) % ARRAY_SIZE(values)];
			memset(a, 0x11, sizeof(a));
			memset(b, 0x11, sizeof(b));
			CHECK(hyp_test_memset(a + off, c, n) == a + off);
			memset(b + off, c, n);
			CHECKF(!memcmp(a, b, sizeof(a)), "+%zu, %zu bytes", off,
			       n);
		}
	}
}

/* every alignment of both ends, so both the word and the byte copies */
TEST(memcpy)
{
	_Alignas(8) unsigned char src[96], a[96], b[96];

	fill(src, sizeof(src), 200);
	for (size_t doff = 0; doff < 16; doff++) {
		for (size_t soff = 0; soff < 16; soff++) {
			for (size_t n = 0; n < 70; n += 1 + n / 8) {
				memset(a, 0, sizeof(a));
				memset(b, 0, sizeof(b));
				CHECK(hyp_test_memcpy(a + doff, src + soff,
						      n) == a + doff);
				memcpy(b + doff, src + soff, n);
				CHECKF(!memcmp(a, b, sizeof(a)),
				       "to +%zu from +%zu, %zu bytes", doff,
				       soff, n);
			}
		}
	}
}

/* overlapping copies, forwards and backwards, at every distance */
TEST(memmove)
{
	unsigned char a[96], b[96];

	for (size_t d = 0; d < 40; d++) {
		for (size_t n = 0; n <= 48; n += 1 + n / 5) {
			fill(a, sizeof(a), 250);
			memcpy(b, a, sizeof(a));
			/* dst above src */
			CHECK(hyp_test_memmove(a + 8 + d, a + 8, n) ==
			      a + 8 + d);
			memmove(b + 8 + d, b + 8, n);
			CHECKF(!memcmp(a, b, sizeof(a)), "up %zu, %zu bytes", d,
			       n);
			/* dst below src */
			CHECK(hyp_test_memmove(a + 8, a + 8 + d, n) == a + 8);
			memmove(b + 8, b + 8 + d, n);
			CHECKF(!memcmp(a, b, sizeof(a)), "down %zu, %zu bytes",
			       d, n);
		}
	}
}

/* the sign is what counts; bytes compare as unsigned char */
TEST(memcmp)
{
	static const unsigned char x[] = { 0x01, 0x80, 0xff, 0x00 };
	static const unsigned char y[] = { 0x01, 0x7f, 0xff, 0x00 };
	unsigned char a[32], b[32];

	CHECK(hyp_test_memcmp(x, y, 2) > 0);
	CHECK(hyp_test_memcmp(y, x, 2) < 0);
	CHECK_EQ(hyp_test_memcmp(x, y, 1), 0);
	CHECK_EQ(hyp_test_memcmp(x, y, 0), 0);
	CHECK(hyp_test_memcmp("\xff", "\x01", 1) > 0);
	CHECK(hyp_test_memcmp("a\0b", "a\0c", 3) < 0);
	for (int i = 0; i < 5000; i++) {
		size_t n = rnd(32);
		fill(a, sizeof(a), 2);
		fill(b, sizeof(b), 2);
		CHECKF(sign(hyp_test_memcmp(a, b, n)) == sign(memcmp(a, b, n)),
		       "case %d", i);
	}
}

TEST(memchr)
{
	const char s[] = "abc\0abc\xff";

	CHECK(hyp_test_memchr(s, 'c', 8) == s + 2);
	CHECK(hyp_test_memchr(s, '\0', 8) == s + 3);
	CHECK(hyp_test_memchr(s, 'c', 2) == NULL);
	CHECK(hyp_test_memchr(s, 'a', 0) == NULL);
	CHECK(hyp_test_memchr(s, 0xff, 8) == s + 7);
	CHECK(hyp_test_memchr(s, 0x1ff, 8) == memchr(s, 0x1ff, 8));
	CHECK(hyp_test_memchr(s, -1, 8) == memchr(s, -1, 8));
	CHECK(hyp_test_memchr(s, 'z', 8) == NULL);
}

static const char *const strs[] = {
	"",	 "a",		"b",	 "ab",	  "abc",  "abd",
	"abcd",	 "A",		"\x7f",	 "\x80",  "\xff", "a\xff",
	"a\x01", "hello world", "hello", "hellp",
};

TEST(strlen)
{
	for (unsigned i = 0; i < ARRAY_SIZE(strs); i++)
		CHECK_EQ(hyp_test_strlen(strs[i]), strlen(strs[i]));
}

TEST(strnlen)
{
	const char s[] = "hello";
	const char unterminated[4] = { 'a', 'b', 'c', 'd' };

	for (size_t n = 0; n < 10; n++)
		CHECK_EQ(hyp_test_strnlen(s, n), strnlen(s, n));
	CHECK_EQ(hyp_test_strnlen(s, (size_t)-1), 5);
	CHECK_EQ(hyp_test_strnlen("", 0), 0);
	CHECK_EQ(hyp_test_strnlen("", 5), 0);
	/* reads no byte past n (ASan would object) */
	CHECK_EQ(hyp_test_strnlen(unterminated, 4), 4);
	CHECK_EQ(hyp_test_strnlen(unterminated, 2), 2);
}

TEST(strcmp)
{
	for (unsigned i = 0; i < ARRAY_SIZE(strs); i++)
		for (unsigned j = 0; j < ARRAY_SIZE(strs); j++)
			CHECKF(sign(hyp_test_strcmp(strs[i], strs[j])) ==
				   sign(strcmp(strs[i], strs[j])),
			       "\"%s\" vs \"%s\"", strs[i], strs[j]);
}

TEST(strncmp)
{
	for (unsigned i = 0; i < ARRAY_SIZE(strs); i++)
		for (unsigned j = 0; j < ARRAY_SIZE(strs); j++)
			for (size_t n = 0; n < 14; n++)
				CHECKF(sign(hyp_test_strncmp(strs[i], strs[j],
							     n)) ==
					   sign(strncmp(strs[i], strs[j], n)),
				       "\"%s\" vs \"%s\", %zu", strs[i],
				       strs[j], n);
	/* stops at the terminator: reads nothing after it */
	CHECK_EQ(hyp_test_strncmp("ab", "ab", 100), 0);
}

TEST(strchr)
{
	const char *s = "hello, world";

	CHECK(hyp_test_strchr(s, 'o') == s + 4);
	CHECK(hyp_test_strchr(s, 'h') == s);
	CHECK(hyp_test_strchr(s, 'd') == s + 11);
	CHECK(hyp_test_strchr(s, 'z') == NULL);
	CHECK(hyp_test_strchr(s, '\0') == s + 12);
	CHECK(hyp_test_strchr("", '\0') != NULL);
	CHECK(hyp_test_strchr(s, 'o' + 256) == strchr(s, 'o' + 256));
	CHECK(hyp_test_strchr("a\xe9", 0xe9) == strchr("a\xe9", 0xe9));
	for (unsigned i = 0; i < ARRAY_SIZE(strs); i++)
		for (int c = 0; c < 256; c += 7)
			CHECK(hyp_test_strchr(strs[i], c) ==
			      strchr(strs[i], c));
}

TEST(strrchr)
{
	const char *s = "hello, world";

	CHECK(hyp_test_strrchr(s, 'o') == s + 8);
	CHECK(hyp_test_strrchr(s, 'h') == s);
	CHECK(hyp_test_strrchr(s, 'z') == NULL);
	CHECK(hyp_test_strrchr(s, '\0') == s + 12);
	CHECK(hyp_test_strrchr("", '\0') != NULL);
	CHECK(hyp_test_strrchr("", 'a') == NULL);
	CHECK(hyp_test_strrchr("/a/b/c", '/') == strrchr("/a/b/c", '/'));
	for (unsigned i = 0; i < ARRAY_SIZE(strs); i++)
		for (int c = 0; c < 256; c += 3)
			CHECK(hyp_test_strrchr(strs[i], c) ==
			      strrchr(strs[i], c));
}

TEST(strstr)
{
	static const char *const hay[] = { "",		"a",
					   "aaab",	"hello world",
					   "abcabcabd", "rdinit=/init",
					   "ababab",	"\xff\x01" };
	static const char *const needle[] = { "",	"a",	"ab",
					      "aab",	"abd",	"world",
					      "worlds", "init", "=",
					      "bab",	"\x01", "abcabcabd!" };

	for (unsigned i = 0; i < ARRAY_SIZE(hay); i++)
		for (unsigned j = 0; j < ARRAY_SIZE(needle); j++)
			CHECKF(hyp_test_strstr(hay[i], needle[j]) ==
				   strstr(hay[i], needle[j]),
			       "\"%s\" in \"%s\"", needle[j], hay[i]);
}

/* strtoul on inputs in the subset hypnest needs: no sign, no overflow
 * (skipped where the host says ERANGE) */
static void check_strtoul(const char *s, int base)
{
	char *he = NULL, *ge = NULL;
	unsigned long want, got;

	errno = 0;
	want = strtoul(s, &he, base);
	if (errno == ERANGE)
		return;
	got = hyp_test_strtoul(s, &ge, base);
	CHECKF(got == want && ge == he,
	       "\"%s\" base %d: %lu end +%td, host %lu +%td", s, base, got,
	       ge - s, want, he - s);
}

static const char *const dec[] = {
	"0", "1", "9", "42", "0042", "0129", "08", "18446744073709551615"
};
static const char *const hex[] = { "0x1f", "0X1F",
				   "0x0",  "0xdeadBEEF",
				   "ff",   "deadbeef",
				   "FF",   "0xffffffffffffffff" };
static const char *const odd[] = { "777",   "0777",  "123abc",	"0x",
				   "0xg",   "0z",    " 12",	"\t0x10",
				   "",	    "z",     "12 34",	"1_000",
				   "0b101", "4096k", ":115200", "0x40000000," };

TEST(strtoul)
{
	static const int bases[] = { 0, 10, 16, 8, 2, 36 };

	for (unsigned b = 0; b < ARRAY_SIZE(bases); b++) {
		for (unsigned i = 0; i < ARRAY_SIZE(dec); i++)
			check_strtoul(dec[i], bases[b]);
		for (unsigned i = 0; i < ARRAY_SIZE(hex); i++)
			check_strtoul(hex[i], bases[b]);
		for (unsigned i = 0; i < ARRAY_SIZE(odd); i++)
			check_strtoul(odd[i], bases[b]);
	}
}

/* no digits: *end is the string itself, even after blanks (C11
 * 7.22.1.4p7), so that callers can tell "no number" from "0" */
TEST(strtoul_no_digits)
{
	static const char *const none[] = { "",	  "z",	" ",   "  ",
					    "\t", " z", "\t:", "  0x" };
	static const int bases[] = { 0, 10, 16 };

	for (unsigned b = 0; b < ARRAY_SIZE(bases); b++) {
		for (unsigned i = 0; i < ARRAY_SIZE(none); i++) {
			const char *s = none[i];
			char *end = NULL;
			unsigned long v = hyp_test_strtoul(s, &end, bases[b]);
			if (i == ARRAY_SIZE(none) - 1) /* "0" then "x" */
				s += 3;
			CHECK_EQ(v, 0);
			CHECKF(end == s, "\"%s\" base %d: end +%td, not +%td",
			       none[i], bases[b], end - none[i], s - none[i]);
		}
	}
}

TEST(strtoul_end_optional)
{
	CHECK_EQ(hyp_test_strtoul("0x40", NULL, 0), 0x40);
	CHECK_EQ(hyp_test_strtoul("077", NULL, 0), 077);
	CHECK_EQ(hyp_test_strtoul("99", NULL, 10), 99);
}
