/* hyp/fmt.c: hyp_snprintf against the host's snprintf. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "hyp/lib.h"
#include "unit.h"

/* Format the same arguments with both; outputs and return values agree. */
#define SAME(fmt, ...)                                                         \
	do {                                                                   \
		char want_[256], got_[256];                                    \
		int wn_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);    \
		int gn_ = hyp_snprintf(got_, sizeof(got_), fmt, __VA_ARGS__);  \
		CHECKF(!strcmp(want_, got_) && wn_ == gn_,                     \
		       "format \"%s\": \"%s\" (%d), host \"%s\" (%d)", fmt,    \
		       got_, gn_, want_, wn_);                                 \
	} while (0)

/* the same, for formats with no argument */
#define SAME0(fmt) SAME("%s" fmt, "")

/* hyp_vsnprintf without format checking, for formats the compiler would
 * reject */
static int raw_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hyp_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

TEST(plain)
{
	SAME0("");
	SAME0("hello, world");
	SAME0("100%%");
	SAME0("%%%%");
	SAME0("a%%b%%c");
	SAME("%s", "");
	SAME("%c%c%c", 'a', ' ', '~');
}

TEST(decimal)
{
	static const int v[] = { 0,	  1,	   -1,	       9,
				 10,	  -10,	   12345,      -99999,
				 INT_MAX, INT_MIN, INT_MIN + 1 };

	for (unsigned i = 0; i < ARRAY_SIZE(v); i++) {
		SAME("%d", v[i]);
		SAME("%i", v[i]);
		SAME("%5d", v[i]);
		SAME("%-5d|", v[i]);
		SAME("%05d", v[i]);
		SAME("%012d", v[i]);
		SAME("%1d", v[i]);
		SAME("%20i", v[i]);
		SAME("%u", (unsigned)v[i]);
		SAME("%8u", (unsigned)v[i]);
	}
}

TEST(long_decimal)
{
	static const long v[] = { 0,	    -1,	      4294967296L, -4294967296L,
				  LONG_MAX, LONG_MIN, LONG_MIN + 1 };

	for (unsigned i = 0; i < ARRAY_SIZE(v); i++) {
		SAME("%ld", v[i]);
		SAME("%li", v[i]);
		SAME("%lld", (long long)v[i]);
		SAME("%25ld", v[i]);
		SAME("%-25ld|", v[i]);
		SAME("%025lld", (long long)v[i]);
		SAME("%lu", (unsigned long)v[i]);
		SAME("%llu", (unsigned long long)v[i]);
	}
	SAME("%llu", (unsigned long long)UINT64_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%lld", LLONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%zu", (size_t)0);
	SAME("%zu", (size_t)123456789012345ULL);
	SAME("%zu", SIZE_MAX);
	SAME("%8zu|%-8zu|", (size_t)42, (size_t)42);
	SAME("%zx", (size_t)0xdeadbeefcafeULL);
	SAME("%zd", (ssize_t)-42);
}

TEST(hex)
{
	static const unsigned v[] = { 0,  1,	    9,		10,	 15,
				      16, 0xabcdef, 0x80000000, UINT_MAX };

	for (unsigned i = 0; i < ARRAY_SIZE(v); i++) {
		SAME("%x", v[i]);
		SAME("%X", v[i]);
		SAME("%8x", v[i]);
		SAME("%08x", v[i]);
		SAME("%08X", v[i]);
		SAME("%-8x|", v[i]);
		SAME("%lx", (unsigned long)v[i] << 20);
		SAME("%llx", (unsigned long long)v[i] << 32);
		SAME("%016llx", (unsigned long long)v[i] * 0x100000001ULL);
		SAME("%-18lX|", (unsigned long)v[i] * 0x100000001UL);
	}
	SAME("%llx", (unsigned long long)UINT64_MAX);
	SAME("%lX", 0xfedcba9876543210UL);
	SAME("%x", -1);
	SAME("0x%016lx", 0x40200000UL);
}

TEST(pointer)
{
	int x;

	SAME("%p", (void *)&x);
	SAME("%p", (void *)0x1UL);
	SAME("%p", (void *)0xffff800012345678UL);
	SAME("%p", (void *)UINTPTR_MAX);
	SAME("%20p|", (void *)0x40200000UL);
	SAME("%-20p|", (void *)0x40200000UL);
	SAME("[%p]", (void *)0x1000UL);
}

/* glibc prints "(nil)"; hypnest prints the value, like every other one */
TEST(pointer_null)
{
	char buf[32];

	CHECK_EQ(hyp_snprintf(buf, sizeof(buf), "%p", NULL), 3);
	CHECK_STR(buf, "0x0");
	CHECK_EQ(hyp_snprintf(buf, sizeof(buf), "<%6p>", NULL), 8);
	CHECK_STR(buf, "<   0x0>");
	CHECK_EQ(hyp_snprintf(buf, sizeof(buf), "<%-6p>", NULL), 8);
	CHECK_STR(buf, "<0x0   >");
}

