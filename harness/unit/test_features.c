/* hyp/features.c: decoding the ID registers. */
#include <string.h>

#include "hyp/features.h"
#include "unit.h"

/* what QEMU 10 -M virt,virtualization=on -cpu max shows at EL2
 * (/work/shared/PLATFORM.md) */
#define QEMU_MMFR2 0x1221011112011011ULL
#define QEMU_MMFR1 0x0110112010312122ULL
#define QEMU_PFR0 0x1301001121110222ULL
#define QEMU_MMFR4 0x0ULL

static struct cpu_features decode(const struct id_regs *raw)
{
	struct cpu_features f;

	memset(&f, 0xa5, sizeof(f));
	features_decode(raw, &f);
	return f;
}

TEST(qemu_max)
{
	struct id_regs raw = { .pfr0 = QEMU_PFR0,
			       .mmfr0 = 0x0000000000101125ULL,
			       .mmfr1 = QEMU_MMFR1,
			       .mmfr2 = QEMU_MMFR2,
			       .mmfr4 = QEMU_MMFR4,
			       .midr = 0x000f0510 };
	struct cpu_features f = decode(&raw);

	CHECK_EQ(f.nv, 2);
	CHECK_STR(features_nv_name(&f), "FEAT_NV2");
	CHECK(f.vhe);
	CHECK_EQ(f.vmid_bits, 16);
	CHECK(f.el2_aarch64);
	CHECK(f.gic_sysregs);
	CHECK(f.e2h0);
	CHECK(!f.ecv);
	CHECK_EQ(f.parange, 5);
	CHECK_EQ(f.pa_bits, 48);
	CHECK(f.soft_model);
	CHECK(!memcmp(&f.raw, &raw, sizeof(raw)));
	/* Arm's implementer code: a real CPU (Neoverse N2's MIDR) */
	raw.midr = 0x410fd490;
	CHECK(!decode(&raw).soft_model);
}

TEST(nothing)
{
	struct id_regs raw = { 0 };
	struct cpu_features f = decode(&raw);

	CHECK_EQ(f.nv, 0);
	CHECK_STR(features_nv_name(&f), "none");
	CHECK(!f.vhe);
	CHECK_EQ(f.vmid_bits, 8);
	CHECK(!f.el2_aarch64);
	CHECK(!f.gic_sysregs);
	CHECK(f.e2h0);
	CHECK(!f.ecv);
	CHECK_EQ(f.parange, 0);
	CHECK_EQ(f.pa_bits, 32);
}

TEST(nv_field)
{
	/* MMFR2.NV is bits [27:24]; its neighbours do not count */
	struct id_regs raw = { .mmfr2 = 0xf0ffffffULL };
	struct cpu_features f = decode(&raw);

	CHECK_EQ(f.nv, 0);
	CHECK_STR(features_nv_name(&f), "none");
	raw.mmfr2 = 0x01000000;
	f = decode(&raw);
	CHECK_EQ(f.nv, 1);
	CHECK_STR(features_nv_name(&f), "FEAT_NV");
	raw.mmfr2 = 0xf2ffffffffffffffULL & ~0x0d000000ULL;
	f = decode(&raw);
	CHECK_EQ(f.nv, 2);
	CHECK_STR(features_nv_name(&f), "FEAT_NV2");
}

TEST(parange)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	for (unsigned v = 0; v < ARRAY_SIZE(bits); v++) {
		/* with the other MMFR0 fields of a typical CPU around it */
		struct id_regs raw = { .mmfr0 = 0x1000000000f11120ULL | v };
		struct cpu_features f = decode(&raw);
		CHECKF(f.pa_bits == bits[v], "PARange %u: %u bits", v,
		       f.pa_bits);
		CHECK_EQ(f.parange, v);
	}
}

