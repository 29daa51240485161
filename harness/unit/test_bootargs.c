/* hyp/bootargs.c: looking up words of the command line. */
#include <string.h>

#include "hyp/bootargs.h"
#include "unit.h"

/* the value of key in args, or NULL when it is absent */
static const char *get(const char *args, const char *key)
{
	static char val[64];

	memset(val, '#', sizeof(val));
	if (!bootarg_get(args, key, val, sizeof(val)))
		return NULL;
	CHECK(memchr(val, '\0', sizeof(val)));
	return val;
}

TEST(key_value)
{
	CHECK_STR(get("log=debug", "log"), "debug");
	CHECK_STR(get("a=1 log=debug b=2", "log"), "debug");
	CHECK_STR(get("a=1 b=2 log=info", "log"), "info");
	CHECK_STR(get("a=1 b=2", "a"), "1");
	CHECK_STR(get("a=1 b=2", "b"), "2");
	CHECK_STR(get("test=el1-fault", "test"), "el1-fault");
}

TEST(bare_key)
{
	CHECK_STR(get("quiet", "quiet"), "");
	CHECK_STR(get("a=1 quiet b=2", "quiet"), "");
	CHECK_STR(get("a=1 quiet", "quiet"), "");
	CHECK_STR(get("log=", "log"), "");
	CHECK_STR(get("x log= y", "log"), "");
}

TEST(prefix_is_not_a_match)
{
	CHECK(!get("logx=1", "log"));
	CHECK(!get("logx", "log"));
	CHECK(!get("logx=1 loglevel=3", "log"));
	CHECK_STR(get("logx=1 log=warn", "log"), "warn");
	CHECK(!get("log=1", "logx"));
	CHECK(!get("lo", "log"));
	/* nor a suffix, nor the value of another key */
	CHECK(!get("xlog=1", "log"));
	CHECK(!get("x=log", "log"));
	CHECK(!get("x=log=1", "log"));
}

TEST(value_with_equals)
{
	CHECK_STR(get("a=b=c", "a"), "b=c");
	CHECK_STR(get("a==", "a"), "=");
}

TEST(value_truncated)
{
	char val[8];

	memset(val, '#', sizeof(val));
	CHECK(bootarg_get("k=0123456789 z", "k", val, 5));
	CHECK_STR(val, "0123");
	CHECK_EQ(val[5], '#');
	CHECK(bootarg_get("k=0123456789", "k", val, 1));
	CHECK_STR(val, "");
	CHECK_EQ(val[1], '1');
	/* exactly fits */
	memset(val, '#', sizeof(val));
	CHECK(bootarg_get("k=abcdefg", "k", val, 8));
	CHECK_STR(val, "abcdefg");
	/* no room at all: present, nothing written */
	memset(val, '#', sizeof(val));
	CHECK(bootarg_get("k=abc", "k", val, 0));
	CHECK_EQ(val[0], '#');
}

TEST(absent)
{
	CHECK(!get("a=1 b=2", "c"));
	CHECK(!get("a=1 b=2", "="));
	CHECK(!get("", "log"));
	CHECK(!get("   ", "log"));
	CHECK(!bootarg_get(NULL, "log", NULL, 0));
}

TEST(spaces)
{
	CHECK_STR(get("  a=1    b=2  ", "a"), "1");
	CHECK_STR(get("  a=1    b=2  ", "b"), "2");
	CHECK_STR(get("   quiet   ", "quiet"), "");
	CHECK_STR(get("a=1  log=x   ", "log"), "x");
	CHECK(!get("  a=1    b=2  ", "c"));
}

TEST(first_of_duplicates)
{
	CHECK_STR(get("log=a log=b", "log"), "a");
}
