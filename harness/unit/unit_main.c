/* The runner of harness/unit/unit.h: see there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static struct unit_test *tests, **tests_tail = &tests;
static const char *current;
static jmp_buf fail_jmp;

void unit_register(struct unit_test *t)
{
	t->next = NULL;
	*tests_tail = t;
	tests_tail = &t->next;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s: %s:%d: ", current ? current : "?", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!current)
		exit(1);
	longjmp(fail_jmp, 1);
}

void unit_check_eq(const char *file, int line, const char *expr,
		   unsigned long long a, unsigned long long b)
{
	if (a != b)
		unit_fail(file, line, "%s (0x%llx != 0x%llx)", expr, a, b);
}

void unit_check_str(const char *file, int line, const char *expr, const char *a,
		    const char *b)
{
	if (!a || !b) {
		if (a != b)
			unit_fail(file, line, "%s (%s%s%s != %s%s%s)", expr,
				  a ? "\"" : "", a ? a : "NULL", a ? "\"" : "",
				  b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
		return;
	}
	if (strcmp(a, b))
		unit_fail(file, line, "%s (\"%s\" != \"%s\")", expr, a, b);
}

/* volatile: the value must survive the longjmp */
static bool run(struct unit_test *t)
{
	volatile bool ok = false;

	current = t->name;
	if (!setjmp(fail_jmp)) {
		t->fn();
		ok = true;
		printf("ok %s\n", t->name);
	}
	current = NULL;
	fflush(stdout);
	return ok;
}

static struct unit_test *find(const char *name)
{
	for (struct unit_test *t = tests; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

int main(int argc, char **argv)
{
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (struct unit_test *t = tests; t; t = t->next)
			printf("%s\n", t->name);
		return 0;
	}
	if (argc == 1) {
		for (struct unit_test *t = tests; t; t = t->next)
			failed += !run(t);
	}
	for (int i = 1; i < argc; i++) {
		struct unit_test *t = find(argv[i]);
		if (!t) {
			printf("FAIL %s: no such test\n", argv[i]);
			failed++;
		} else {
			failed += !run(t);
		}
	}
	return failed ? 1 : 0;
}
