/*
 * Names of exception classes and fault status codes, from the ESR_ELx
 * description (Arm ARM D24.2.46, EC field, and the ISS encodings for data
 * and instruction aborts). One table each, indexed by the code, so what is
 * covered can be read at a glance.
 */
#include "arch/esr.h"

static const char *const ec_names[EC_MAX + 1] = {
	[0x00] = "Unknown reason",
	[0x01] = "Trapped WFI/WFE",
	[0x03] = "Trapped MCR/MRC (coproc 0b1111)",
	[0x04] = "Trapped MCRR/MRRC (coproc 0b1111)",
	[0x05] = "Trapped MCR/MRC (coproc 0b1110)",
	[0x06] = "Trapped LDC/STC",
	[0x07] = "Trapped SVE/SIMD/FP access",
	[0x0a] = "Trapped LD64B/ST64B",
	[0x0c] = "Trapped MRRC (coproc 0b1110)",
	[0x0d] = "Branch Target Exception",
	[0x0e] = "Illegal Execution state",
	[0x11] = "SVC from AArch32",
	[0x14] = "Trapped MSRR/MRRS/SYS128",
	[0x15] = "SVC from AArch64",
	[0x16] = "HVC from AArch64",
	[0x17] = "SMC from AArch64",
	[0x18] = "Trapped MSR/MRS/system instruction",
	[0x19] = "Trapped SVE access",
	[0x1a] = "Trapped ERET/ERETAA/ERETAB",
	[0x1b] = "Trapped TSTART",
	[0x1c] = "Pointer authentication failure",
	[0x1d] = "Trapped SME access",
	[0x20] = "Instruction Abort from a lower Exception level",
	[0x21] = "Instruction Abort without a change in Exception level",
	[0x22] = "PC alignment fault",
	[0x24] = "Data Abort from a lower Exception level",
	[0x25] = "Data Abort without a change in Exception level",
	[0x26] = "SP alignment fault",
	[0x27] = "Memory Operation Exception",
	[0x28] = "Trapped floating-point exception (AArch32)",
	[0x2c] = "Trapped floating-point exception (AArch64)",
	[0x2d] = "GCS exception",
	[0x2f] = "SError",
	[0x30] = "Breakpoint from a lower Exception level",
	[0x31] = "Breakpoint without a change in Exception level",
	[0x32] = "Software Step from a lower Exception level",
	[0x33] = "Software Step without a change in Exception level",
	[0x34] = "Watchpoint from a lower Exception level",
	[0x35] = "Watchpoint without a change in Exception level",
	[0x38] = "BKPT (AArch32)",
	[0x3c] = "BRK (AArch64)",
	[0x3d] = "Profiling exception",
};

static const char *const fsc_names[64] = {
	[0x00] = "address size fault, level 0",
	[0x01] = "address size fault, level 1",
	[0x02] = "address size fault, level 2",
	[0x03] = "address size fault, level 3",
	[0x04] = "translation fault, level 0",
	[0x05] = "translation fault, level 1",
	[0x06] = "translation fault, level 2",
	[0x07] = "translation fault, level 3",
	[0x09] = "access flag fault, level 1",
	[0x0a] = "access flag fault, level 2",
	[0x0b] = "access flag fault, level 3",
	[0x08] = "access flag fault, level 0",
	[0x0c] = "permission fault, level 0",
	[0x0d] = "permission fault, level 1",
	[0x0e] = "permission fault, level 2",
	[0x0f] = "permission fault, level 3",
	[0x10] = "synchronous external abort",
	[0x11] = "synchronous tag check fault",
	[0x14] = "external abort on walk, level 0",
	[0x15] = "external abort on walk, level 1",
	[0x16] = "external abort on walk, level 2",
	[0x17] = "external abort on walk, level 3",
	[0x21] = "alignment fault",
	[0x30] = "TLB conflict abort",
	[0x31] = "unsupported atomic hardware update",
};

const char *esr_ec_name(unsigned ec)
{
	if (ec > EC_MAX || !ec_names[ec])
		return "Reserved exception class";
	return ec_names[ec];
}

const char *esr_fsc_name(unsigned fsc)
{
	if (fsc >= 64 || !fsc_names[fsc])
		return "reserved fault status";
	return fsc_names[fsc];
}
