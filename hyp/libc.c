/*
 * The C library functions hypnest and libfdt need, written byte-wise on
 * purpose: they run with the MMU off (Device memory: no unaligned access)
 * and while a guest's FP/SIMD state is live (no vector registers; the build
 * uses -mgeneral-regs-only), so optimised library versions are not usable.
 */
#include "hyp/lib.h"

/* Whole aligned words where both ends allow it (guest RAM is cleared and
 * kernels copied with these), bytes otherwise: never an unaligned access. */
void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	uint64_t w = 0x0101010101010101UL * (unsigned char)c;

	for (; n && ((uintptr_t)p & 7); n--)
		*p++ = (unsigned char)c;
	/* 64 bytes a turn: eight word stores the compiler pairs into STPs,
	 * a quarter of the instructions of a word loop (clearing guest RAM
	 * is most of a guest's set-up under an emulator) */
	for (; n >= 64; n -= 64, p += 64) {
		uint64_t *q = (uint64_t *)p;

		q[0] = w;
		q[1] = w;
		q[2] = w;
		q[3] = w;
		q[4] = w;
		q[5] = w;
		q[6] = w;
		q[7] = w;
	}
	for (; n >= 8; n -= 8, p += 8)
		*(uint64_t *)p = w;
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

/* 64 bytes between word-aligned buffers: all loads, then all stores, as
 * LDP/STP pairs (the kernel and initrd are copied with this) */
static inline void copy64(unsigned char *d, const unsigned char *s)
{
	const uint64_t *a = (const uint64_t *)s;
	uint64_t *b = (uint64_t *)d;
	uint64_t w0 = a[0], w1 = a[1], w2 = a[2], w3 = a[3];
	uint64_t w4 = a[4], w5 = a[5], w6 = a[6], w7 = a[7];

	b[0] = w0;
	b[1] = w1;
	b[2] = w2;
	b[3] = w3;
	b[4] = w4;
	b[5] = w5;
	b[6] = w6;
	b[7] = w7;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if ((((uintptr_t)dp ^ (uintptr_t)sp) & 7) == 0) {
		for (; n && ((uintptr_t)dp & 7); n--)
			*dp++ = *sp++;
		for (; n >= 64; n -= 64, dp += 64, sp += 64)
			copy64(dp, sp);
		for (; n >= 8; n -= 8, dp += 8, sp += 8)
			*(uint64_t *)dp = *(const uint64_t *)sp;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	const char *start = s;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = (s[0] == '0') ? 8 : 10;
	}
	if (digit_value(*s) >= base) {
		s = start; /* no digits: nothing was converted (C11 7.22.1.4) */
	}
	for (; digit_value(*s) < base; s++)
		v = v * (unsigned long)base + (unsigned long)digit_value(*s);
	if (end)
		*end = (char *)s;
	return v;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}
