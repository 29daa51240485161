/* sysreg/id_regs.c: the table's shape and each kind of policy, on host
 * values QEMU's -cpu max does not have (harness/test_id_regs.py runs the
 * table on QEMU's). Expectations from docs/id-regs.md and D24.2. */
#include "arch/sysreg_enc.h"
#include "hyp/id_regs.h"
#include "unit.h"

#define ALL_ONES (~0ULL)
#define ENC(crm, op2) SYSREG_ENC(3, 0, 0, crm, op2)
#define PFR0 ENC(4, 0)
#define PFR1 ENC(4, 1)
#define DFR0 ENC(5, 0)
#define ISAR1 ENC(6, 1)
#define ISAR2 ENC(6, 2)
#define MMFR0 ENC(7, 0)
#define MMFR1 ENC(7, 1)
#define MMFR2 ENC(7, 2)

static unsigned fld(uint64_t v, unsigned lsb)
{
	return (unsigned)(v >> lsb) & 0xf;
}

static uint64_t put(unsigned lsb, unsigned val)
{
	return (uint64_t)val << lsb;
}

static const enum id_view views[] = { ID_VIEW_EL1, ID_VIEW_NVHE, ID_VIEW_VHE };

/* every named register of the ID space has a row (D24.2), each once; its
 * fields are 4-bit, aligned, apart and named */
TEST(table_shape)
{
	static const uint32_t named[] = {
		ENC(1, 0), ENC(1, 1), ENC(1, 2), ENC(1, 3), ENC(1, 4),
		ENC(1, 5), ENC(1, 6), ENC(1, 7), ENC(2, 0), ENC(2, 1),
		ENC(2, 2), ENC(2, 3), ENC(2, 4), ENC(2, 5), ENC(2, 6),
		ENC(2, 7), ENC(3, 0), ENC(3, 1), ENC(3, 2), ENC(3, 4),
		ENC(3, 5), ENC(3, 6), ENC(4, 0), ENC(4, 1), ENC(4, 2),
		ENC(4, 4), ENC(4, 5), ENC(4, 7), ENC(5, 0), ENC(5, 1),
		ENC(5, 2), ENC(5, 4), ENC(5, 5), ENC(6, 0), ENC(6, 1),
		ENC(6, 2), ENC(6, 3), ENC(7, 0), ENC(7, 1), ENC(7, 2),
		ENC(7, 3), ENC(7, 4),
	};
	unsigned n;
	const struct id_reg *t = id_reg_table(&n);

	CHECK_EQ(n, sizeof(named) / sizeof(named[0]));
	for (unsigned i = 0; i < n; i++) {
		uint64_t seen = 0;

		CHECK_EQ(t[i].enc, named[i]);
		CHECK(id_reg_find(named[i]) == &t[i]);
		CHECK(id_reg_space(t[i].enc));
		for (unsigned j = 0; j < t[i].nfields; j++) {
			const struct id_field *f = &t[i].fields[j];

			CHECK(f->name && f->name[0]);
			CHECK_EQ(f->lsb % 4, 0);
			CHECK(f->lsb <= 60);
			CHECK_EQ(seen & (0xfULL << f->lsb), 0);
			seen |= 0xfULL << f->lsb;
		}
	}
}

/* the unallocated encodings of the ID space read 0 (D24.1.2), and the
 * space is exactly op0 3, op1 0, CRn 0, CRm 1..7 */
TEST(reserved_and_space)
{
	static const uint32_t reserved[] = { ENC(3, 3), ENC(3, 7), ENC(4, 3),
					     ENC(4, 6), ENC(5, 3), ENC(5, 6),
					     ENC(5, 7), ENC(6, 7), ENC(7, 5),
					     ENC(7, 7) };

	for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		CHECK(id_reg_space(reserved[i]));
		CHECK(!id_reg_find(reserved[i]));
		for (unsigned v = 0; v < 3; v++)
			CHECK_EQ(
			    id_reg_sanitise(reserved[i], ALL_ONES, views[v]),
			    0);
	}
	CHECK(!id_reg_space(ENC(0, 0)));		 /* MIDR_EL1 */
	CHECK(!id_reg_space(SYSREG_ENC(3, 0, 0, 8, 0))); /* CRm 8 */
	CHECK(!id_reg_space(SYSREG_ENC(3, 1, 0, 4, 0))); /* op1 1 */
	CHECK(!id_reg_space(SYSREG_ENC(3, 0, 1, 4, 0))); /* CRn 1 */
	CHECK(!id_reg_space(SYSREG_ENC(2, 0, 0, 4, 0))); /* op0 2 */
}

