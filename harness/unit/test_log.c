/* hyp/log.c: line format, truncation, sink, level filter. */
#include <stdarg.h>
#include <string.h>

#include "hyp/log.h"
#include "unit.h"

/* everything the sink was given, and how */
static struct {
	char text[2048];
	size_t len;
	unsigned calls;
	size_t last_len;
} cap;

static void capture(const char *s, size_t len)
{
	CHECK(cap.len + len < sizeof(cap.text));
	memcpy(cap.text + cap.len, s, len);
	cap.len += len;
	cap.text[cap.len] = '\0';
	cap.calls++;
	cap.last_len = len;
}

static void cap_reset(void)
{
	memset(&cap, 0, sizeof(cap));
	log_set_sink(capture);
	log_set_level(LOG_INFO);
	fake_cpu_id = 0;
}

static size_t fmt_line(char *buf, size_t size, enum log_level level,
		       unsigned cpu, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = log_format(buf, size, level, cpu, fmt, ap);
	va_end(ap);
	return n;
}

TEST(format_levels)
{
	char buf[128];

	CHECK_EQ(fmt_line(buf, sizeof(buf), LOG_ERROR, 0, "boom"), 19);
	CHECK_STR(buf, "hyp[0] error: boom\n");
	CHECK_EQ(fmt_line(buf, sizeof(buf), LOG_WARN, 1, "x=%d", 5), 17);
	CHECK_STR(buf, "hyp[1] warn: x=5\n");
	CHECK_EQ(fmt_line(buf, sizeof(buf), LOG_INFO, 7, "%s %s", "a", "b"),
		 17);
	CHECK_STR(buf, "hyp[7] info: a b\n");
	CHECK_EQ(fmt_line(buf, sizeof(buf), LOG_DEBUG, 12, "0x%lx", 0x40UL),
		 20);
	CHECK_STR(buf, "hyp[12] debug: 0x40\n");
	CHECK_EQ(fmt_line(buf, sizeof(buf), LOG_INFO, 3, "%s", ""), 14);
	CHECK_STR(buf, "hyp[3] info: \n");
}

/* a message that does not fit: cut, but still one line ending in \n */
TEST(format_truncation)
{
	const char *full =
	    "hyp[2] warn: 0123456789abcdefghijklmnopqrstuvwxyz\n";
	size_t flen = strlen(full);
	char buf[80];

	for (size_t size = 2; size <= flen + 5; size++) {
		size_t n, want = size - 1 < flen ? size - 1 : flen;
		memset(buf, '#', sizeof(buf));
		n = fmt_line(buf, size, LOG_WARN, 2, "0123456789%s",
			     "abcdefghijklmnopqrstuvwxyz");
		CHECKF(n == want, "size %zu: length %zu", size, n);
		CHECK_EQ(buf[n], '\0');
		CHECK_EQ(buf[n - 1], '\n');
		CHECKF(!memcmp(buf, full, n - 1), "size %zu: \"%s\"", size,
		       buf);
		CHECK_EQ(buf[size], '#');
	}
}

/* too small for even the \n: no write outside the buffer */
TEST(format_tiny_buffer)
{
	char buf[4] = "###";

	CHECK_EQ(fmt_line(buf + 1, 1, LOG_INFO, 0, "msg"), 0);
	CHECK_STR(buf, "#");
	CHECK_EQ(buf[2], '#');
	CHECK_EQ(fmt_line(buf + 1, 0, LOG_INFO, 0, "msg"), 0);
	CHECK_EQ(buf[1], '\0');
	CHECK_EQ(buf[2], '#');
}

TEST(format_exact_fit)
{
	char buf[20];

	/* "hyp[0] info: " is 13, + 5 + \n + NUL = 20 */
	CHECK_EQ(fmt_line(buf, sizeof(buf), LOG_INFO, 0, "abcde"), 19);
	CHECK_STR(buf, "hyp[0] info: abcde\n");
	CHECK_EQ(fmt_line(buf, sizeof(buf), LOG_INFO, 0, "abcdef"), 19);
	CHECK_STR(buf, "hyp[0] info: abcde\n");
}

TEST(msg_to_sink)
{
	cap_reset();
	fake_cpu_id = 3;
	log_msg(LOG_INFO, "hello %s %d", "world", 42);
	CHECK_STR(cap.text, "hyp[3] info: hello world 42\n");
	CHECK_EQ(cap.calls, 1);
	CHECK_EQ(cap.last_len, strlen("hyp[3] info: hello world 42\n"));
	fake_cpu_id = 1;
	log_err("e%u", 1u);
	log_warn("w");
	CHECK_STR(cap.text, "hyp[3] info: hello world 42\n"
			    "hyp[1] error: e1\n"
			    "hyp[1] warn: w\n");
	CHECK_EQ(cap.calls, 3);
	log_set_sink(NULL);
}

TEST(level_filter)
{
	cap_reset();
	CHECK_EQ(log_get_level(), LOG_INFO);
	log_debug("dropped by default");
	log_info("i");
	CHECK_STR(cap.text, "hyp[0] info: i\n");

	cap_reset();
	log_set_level(LOG_WARN);
	CHECK_EQ(log_get_level(), LOG_WARN);
	log_debug("d");
	log_info("i");
	log_warn("w");
	log_err("e");
	CHECK_STR(cap.text, "hyp[0] warn: w\nhyp[0] error: e\n");

	cap_reset();
	log_set_level(LOG_ERROR);
	log_warn("w");
	log_err("e");
	CHECK_STR(cap.text, "hyp[0] error: e\n");

	cap_reset();
	log_set_level(LOG_DEBUG);
	log_debug("d");
	log_info("i");
	CHECK_STR(cap.text, "hyp[0] debug: d\nhyp[0] info: i\n");
	CHECK_EQ(cap.calls, 2);
	log_set_level(LOG_INFO);
	log_set_sink(NULL);
}

/* log_msg's line is 256 bytes: a longer message is cut, keeping the \n */
TEST(msg_long)
{
	char big[400];

	cap_reset();
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info("%s", big);
	CHECK_EQ(cap.calls, 1);
	CHECK_EQ(cap.last_len, 255);
	CHECK(!memcmp(cap.text, "hyp[0] info: xxx", 16));
	CHECK_EQ(cap.text[254], '\n');
	CHECK_EQ(cap.text[253], 'x');
	log_set_sink(NULL);
}

TEST(raw)
{
	char big[400];

	cap_reset();
	fake_cpu_id = 4;
	log_raw("x%d=%016lx ", 0, 0x1234UL);
	log_raw("\n");
	CHECK_STR(cap.text, "x0=0000000000001234 \n");
	CHECK_EQ(cap.calls, 2);
	/* filtered by nothing */
	log_set_level(LOG_ERROR);
	log_raw("banner");
	CHECK_STR(cap.text, "x0=0000000000001234 \nbanner");
	/* cut to the line buffer */
	memset(&cap, 0, sizeof(cap));
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_raw("%s", big);
	CHECK_EQ(cap.last_len, 255);
	CHECK_EQ(strlen(cap.text), 255);
	log_set_level(LOG_INFO);
	log_set_sink(NULL);
}

TEST(no_sink)
{
	cap_reset();
	log_set_sink(NULL);
	log_err("nowhere");
	log_raw("nowhere");
	CHECK_EQ(cap.calls, 0);
}
