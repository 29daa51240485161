/*
 * A tiny unit-test framework for the host builds of hypnest's
 * arch-independent code (Makefile: host-tests).
 *
 *	TEST(name) { CHECK(x); CHECK_EQ(a, b); CHECK_STR(s, t); }
 *
 * A failed check prints "FAIL <test>: file:line: expr (values)" and ends
 * the test at once (longjmp), so checks may also be used in helpers.
 * The runner (unit_main.c): no argument runs every test, a test name runs
 * that test only, --list prints the names.
 */
#ifndef UNIT_H
#define UNIT_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#ifdef HYP_TEST_RENAME_LIBC
/* test_libc: rename_libc.h renamed hyp/libc.c's functions in every file of
 * the binary; the framework and the tests keep the host's (the tests call
 * the hypervisor's as hyp_test_*). */
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strtoul
#endif

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

/* the CPU number arch_cpu_id() returns (fake_arch.c) */
extern unsigned fake_cpu_id;

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void unit_check_eq(const char *file, int line, const char *expr,
		   unsigned long long a, unsigned long long b);
void unit_check_str(const char *file, int line, const char *expr, const char *a,
		    const char *b);

#define TEST(name)                                                             \
	static void test_##name(void);                                         \
	static struct unit_test unit_test_##name = { #name, test_##name,       \
						     NULL };                   \
	__attribute__((constructor)) static void unit_reg_##name(void)         \
	{                                                                      \
		unit_register(&unit_test_##name);                              \
	}                                                                      \
	static void test_##name(void)

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			unit_fail(__FILE__, __LINE__, "%s", #cond);            \
	} while (0)

/* CHECK with a printf-style note, for checks inside loops and tables */
#define CHECKF(cond, ...)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			unit_fail(__FILE__, __LINE__, __VA_ARGS__);            \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	unit_check_eq(__FILE__, __LINE__, #a " == " #b,                        \
		      (unsigned long long)(a), (unsigned long long)(b))

#define CHECK_STR(a, b)                                                        \
	unit_check_str(__FILE__, __LINE__, #a " == " #b, (a), (b))

/* harness/unit/dtc.c: <name>.dts from unit_dts_dir() compiled by dtc with
 * extra options opts, in a malloc'd (so 8-byte aligned) buffer; size may be
 * NULL. A dtc failure fails the test. */
const char *unit_dts_dir(void);
void *unit_dtc(const char *name, const char *opts, size_t *size);

#endif