/* defect 6: AArch64 only, and every AArch32 ID register reads 0 whatever
 * the host has */
TEST(aarch32_hidden)
{
	for (unsigned v = 0; v < 3; v++) {
		uint64_t pfr0 = id_reg_sanitise(PFR0, 0x2222, views[v]);

		CHECK_EQ(fld(pfr0, 0), 1); /* EL0 */
		CHECK_EQ(fld(pfr0, 4), 1); /* EL1 */
		CHECK_EQ(fld(pfr0, 8), views[v] == ID_VIEW_EL1 ? 0 : 1);
		CHECK_EQ(fld(pfr0, 12), 0); /* EL3 */
		for (unsigned crm = 1; crm <= 3; crm++)
			for (unsigned op2 = 0; op2 < 8; op2++)
				CHECK_EQ(id_reg_sanitise(ENC(crm, op2),
							 ALL_ONES, views[v]),
					 0);
	}
	/* a host with AArch64 only keeps it */
	CHECK_EQ(fld(id_reg_sanitise(PFR0, 0x11, ID_VIEW_EL1), 0), 1);
}

/* defect 5: hidden whatever the host has, for every reader */
TEST(unhonoured_hidden)
{
	static const struct {
		uint32_t enc;
		unsigned lsb;
	} hidden[] = {
		{ MMFR1, 40 }, /* HCX */
		{ MMFR2, 40 }, /* FWB */
		{ MMFR0, 44 }, /* ExS */
		{ MMFR1, 32 }, /* TWED */
		{ MMFR0, 56 }, /* FGT */
		{ MMFR0, 60 }, /* ECV */
		{ MMFR2, 24 }, /* NV */
		{ MMFR1, 28 }, /* XNX */
		{ MMFR2, 12 }, /* IESB (needs RAS) */
		{ MMFR2, 8 },  /* LSM (AArch32) */
		{ MMFR0, 8 },  /* BigEnd */
		{ MMFR0, 16 }, /* BigEndEL0 */
		{ PFR0, 28 },  /* RAS */
		{ PFR0, 32 },  /* SVE */
		{ DFR0, 8 },   /* PMUVer */
		{ ISAR2, 0 },  /* WFxT */
		{ ISAR2, 16 }, /* MOPS */
	};

	for (unsigned v = 0; v < 3; v++)
		for (unsigned i = 0; i < sizeof(hidden) / sizeof(hidden[0]);
		     i++)
			CHECK_EQ(fld(id_reg_sanitise(hidden[i].enc, ALL_ONES,
						     views[v]),
				     hidden[i].lsb),
				 0);
}

/* FEAT_EVT: offered to a guest hypervisor (its HCR_EL2 TID4, TICAB, TOCU,
 * TTLBIS and TTLBOS are forwarded), 0 without EL2 (D24.2.90) */
TEST(evt_only_with_el2)
{
	CHECK_EQ(fld(id_reg_sanitise(MMFR2, ALL_ONES, ID_VIEW_EL1), 56), 0);
	CHECK_EQ(fld(id_reg_sanitise(MMFR2, 2UL << 56, ID_VIEW_NVHE), 56), 2);
	CHECK_EQ(fld(id_reg_sanitise(MMFR2, 2UL << 56, ID_VIEW_VHE), 56), 2);
}

/* hidden from a guest hypervisor only; a guest at EL1 has the host's */
TEST(nested_only_hidden)
{
	static const struct {
		uint32_t enc;
		unsigned lsb, host;
	} f[] = {
		{ MMFR1, 0, 2 },  /* HAFDBS */
		{ MMFR2, 16, 1 }, /* VARange */
		{ MMFR1, 36, 2 }, /* ETS */
		{ MMFR2, 52, 2 }, /* BBM */
		{ MMFR2, 28, 1 }, /* ST */
		{ MMFR1, 16, 1 }, /* LO */
		{ MMFR1, 56, 1 }, /* CMOW */
		{ ISAR1, 40, 2 }, /* SPECRES */
		{ ISAR2, 60, 1 }, /* ATS1A */
	};

	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		uint64_t host = put(f[i].lsb, f[i].host);

		CHECK_EQ(
		    fld(id_reg_sanitise(f[i].enc, host, ID_VIEW_EL1), f[i].lsb),
		    f[i].host);
		CHECK_EQ(fld(id_reg_sanitise(f[i].enc, host, ID_VIEW_NVHE),
			     f[i].lsb),
			 0);
		CHECK_EQ(
		    fld(id_reg_sanitise(f[i].enc, host, ID_VIEW_VHE), f[i].lsb),
		    0);
	}
}