TEST(strings)
{
	static const char *const v[] = { "", "a", "hello", "with space",
					 "0123456789abcdef0123" };

	for (unsigned i = 0; i < ARRAY_SIZE(v); i++) {
		SAME("%s", v[i]);
		SAME("[%8s]", v[i]);
		SAME("[%-8s]", v[i]);
		SAME("[%.3s]", v[i]);
		SAME("[%.0s]", v[i]);
		SAME("[%.30s]", v[i]);
		SAME("[%10.2s]", v[i]);
		SAME("[%-10.4s]", v[i]);
		SAME("[%1s]", v[i]);
	}
	/* precision: the string need not be terminated */
	SAME("[%.4s]", (const char[4]){ 'a', 'b', 'c', 'd' });
}

TEST(null_string)
{
	const char *volatile nul = NULL;

	SAME("%s", nul);
	SAME("[%10s]", nul);
	SAME("[%-10s]", nul);
	SAME("[%.6s]", nul);
}

TEST(chars)
{
	SAME("%c", 'x');
	SAME("%c", 0x7f);
	SAME("[%-3c]", 'x');
	SAME("%c%s%c", '<', "mid", '>');
	SAME("%c", 'A' + 256); /* converted to unsigned char */
}

/* width applies to %c like to any conversion */
TEST(char_width)
{
	SAME("[%3c]", 'x');
	SAME("[%1c]", 'x');
}

TEST(star_width)
{
	SAME("[%*d]", 6, 42);
	SAME("[%-*d]", 6, 42);
	SAME("[%*s]", 4, "ab");
	SAME("[%0*x]", 8, 0xbeef);
}

TEST(mixed)
{
	SAME("hyp[%u] %s: %d pages at 0x%lx (%s)\n", 3u, "info", -7,
	     0x40000000UL, "ok");
	SAME("%s=%d %s=%x %s=%c %%", "a", 1, "b", 0xb, "c", 'c');
	SAME("%08x:%08x:%08x:%08x", 1u, 0x20u, 0x300u, 0x4000u);
	SAME("%5s|%-5d|%05u|%x", "ab", -3, 42u, 255u);
	SAME("x0  %016llx x1  %016llx", 0x1122334455667788ULL, 0ULL);
}

/* '-' wins over '0' (C11 7.21.6.1); compilers warn about the pair */
TEST(minus_beats_zero)
{
	char buf[32];

	CHECK_EQ(raw_fmt(buf, sizeof(buf), "%-05d|", -42), 6);
	CHECK_STR(buf, "-42  |");
	CHECK_EQ(raw_fmt(buf, sizeof(buf), "%0-6x|", 0xabu), 7);
	CHECK_STR(buf, "ab    |");
}

/* not in the subset: printed visibly, arguments not consumed */
TEST(unknown_conversion)
{
	char buf[32];

	CHECK_EQ(raw_fmt(buf, sizeof(buf), "a%qb"), 4);
	CHECK_STR(buf, "a%qb");
	CHECK_EQ(raw_fmt(buf, sizeof(buf), "%q%d", 5), 3);
	CHECK_STR(buf, "%q5");
	CHECK_EQ(raw_fmt(buf, sizeof(buf), "end%"), 4);
	CHECK_STR(buf, "end%");
}

TEST(truncation)
{
	const char *full = "value=12345 name=hypnest";
	char buf[64];

	for (size_t size = 1; size <= 30; size++) {
		size_t n = strlen(full), keep = size - 1 < n ? size - 1 : n;
		memset(buf, '#', sizeof(buf));
		CHECK_EQ(hyp_snprintf(buf, size, "value=%d name=%s", 12345,
				      "hypnest"),
			 n);
		CHECK_EQ(buf[keep], '\0');
		CHECK(!memcmp(buf, full, keep));
		/* nothing written past the buffer */
		CHECK_EQ(buf[size], '#');
	}
	/* a long number cut in its middle */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(hyp_snprintf(buf, 6, "%016lx", 0xdeadbeefUL), 16);
	CHECK_STR(buf, "00000");
	CHECK_EQ(buf[6], '#');
	/* padding cut */
	CHECK_EQ(hyp_snprintf(buf, 4, "%-10s|", "ab"), 11);
	CHECK_STR(buf, "ab ");
}

TEST(size_zero)
{
	char buf[4] = "###";

	CHECK_EQ(hyp_snprintf(buf, 0, "hello %d", 42), 8);
	CHECK_STR(buf, "###");
	CHECK_EQ(hyp_snprintf(NULL, 0, "%s%s", "abc", "def"), 6);
}

TEST(vsnprintf)
{
	char a[32], b[32];

	/* hyp_snprintf is a wrapper: both print the same */
	CHECK_EQ(raw_fmt(a, sizeof(a), "%d-%s-%x", 7, "z", 255u), 6);
	CHECK_EQ(hyp_snprintf(b, sizeof(b), "%d-%s-%x", 7, "z", 255u), 6);
	CHECK_STR(a, "7-z-ff");
	CHECK_STR(b, "7-z-ff");
}
