/*
 * int hyp_probe_read32(uintptr_t addr, uint32_t *val): 0 and *val, or -1
 * if the load took a synchronous abort (nothing at addr). The EL2 vectors
 * (hyp/vectors.S) resume an abort at hyp_probe_load at hyp_probe_fail.
 *
 * int hyp_probe_semihost(uint64_t op, uintptr_t param, uint64_t *ret): a
 * semihosting call (HLT #0xF000, Arm IHI 0056): 0 and its result in *ret,
 * or -1 if HLT was UNDEFINED (no semihosting: QEMU without
 * -semihosting-config enable=on, hardware without a debugger: HLT is
 * UNDEFINED while EDSCR.HDE is 0 or halting is prohibited, Arm ARM H3.3).
 * The vectors resume an exception at hyp_probe_hlt at hyp_probe_hlt_fail
 * (an UNDEFINED instruction's ELR_EL2 is its own address, Arm ARM D1.4,
 * the preferred exception return address).
 * Apart from the vectors so that the GIC driver, a library every layer
 * calls, calls nothing above it (docs/architecture.md, "Layers").
 */
#include "hyp/asm.h"

	.section .text
	.global hyp_probe_read32
	.global hyp_probe_load
	.global hyp_probe_fail
	.global hyp_probe_semihost
	.global hyp_probe_hlt
	.global hyp_probe_hlt_fail
hyp_probe_read32:
hyp_probe_load:
	ldr	w2, [x0]
	str	w2, [x1]
	mov	x0, #0
	ret
hyp_probe_fail:
	mov	x0, #-1
	ret

hyp_probe_semihost:
	mov	x3, x2
hyp_probe_hlt:
	hlt	#0xf000
	str	x0, [x3]
	mov	x0, #0
	ret
hyp_probe_hlt_fail:
	mov	x0, #-1
	ret