/* caps: at most the level hypnest honours, never more than the host */
TEST(caps)
{
	static const struct {
		uint32_t enc;
		unsigned lsb, cap;
	} f[] = {
		{ MMFR0, 0, 5 },  /* PARange: 48 bits */
		{ PFR0, 56, 1 },  /* CSV2 */
		{ PFR1, 32, 1 },  /* CSV2_frac */
		{ PFR0, 24, 1 },  /* GIC */
		{ DFR0, 0, 0xa }, /* DebugVer */
		{ ISAR1, 4, 5 },  /* APA */
		{ ISAR1, 8, 5 },  /* API */
		{ ISAR2, 12, 5 }, /* APA3 */
		{ MMFR1, 0, 2 },  /* HAFDBS, at EL1 */
	};

	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		for (unsigned h = 0; h < 16; h++)
			CHECK_EQ(fld(id_reg_sanitise(f[i].enc, put(f[i].lsb, h),
						     ID_VIEW_EL1),
				     f[i].lsb),
				 h < f[i].cap ? h : f[i].cap);
	/* HPDS: HPDS2 reaches a guest hypervisor's VTCR_EL2 */
	CHECK_EQ(fld(id_reg_sanitise(MMFR1, put(12, 2), ID_VIEW_NVHE), 12), 1);
	CHECK_EQ(fld(id_reg_sanitise(MMFR1, put(12, 2), ID_VIEW_EL1), 12), 2);
}

/* pointer authentication hidden from a guest hypervisor: its ERETAA/ERETAB
 * trap and are emulated without authentication; the generic algorithms and
 * PAC_frac need FEAT_PAuth (A2.2); a guest at EL1 keeps them */
TEST(pointer_auth_hidden_from_guest_hypervisors)
{
	static const struct {
		uint32_t enc;
		unsigned lsb, val;
	} f[] = {
		{ ISAR1, 4, 5 },  /* APA */
		{ ISAR1, 8, 5 },  /* API */
		{ ISAR2, 12, 5 }, /* APA3 */
		{ ISAR1, 24, 1 }, /* GPA */
		{ ISAR1, 28, 1 }, /* GPI */
		{ ISAR2, 8, 1 },  /* GPA3 */
		{ ISAR2, 24, 1 }, /* PAC_frac */
	};

	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		uint64_t host = put(f[i].lsb, f[i].val);

		for (unsigned v = 1; v < 3; v++)
			CHECK_EQ(fld(id_reg_sanitise(f[i].enc, host, views[v]),
				     f[i].lsb),
				 0);
		CHECK_EQ(
		    fld(id_reg_sanitise(f[i].enc, host, ID_VIEW_EL1), f[i].lsb),
		    f[i].val);
	}
}

/* the granule fields (D24.2.88): signed TGran4/TGran64, the stage-2
 * fields' own scheme */
