/* Freestanding stand-in for the hosted header, for libfdt's libfdt_env.h */
#ifndef HYP_LIBC_STRING_H
#define HYP_LIBC_STRING_H
#include "hyp/lib.h"
#endif
