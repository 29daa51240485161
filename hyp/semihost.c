/*
 * Arm semihosting (Arm IHI 0056, "Semihosting for AArch32 and AArch64"):
 * HLT #0xF000 with the operation in w0 and a parameter pointer in x1.
 * hypnest uses it for two things only: messages before the console is
 * known (a broken or missing DT), and the exit status a test reads.
 */
#include "hyp/lib.h"
#include "hyp/platform.h"

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#ifdef CONFIG_SEMIHOSTING
static uint64_t semihost_call(uint64_t op, const void *arg)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uintptr_t)arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

bool semihost_available(void)
{
	return true;
}

void semihost_write(const char *s, size_t len)
{
	char chunk[128];

	while (len) {
		size_t n = MIN(len, sizeof(chunk) - 1);
		memcpy(chunk, s, n);
		chunk[n] = '\0';
		semihost_call(SYS_WRITE0, chunk);
		s += n;
		len -= n;
	}
}

void semihost_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status };

	semihost_call(SYS_EXIT, block);
	for (;;)
		__asm__ volatile("wfi");
}
#else
bool semihost_available(void)
{
	return false;
}

void semihost_write(const char *s, size_t len)
{
	(void)s;
	(void)len;
}

void semihost_exit(int status)
{
	(void)status;
	for (;;)
		__asm__ volatile("wfi");
}
#endif
