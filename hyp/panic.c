/* Unexpected exceptions at EL2: a full register dump with the exception
 * class named, then the hypervisor stops (hyp_panic). */
#include "arch/esr.h"
#include "arch/sysreg.h"
#include "hyp/arch.h"
#include "hyp/config.h"
#include "hyp/log.h"
#include "hyp/trap.h"

/* Arm ARM D1.3.2: the vector table's four groups of four */
static const char *const vector_names[16] = {
	"Synchronous, current EL with SP_EL0",
	"IRQ, current EL with SP_EL0",
	"FIQ, current EL with SP_EL0",
	"SError, current EL with SP_EL0",
	"Synchronous, current EL with SP_EL2",
	"IRQ, current EL with SP_EL2",
	"FIQ, current EL with SP_EL2",
	"SError, current EL with SP_EL2",
	"Synchronous, lower EL (AArch64)",
	"IRQ, lower EL (AArch64)",
	"FIQ, lower EL (AArch64)",
	"SError, lower EL (AArch64)",
	"Synchronous, lower EL (AArch32)",
	"IRQ, lower EL (AArch32)",
	"FIQ, lower EL (AArch32)",
	"SError, lower EL (AArch32)",
};

static bool is_abort(unsigned ec)
{
	return ec == EC_IABT_LOW || ec == EC_IABT_CUR || ec == EC_DABT_LOW ||
	       ec == EC_DABT_CUR;
}

void dump_frame(const struct trap_frame *f)
{
	unsigned ec = (unsigned)ESR_EC(f->esr);

	log_raw("  ESR_EL2  0x%08lx  EC 0x%02x (%s) IL %lu ISS 0x%07lx\n",
		(unsigned long)f->esr, ec, esr_ec_name(ec),
		(unsigned long)ESR_IL(f->esr), (unsigned long)ESR_ISS(f->esr));
	if (is_abort(ec))
		log_raw("  fault: %s%s\n", esr_fsc_name(f->esr & 0x3f),
			(ec >= EC_DABT_LOW && (f->esr & BIT(6))) ? ", write"
								 : "");
	log_raw("  FAR_EL2  0x%016lx  ELR_EL2  0x%016lx  SPSR_EL2 0x%08lx\n",
		(unsigned long)f->far, (unsigned long)f->elr,
		(unsigned long)f->spsr);
	for (int i = 0; i < 31; i += 3) {
		log_raw("  x%-2d 0x%016lx", i, (unsigned long)f->x[i]);
		if (i + 1 < 31)
			log_raw("  x%-2d 0x%016lx", i + 1,
				(unsigned long)f->x[i + 1]);
		if (i + 2 < 31)
			log_raw("  x%-2d 0x%016lx", i + 2,
				(unsigned long)f->x[i + 2]);
		else
			log_raw("  sp  0x%016lx", (unsigned long)f->sp);
		log_raw("\n");
	}
}

void hyp_panic_stop(void)
{
	log_err("cpu%u stopped: hypervisor panic", arch_cpu_id());
	arch_exit(EXIT_PANIC);
}

void hyp_unexpected(struct trap_frame *f, unsigned vector)
{
	log_err("*** unexpected exception: %s", vector_names[vector & 15]);
	dump_frame(f);
	hyp_panic_stop();
}
