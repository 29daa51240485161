#include "hyp/bootargs.h"
#include "hyp/lib.h"

bool bootarg_get(const char *args, const char *key, char *val, size_t len)
{
	size_t klen = strlen(key);

	while (args && *args) {
		const char *end;
		while (*args == ' ')
			args++;
		end = strchr(args, ' ');
		if (!end)
			end = args + strlen(args);
		if ((size_t)(end - args) >= klen && !strncmp(args, key, klen) &&
		    (args[klen] == '=' || args + klen == end)) {
			const char *v = args + klen + (args[klen] == '=');
			size_t n = (size_t)(end - v);
			if (len) {
				n = MIN(n, len - 1);
				memcpy(val, v, n);
				val[n] = '\0';
			}
			return true;
		}
		args = end;
	}
	return false;
}
