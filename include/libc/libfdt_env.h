/* see libfdt.h beside this file */
#include "/usr/include/libfdt_env.h"