TEST(granules)
{
	/* QEMU max: TGran4 0b0001 (52-bit), TGran16 0b0010, TGran64 0b0000;
	 * stage 2: 0b0011, 0b0011, 0b0010 */
	uint64_t qemu = put(28, 1) | put(20, 2) | put(24, 0) | put(40, 3) |
			put(32, 3) | put(36, 2);
	/* an Armv8.0 CPU: 4K and 64K, no 16K, stage 2 "as stage 1" */
	uint64_t old = put(28, 0) | put(20, 0) | put(24, 0);
	/* 64K only: no 4K anywhere */
	uint64_t no4k = put(28, 0xf) | put(20, 0) | put(24, 0);
	/* 4K at stage 1, not at stage 2 */
	uint64_t no4k_s2 = put(28, 0) | put(40, 1);
	uint64_t g;

	g = id_reg_sanitise(MMFR0, qemu, ID_VIEW_EL1);
	CHECK_EQ(fld(g, 28), 1);
	CHECK_EQ(fld(g, 20), 2);
	CHECK_EQ(fld(g, 24), 0);
	CHECK_EQ(fld(g, 40), 0); /* no EL2: 0b0000 */
	CHECK_EQ(fld(g, 32), 0);
	CHECK_EQ(fld(g, 36), 0);
	for (unsigned v = 1; v < 3; v++) {
		g = id_reg_sanitise(MMFR0, qemu, views[v]);
		CHECK_EQ(fld(g, 28), 0);   /* 4K, no FEAT_LPA2 */
		CHECK_EQ(fld(g, 20), 0);   /* no 16K */
		CHECK_EQ(fld(g, 24), 0xf); /* no 64K */
		CHECK_EQ(fld(g, 40), 2);   /* 4K at stage 2, 48-bit */
		CHECK_EQ(fld(g, 32), 1);
		CHECK_EQ(fld(g, 36), 1);
		g = id_reg_sanitise(MMFR0, old, views[v]);
		CHECK_EQ(fld(g, 28), 0);
		CHECK_EQ(fld(g, 40), 2); /* 0b0000 read through TGran4 */
		g = id_reg_sanitise(MMFR0, no4k, views[v]);
		CHECK_EQ(fld(g, 28), 0xf); /* the signed cap keeps "none" */
		CHECK_EQ(fld(g, 40), 1);
		g = id_reg_sanitise(MMFR0, no4k_s2, views[v]);
		CHECK_EQ(fld(g, 28), 0);
		CHECK_EQ(fld(g, 40), 1);
	}
}

/* FEAT_VHE for the vhe guest hypervisor only; EL2 for both */
TEST(vhe_and_el2)
{
	uint64_t mmfr1 = put(8, 1), pfr0 = put(8, 1) | 0x11;

	CHECK_EQ(fld(id_reg_sanitise(MMFR1, mmfr1, ID_VIEW_EL1), 8), 0);
	CHECK_EQ(fld(id_reg_sanitise(MMFR1, mmfr1, ID_VIEW_NVHE), 8), 0);
	CHECK_EQ(fld(id_reg_sanitise(MMFR1, mmfr1, ID_VIEW_VHE), 8), 1);
	CHECK_EQ(fld(id_reg_sanitise(PFR0, pfr0, ID_VIEW_EL1), 8), 0);
	CHECK_EQ(fld(id_reg_sanitise(PFR0, pfr0, ID_VIEW_NVHE), 8), 1);
	CHECK_EQ(fld(id_reg_sanitise(PFR0, pfr0, ID_VIEW_VHE), 8), 1);
}

/* what is passed is the host's, 0b1111 ("not implemented") included */
TEST(passed_as_is)
{
	/* FP/AdvSIMD absent (signed 0b1111) and present with FP16 */
	for (unsigned h = 0; h < 16; h += 15) {
		uint64_t g = id_reg_sanitise(PFR0, put(16, h) | put(20, h),
					     ID_VIEW_NVHE);

		CHECK_EQ(fld(g, 16), h);
		CHECK_EQ(fld(g, 20), h);
	}
	/* DoubleLock: 0b1111 (not implemented) stays; it used to read 0 */
	CHECK_EQ(fld(id_reg_sanitise(DFR0, put(36, 0xf), ID_VIEW_EL1), 36),
		 0xf);
	/* the breakpoint and watchpoint counts */
	CHECK_EQ(id_reg_sanitise(DFR0, put(12, 5) | put(20, 3) | put(28, 1),
				 ID_VIEW_VHE),
		 put(12, 5) | put(20, 3) | put(28, 1));
}

/* bits of no listed field read 0 (RES0 today, unknown fields tomorrow):
 * all-ones in, only the table's fields out, for every register */
TEST(unlisted_bits_zero)
{
	unsigned n;
	const struct id_reg *t = id_reg_table(&n);

	for (unsigned i = 0; i < n; i++)
		for (unsigned v = 0; v < 3; v++) {
			uint64_t listed = 0;

			for (unsigned j = 0; j < t[i].nfields; j++)
				listed |= 0xfULL << t[i].fields[j].lsb;
			CHECK_EQ(id_reg_sanitise(t[i].enc, ALL_ONES, views[v]) &
				     ~listed,
				 0);
		}
	/* ISAR0 [27:24] (was TME) and [3:0] are RES0 in M.a.a */
	CHECK_EQ(
	    id_reg_sanitise(ENC(6, 0), put(24, 1) | put(0, 1), ID_VIEW_EL1), 0);
}
