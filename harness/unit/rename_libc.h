/*
 * Forced into every file of test_libc (-include, see the Makefile): gives
 * hyp/libc.c's functions (include/hyp/lib.h) the names hyp_test_* so that
 * they do not clash with the host C library's, which the test compares
 * them against. The host's headers come first, under the real names;
 * unit.h takes the renames back for the framework and the tests.
 */
#ifndef RENAME_LIBC_H
#define RENAME_LIBC_H
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define HYP_TEST_RENAME_LIBC 1

void *hyp_test_memset(void *s, int c, size_t n);
void *hyp_test_memcpy(void *d, const void *s, size_t n);
void *hyp_test_memmove(void *d, const void *s, size_t n);
int hyp_test_memcmp(const void *a, const void *b, size_t n);
void *hyp_test_memchr(const void *s, int c, size_t n);
size_t hyp_test_strlen(const char *s);
size_t hyp_test_strnlen(const char *s, size_t n);
int hyp_test_strcmp(const char *a, const char *b);
int hyp_test_strncmp(const char *a, const char *b, size_t n);
char *hyp_test_strchr(const char *s, int c);
char *hyp_test_strrchr(const char *s, int c);
char *hyp_test_strstr(const char *hay, const char *needle);
unsigned long hyp_test_strtoul(const char *s, char **end, int base);

#define memset hyp_test_memset
#define memcpy hyp_test_memcpy
#define memmove hyp_test_memmove
#define memcmp hyp_test_memcmp
#define memchr hyp_test_memchr
#define strlen hyp_test_strlen
#define strnlen hyp_test_strnlen
#define strcmp hyp_test_strcmp
#define strncmp hyp_test_strncmp
#define strchr hyp_test_strchr
#define strrchr hyp_test_strrchr
#define strstr hyp_test_strstr
#define strtoul hyp_test_strtoul

#endif
