/* Accesses the guest may not make: UNDEF for unemulated system registers
 * and SMC, sanitised ID registers, aborts outside its memory, and no view
 * of the hypervisor's memory anywhere in its own RAM. */
#include "gt.h"

#define RAM 0x40000000UL
#define RAM_MB 256

static uint64_t read_at(uint64_t addr)
{
	return *(volatile uint64_t *)addr;
}

static void expect_abort(uint64_t addr, const char *name)
{
	gt_expect_exception();
	(void)read_at(addr);
	gt_check(gt_exc.taken && (gt_exc.esr >> 26) == 0x25 &&
		     (gt_exc.esr & 0x3f) == 0x10 && gt_exc.far == addr,
		 name, "taken %d ESR 0x%lx FAR 0x%lx", gt_exc.taken,
		 (unsigned long)gt_exc.esr, (unsigned long)gt_exc.far);
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	uint64_t v, hi = 0x5eb0a7d1, lo = 0xc0ffee15;
	volatile uint64_t needle;
	unsigned long found = 0;

	(void)dtb;
	gt_expect_exception();
	__asm__ volatile("mrs %0, s3_0_c15_c0_0" : "=r"(v));
	CHECK(gt_exc.taken && (gt_exc.esr >> 26) == 0, "impdef sysreg: UNDEF");
	gt_expect_exception();
	__asm__ volatile("mov x0, #0x84000000\n smc #0" ::: "x0");
	CHECK(gt_exc.taken && (gt_exc.esr >> 26) == 0, "smc: UNDEF");
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v));
	CHECK_EQ((v >> 8) & 0xf, 0, "no EL2 advertised");
	CHECK_EQ((v >> 32) & 0xf, 0, "no SVE advertised");
	__asm__ volatile("mrs %0, id_aa64mmfr2_el1" : "=r"(v));
	CHECK_EQ((v >> 24) & 0xf, 0, "no FEAT_NV advertised");
	__asm__ volatile("mrs %0, s3_0_c0_c7_7" : "=r"(v));
	CHECK_EQ(v, 0, "reserved ID register reads as zero");
	expect_abort(0x0, "flash at IPA 0: abort");
	expect_abort(0x0a000000, "virtio-mmio, not given: abort");
	expect_abort(RAM + (RAM_MB << 20), "just past guest RAM: abort");
	expect_abort(0x100000000UL, "IPA 4 GiB: abort");
	expect_abort(0x7fffff000000UL, "top of the IPA space: abort");
	/* hypnest's stack-protector guard word is in its .data; built from
	 * halves here so this image does not contain it */
	needle = (hi << 32) | lo;
	for (uint64_t a = RAM; a < RAM + (RAM_MB << 20); a += 8)
		if (read_at(a) == needle && a != (uintptr_t)&needle)
			found++;
	CHECK_EQ(found, 0, "no hypervisor memory in guest RAM");
	gt_done();
}
