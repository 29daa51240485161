/* Logger: levels, a CPU prefix, one whole line per call (hyp/log.c). */
#ifndef HYP_LOG_H
#define HYP_LOG_H
#include "hyp/types.h"
#include <stdarg.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

typedef void (*log_sink_fn)(const char *s, size_t len);

void log_set_sink(log_sink_fn sink);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* format a line "hyp[<cpu>] <lvl>: <msg>\n" into buf; used by log_msg and
 * unit-tested on the host */
size_t log_format(char *buf, size_t size, enum log_level level, unsigned cpu,
		  const char *fmt, va_list ap);
void log_msg(enum log_level level, const char *fmt, ...) PRINTF(2, 3);
/* raw text, no prefix, under the same lock (register dumps, banners) */
void log_raw(const char *fmt, ...) PRINTF(1, 2);

#define log_err(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