TEST(ecv)
{
	struct id_regs raw = { .mmfr0 = 0x0fffffffffffffffULL };

	CHECK(!decode(&raw).ecv);
	raw.mmfr0 = 0x1000000000000005ULL;
	CHECK(decode(&raw).ecv);
	raw.mmfr0 = 0x2000000000000005ULL; /* ECV with CNTHCTL_EL2.ECV */
	CHECK(decode(&raw).ecv);
}

TEST(e2h0)
{
	struct id_regs raw = { .mmfr4 = 0 };

	CHECK(decode(&raw).e2h0);
	/* other MMFR4 fields (EIESB, NV_frac, ...) are not E2H0 */
	raw.mmfr4 = 0xf0ffffffULL | 0xf00000000ULL;
	CHECK(decode(&raw).e2h0);
	/* 0b1110 and 0b1111: HCR_EL2.E2H is RES1 */
	raw.mmfr4 = 0x0e000000;
	CHECK(!decode(&raw).e2h0);
	raw.mmfr4 = 0x0f000000;
	CHECK(!decode(&raw).e2h0);
	raw.mmfr4 = 0x0f100000; /* with NV_frac = 1 */
	CHECK(!decode(&raw).e2h0);
}

TEST(vhe_and_vmid)
{
	struct id_regs raw = { .mmfr1 = 0x100 };
	struct cpu_features f = decode(&raw);

	CHECK(f.vhe);
	CHECK_EQ(f.vmid_bits, 8);
	raw.mmfr1 = 0xfffffffffffff0ffULL & ~0xd0ULL; /* VMIDBits = 2 */
	f = decode(&raw);
	CHECK(!f.vhe);
	CHECK_EQ(f.vmid_bits, 16);
}

TEST(pfr0)
{
	/* EL2 [11:8]: 1 = AArch64 only, 2 = AArch64 and AArch32 */
	struct id_regs raw = { .pfr0 = 0x100 };

	CHECK(decode(&raw).el2_aarch64);
	CHECK(!decode(&raw).gic_sysregs);
	raw.pfr0 = 0x200;
	CHECK(decode(&raw).el2_aarch64);
	/* GIC [27:24]: 1 = GICv3/4 sysregs, 3 = GICv4.1 */
	raw.pfr0 = 0xf0fff0ffULL;
	CHECK(!decode(&raw).el2_aarch64);
	CHECK(!decode(&raw).gic_sysregs);
	raw.pfr0 = 0x03000000;
	CHECK(decode(&raw).gic_sysregs);
}

/* the registers hypnest initialises at boot exist by these fields
 * (hyp/el2_boot.c cpu_el2_init) */
TEST(boot_register_features)
{
	struct id_regs raw = { .mmfr0 = 0xf0ffffffffffffffULL,
			       .mmfr1 = ~0xf0000000000ULL,
			       .pfr0 = ~0xf00000000000ULL };
	struct cpu_features f = decode(&raw);

	CHECK_EQ(f.fgt, 0);
	CHECK(!f.hcx);
	CHECK(!f.amu);
	CHECK(f.ras);			   /* PFR0.RAS [31:28] set in ~AMU */
	raw.mmfr0 = 0x0100000000000005ULL; /* MMFR0.FGT = 1 */
	raw.mmfr1 = 0x10000000000ULL;	   /* MMFR1.HCX = 1 */
	raw.pfr0 = 0x100000000000ULL;	   /* PFR0.AMU = 1 (AMUv1) */
	f = decode(&raw);
	CHECK_EQ(f.fgt, 1);
	CHECK(f.hcx);
	CHECK(f.amu);
	CHECK(!f.ras);
	raw.mmfr0 = 0x0200000000000005ULL; /* FEAT_FGT2 */
	raw.pfr0 = 0x200000000000ULL;	   /* AMUv1p1 */
	f = decode(&raw);
	CHECK_EQ(f.fgt, 2);
	CHECK(f.amu);
	raw.mmfr0 = 0x0f00000000000005ULL; /* reserved: at least FGT2 */
	CHECK_EQ(decode(&raw).fgt, 2);
}
