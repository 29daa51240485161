/* see libfdt.h beside this file */
#include "/usr/include/fdt.h"
