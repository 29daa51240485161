/* libfdt from libfdt-dev:arm64, found through this directory so that its
 * libfdt_env.h picks up the freestanding headers beside this file. */
#include "/usr/include/libfdt.h"
