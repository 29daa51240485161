/* crash.c with vCPU 1 at vEL0 in its EL2&0 host regime ({E2H, TGE} =
 * {1, 1}) when vCPU 0 resets (harness/test_guest_crash.py). */
#define VEL0_HOST 1
#include "crash.c"
