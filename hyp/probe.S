/*
 * int hyp_probe_read32(uintptr_t addr, uint32_t *val): 0 and *val, or -1
 * if the load took a synchronous abort (nothing at addr). The EL2 vectors
 * (hyp/vectors.S) resume an abort at hyp_probe_load at hyp_probe_fail.
 * Apart from the vectors so that the GIC driver, a library every layer
 * calls, calls nothing above it (docs/architecture.md, "Layers").
 */
#include "hyp/asm.h"

	.section .text
	.global hyp_probe_read32
	.global hyp_probe_load
	.global hyp_probe_fail
hyp_probe_read32:
hyp_probe_load:
	ldr	w2, [x0]
	str	w2, [x1]
	mov	x0, #0
	ret
hyp_probe_fail:
	mov	x0, #-1
	ret
