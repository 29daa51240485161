/* Device trees for the host unit tests: harness/unit/dts/<name>.dts
 * compiled with dtc at test time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

/* harness/unit/dts beside this file, or $UNIT_DTS_DIR */
const char *unit_dts_dir(void)
{
	static char dir[512];
	const char *env = getenv("UNIT_DTS_DIR");
	const char *slash = strrchr(__FILE__, '/');

	if (env)
		return env;
	if (!slash)
		return "dts";
	snprintf(dir, sizeof(dir), "%.*s/dts", (int)(slash - __FILE__),
		 __FILE__);
	return dir;
}

void *unit_dtc(const char *name, const char *opts, size_t *size)
{
	char tmp[] = "/tmp/hypnest-dtb-XXXXXX", cmd[1024], msg[2048];
	int fd = mkstemp(tmp), status;
	size_t n;
	void *blob;
	long len;
	FILE *f;

	CHECK(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "dtc -q %s -I dts -O dtb -o %s %s/%s.dts 2>&1", opts, tmp,
		 unit_dts_dir(), name);
	f = popen(cmd, "r");
	CHECK(f);
	n = fread(msg, 1, sizeof(msg) - 1, f);
	msg[n] = '\0';
	status = pclose(f);
	if (status)
		unlink(tmp);
	CHECKF(status == 0, "%s: %s", cmd, msg);
	f = fopen(tmp, "rb");
	unlink(tmp);
	CHECK(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	CHECK(len >= 40);
	blob = malloc((size_t)len);
	CHECK(blob);
	CHECK_EQ(fread(blob, 1, (size_t)len, f), len);
	fclose(f);
	if (size)
		*size = (size_t)len;
	return blob;
}
