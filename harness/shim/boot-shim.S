/*
 * Test-only boot shim: starts hypnest (loaded as an ELF at its link
 * address by QEMU's generic loader) with a chosen x0, so the harness can
 * hand it no DTB, or a corrupt one, which QEMU's own -dtb path refuses.
 */
#include "hyp/config.h"

	.global _start
_start:
	ldr	x0, =SHIM_X0
	ldr	x1, =HYP_LINK_BASE
	br	x1
