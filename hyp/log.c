/*
 * The hypervisor's log. Every call emits one whole line under one lock, so
 * lines from different CPUs never interleave. Where it goes is the sink's
 * business (hyp/console.c); see docs/architecture.md for why it is the PL011.
 */
#include "hyp/log.h"
#include "hyp/arch.h"
#include "hyp/lib.h"
#include "hyp/spinlock.h"

#define LINE_MAX 256

static log_sink_fn sink;
static enum log_level max_level = LOG_INFO;
static spinlock_t lock;

static const char *const level_tag[] = {
	[LOG_ERROR] = "error",
	[LOG_WARN] = "warn",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

void log_set_sink(log_sink_fn s)
{
	sink = s;
}

void log_set_level(enum log_level level)
{
	max_level = level;
}

enum log_level log_get_level(void)
{
	return max_level;
}

size_t log_format(char *buf, size_t size, enum log_level level, unsigned cpu,
		  const char *fmt, va_list ap)
{
	size_t n, m;

	if (size < 2) { /* no room for even the newline */
		if (size)
			buf[0] = '\0';
		return 0;
	}
	n = (size_t)hyp_snprintf(buf, size, "hyp[%u] %s: ", cpu,
				 level_tag[level]);
	if (n >= size)
		n = size - 1;
	m = (size_t)hyp_vsnprintf(buf + n, size - n, fmt, ap);
	n = (n + m >= size - 1) ? size - 2 : n + m; /* truncate, keep the \n */
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

static void emit(const char *s, size_t len)
{
	if (!sink)
		return;
	spin_lock(&lock);
	sink(s, len);
	spin_unlock(&lock);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[LINE_MAX];
	va_list ap;
	size_t n;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	n = log_format(line, sizeof(line), level, arch_cpu_id(), fmt, ap);
	va_end(ap);
	emit(line, n);
}

void log_raw(const char *fmt, ...)
{
	char line[LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hyp_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(line, MIN((size_t)n, sizeof(line) - 1));
}
