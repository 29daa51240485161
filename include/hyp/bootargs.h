/* hypnest's command line: space-separated key=value words in the DT's
 * /chosen/bootargs (QEMU: -append). */
#ifndef HYP_BOOTARGS_H
#define HYP_BOOTARGS_H
#include "hyp/types.h"

/* copy the value of key into val (NUL-terminated); true if present.
 * A bare word "key" has the value "". */
bool bootarg_get(const char *args, const char *key, char *val, size_t len);

#endif
