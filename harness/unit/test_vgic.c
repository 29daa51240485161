/*
 * vcpu/vgic.c, vcpu/vgic_lr.c: the virtual GICv3 model and the ICH_LR
 * codec. Offsets, fields and expected values are written out by hand from
 * Arm IHI 0069 (chapter 12 and ICH_LR<n>_EL2), not taken from the code.
 */
#include <string.h>

#include "hyp/vgic.h"
#include "unit.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define RD(n) (GICR + (n)*0x20000UL)		/* RD_base of vCPU n */
#define SGI(n) (GICR + (n)*0x20000UL + 0x10000) /* SGI_base of vCPU n */

/* distributor */
#define D_CTLR 0x0000
#define D_TYPER 0x0004
#define D_IIDR 0x0008
#define D_TYPER2 0x000c
#define D_STATUSR 0x0010
#define D_IGROUPR(n) (0x0080 + 4 * (n))
#define D_ISENABLER(n) (0x0100 + 4 * (n))
#define D_ICENABLER(n) (0x0180 + 4 * (n))
#define D_ISPENDR(n) (0x0200 + 4 * (n))
#define D_ICPENDR(n) (0x0280 + 4 * (n))
#define D_ISACTIVER(n) (0x0300 + 4 * (n))
#define D_ICACTIVER(n) (0x0380 + 4 * (n))
#define D_IPRIORITYR 0x0400 /* + INTID, bytes */
#define D_ITARGETSR 0x0800
#define D_ICFGR(n) (0x0c00 + 4 * (n))
#define D_IGRPMODR(n) (0x0d00 + 4 * (n))
#define D_SGIR 0x0f00
#define D_IROUTER(i) (0x6000 + 8 * (i))
#define PIDR2 0xffe8
/* redistributor RD_base */
#define R_CTLR 0x0000
#define R_IIDR 0x0004
#define R_TYPER 0x0008
#define R_WAKER 0x0014
/* redistributor SGI_base */
#define S_IGROUPR0 0x0080
#define S_ISENABLER0 0x0100
#define S_ICENABLER0 0x0180
#define S_ISPENDR0 0x0200
#define S_ICPENDR0 0x0280
#define S_ISACTIVER0 0x0300
#define S_ICACTIVER0 0x0380
#define S_IPRIORITYR 0x0400
#define S_ICFGR0 0x0c00
#define S_ICFGR1 0x0c04
#define S_IGRPMODR0 0x0d00

/* ICH_LR<n>_EL2 State */
#define ST_P 1
#define ST_A 2

/* four vCPUs with affinities 0.0.0.0, 0.0.0.1, 0.0.1.0 and 1.0.0.2 (MPIDR
 * Aff3 is bits [39:32]; bit 31 is RES1) */
static const uint64_t mpidr[4] = { 0x80000000, 0x80000001, 0x80000100,
				   0x180000002 };

static struct vgic g;

static void setup(void)
{
	vgic_init(&g, 4, mpidr, GICD, GICR);
}

static uint64_t rd(paddr_t a, unsigned size)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aUL;

	CHECKF(vgic_mmio(&g, 0, a, false, size, &v) == VGIC_MMIO_HANDLED,
	       "read %u at 0x%lx not handled", size, (unsigned long)a);
	return v;
}

static void wr(paddr_t a, unsigned size, uint64_t v)
{
	CHECKF(vgic_mmio(&g, 0, a, true, size, &v) == VGIC_MMIO_HANDLED,
	       "write %u at 0x%lx not handled", size, (unsigned long)a);
}

static uint32_t rd32(paddr_t a)
{
	return rd(a, 4);
}

static void wr32(paddr_t a, uint32_t v)
{
	wr(a, 4, v);
}

static int access(paddr_t a, bool write, unsigned size)
{
	uint64_t v = 0;

	return vgic_mmio(&g, 0, a, write, size, &v);
}

/* enable both groups as Linux does (ARE_NS | EnableGrp1A | EnableGrp1,
 * which with DS = 1 are ARE, EnableGrp1, EnableGrp0) */
static void enable_groups(void)
{
	wr32(GICD + D_CTLR, 0x13);
}

/* enable SPI/PPI/SGI intid through the right frame, priority prio */
static void enable(unsigned vcpu, unsigned intid, uint8_t prio)
{
	if (intid < 32) {
		wr32(SGI(vcpu) + S_ISENABLER0, 1U << intid);
		wr(SGI(vcpu) + S_IPRIORITYR + intid, 1, prio);
	} else {
		wr32(GICD + D_ISENABLER(intid / 32), 1U << (intid % 32));
		wr(GICD + D_IPRIORITYR + intid, 1, prio);
	}
}

static bool spi_pending(unsigned intid)
{
	return (rd32(GICD + D_ISPENDR(intid / 32)) >> (intid % 32)) & 1;
}

static bool spi_active(unsigned intid)
{
	return (rd32(GICD + D_ISACTIVER(intid / 32)) >> (intid % 32)) & 1;
}

/* what vgic_pending_for says for vcpu, as a count and list */
static unsigned pend(unsigned vcpu, unsigned *out, unsigned max)
{
	return vgic_pending_for(&g, vcpu, out, max);
}

static unsigned first_pending(unsigned vcpu)
{
	unsigned id;

	return pend(vcpu, &id, 1) ? id : 1023;
}

TEST(probe_distributor)
{
	uint32_t typer;

	setup();
	/* GICD_PIDR2.ArchRev [7:4] = 3: GICv3 */
	CHECK_EQ((rd32(GICD + PIDR2) >> 4) & 0xf, 3);
	typer = rd32(GICD + D_TYPER);
	CHECK_EQ(typer & 0x1f, 8);	   /* ITLinesNumber: 288 INTIDs */
	CHECK_EQ((typer >> 5) & 7, 0);	   /* CPUNumber */
	CHECK_EQ((typer >> 10) & 1, 0);	   /* SecurityExtn */
	CHECK_EQ((typer >> 16) & 3, 0);	   /* MBIS, LPIS */
	CHECK_EQ((typer >> 19) & 0x1f, 9); /* IDbits: 10 bits */
	CHECK_EQ(typer, 0x01480008);	   /* + A3V [24] */
	CHECK_EQ(rd32(GICD + D_TYPER2), 0);
	CHECK_EQ(rd32(GICD + D_IIDR), 0x6800043b);
	/* ARE [4] and DS [6] read as one, RWP [31] as zero */
	CHECK_EQ(rd32(GICD + D_CTLR), 0x50);
	wr32(GICD + D_CTLR, 0);
	CHECK_EQ(rd32(GICD + D_CTLR), 0x50);
	wr32(GICD + D_CTLR, 0xffffffff);
	CHECK_EQ(rd32(GICD + D_CTLR), 0x53);
	wr32(GICD + D_CTLR, 0x1);
	CHECK_EQ(rd32(GICD + D_CTLR), 0x51);
	/* GICD_TYPER and IIDR are read-only */
	wr32(GICD + D_TYPER, 0);
	CHECK_EQ(rd32(GICD + D_TYPER), 0x01480008);
	/* the whole ID block: PIDR4..7, PIDR0..3, CIDR0..3 */
	static const uint32_t ids[12] = { 0x44, 0, 0,	 0,    0x68, 0xb0,
					  0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
	for (unsigned i = 0; i < 12; i++) {
		CHECKF(rd32(GICD + 0xffd0 + 4 * i) == ids[i], "GICD id %u", i);
		CHECKF(rd32(RD(2) + 0xffd0 + 4 * i) == ids[i], "GICR id %u", i);
	}
}

/* the redistributor walk of Linux's gic_iterate_rdists: PIDR2, then
 * GICR_TYPER (64-bit) until Last, matching Affinity_Value */
TEST(probe_redistributors)
{
	static const uint64_t typer[4] = {
		0x0000000000000000UL, /* aff 0.0.0.0, Processor_Number 0 */
		0x0000000100000100UL, /* aff 0.0.0.1, 1 */
		0x0000010000000200UL, /* aff 0.0.1.0, 2 */
		0x0100000200000310UL, /* aff 1.0.0.2, 3, Last */
	};
	/* Affinity_Value as Linux builds it: Aff3.Aff2.Aff1.Aff0 */
	static const uint32_t want[4] = { 0x0, 0x1, 0x100, 0x01000002 };
	unsigned found[4] = { 99, 99, 99, 99 }, frames = 0;

	setup();
	for (unsigned i = 0; i < 8; i++) {
		uint64_t t;

		CHECK_EQ((rd32(RD(i) + PIDR2) >> 4) & 0xf, 3);
		t = rd(RD(i) + R_TYPER, 8);
		CHECKF(t == typer[i], "GICR_TYPER %u: 0x%llx", i,
		       (unsigned long long)t);
		/* the same through two 32-bit halves */
		CHECK_EQ(rd32(RD(i) + R_TYPER), (uint32_t)typer[i]);
		CHECK_EQ(rd32(RD(i) + R_TYPER + 4), typer[i] >> 32);
		CHECK_EQ(t & 1, 0);	   /* PLPIS */
		CHECK_EQ((t >> 1) & 1, 0); /* VLPIS: 2 frames a PE */
		for (unsigned c = 0; c < 4; c++)
			if ((t >> 32) == want[c])
				found[c] = i;
		frames++;
		if (t & 0x10)
			break;
	}
	CHECK_EQ(frames, 4);
	for (unsigned c = 0; c < 4; c++)
		CHECK_EQ(found[c], c);
	CHECK_EQ(rd32(RD(0) + R_IIDR), 0x6800043b);
	/* GICR_TYPER is read-only */
	wr(RD(1) + R_TYPER, 8, 0);
	CHECK_EQ(rd(RD(1) + R_TYPER, 8), typer[1]);
	/* GICR_CTLR: no LPIs, RAZ/WI, RWP = 0 */
	wr32(RD(0) + R_CTLR, 0xffffffff);
	CHECK_EQ(rd32(RD(0) + R_CTLR), 0);
}

TEST(one_vcpu_is_last)
{
	vgic_init(&g, 1, mpidr, GICD, GICR);
	CHECK_EQ(rd(RD(0) + R_TYPER, 8), 0x10);
	CHECK_EQ(access(RD(1), false, 4), VGIC_MMIO_NOT_MINE);
}

TEST(waker)
{
	setup();
	for (unsigned c = 0; c < 4; c++) {
		/* reset: ProcessorSleep [1] and ChildrenAsleep [2] set */
		CHECK_EQ(rd32(RD(c) + R_WAKER), 0x6);
	}
	/* Linux: clear ProcessorSleep, poll ChildrenAsleep until clear */
	wr32(RD(1) + R_WAKER, rd32(RD(1) + R_WAKER) & ~2U);
	CHECK_EQ(rd32(RD(1) + R_WAKER) & 4, 0);
	CHECK_EQ(rd32(RD(1) + R_WAKER), 0);
	CHECK_EQ(rd32(RD(0) + R_WAKER), 0x6); /* the others untouched */
	/* ChildrenAsleep is read-only, it mirrors ProcessorSleep */
	wr32(RD(1) + R_WAKER, 0x4);
	CHECK_EQ(rd32(RD(1) + R_WAKER), 0);
	wr32(RD(1) + R_WAKER, 0x2);
	CHECK_EQ(rd32(RD(1) + R_WAKER), 0x6);
}

/* Linux's gic_dist_init and gic_cpu_init, then a timer PPI gets through */
TEST(linux_style_init)
{
	uint64_t lr[4];

	setup();
	wr32(GICD + D_CTLR, 0);
	CHECK_EQ(rd32(GICD + D_CTLR) >> 31, 0); /* RWP */
	for (unsigned i = 32; i < 288; i += 32)
		wr32(GICD + D_IGROUPR(i / 32), 0xffffffff);
	for (unsigned i = 32; i < 288; i += 16)
		wr32(GICD + D_ICFGR(i / 16), 0);
	for (unsigned i = 32; i < 288; i += 4)
		wr32(GICD + D_IPRIORITYR + i, 0xa0a0a0a0);
	for (unsigned i = 32; i < 288; i += 32) {
		wr32(GICD + D_ICACTIVER(i / 32), 0xffffffff);
		wr32(GICD + D_ICENABLER(i / 32), 0xffffffff);
	}
	wr32(GICD + D_CTLR, 0x13);
	for (unsigned i = 32; i < 288; i++)
		wr(GICD + D_IROUTER(i), 8, 0);
	CHECK_EQ(rd32(GICD + D_CTLR), 0x53);
	CHECK_EQ(rd32(GICD + D_IGROUPR(8)), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_IGROUPR(9)), 0); /* no INTIDs 288.. */
	CHECK_EQ(rd32(GICD + D_IPRIORITYR + 284), 0xa0a0a0a0);
	CHECK_EQ(rd32(GICD + D_IPRIORITYR + 288), 0);

	/* gic_cpu_init on vCPU 2 */
	wr32(RD(2) + R_WAKER, 0);
	wr32(SGI(2) + S_IGROUPR0, 0xffffffff);
	wr32(SGI(2) + S_ICACTIVER0, 0xffffffff);
	wr32(SGI(2) + S_ICENABLER0, 0xffffffff);
	for (unsigned i = 0; i < 32; i += 4)
		wr32(SGI(2) + S_IPRIORITYR + i, 0xa0a0a0a0);
	CHECK_EQ(rd32(SGI(2) + S_IGROUPR0), 0xffffffff);
	CHECK_EQ(rd32(SGI(2) + S_IPRIORITYR + 28), 0xa0a0a0a0);
	/* the virtual timer, PPI 27, level */
	wr32(SGI(2) + S_ISENABLER0, 1U << 27);
	CHECK_EQ(rd32(SGI(2) + S_ISENABLER0), 1U << 27);
	CHECK(!vgic_has_pending(&g, 2));
	vgic_set_line(&g, 2, 27, true);
	CHECK(vgic_has_pending(&g, 2));
	CHECK(!vgic_has_pending(&g, 0));
	CHECK_EQ(rd32(SGI(2) + S_ISPENDR0), 1U << 27);
	CHECK_EQ(vgic_lr_fill(&g, 2, lr, 4), 1);
	/* pending, Group 1, priority 0xa0, EOI (level), vINTID 27 */
	CHECK_EQ(lr[0], 0x50a002000000001bUL);
}

TEST(enable_disable)
{
	setup();
	/* SPI 40: GICD_ISENABLER1 bit 8 */
	wr32(GICD + D_ISENABLER(1), 1U << 8);
	CHECK_EQ(rd32(GICD + D_ISENABLER(1)), 1U << 8);
	CHECK_EQ(rd32(GICD + D_ICENABLER(1)), 1U << 8);
	/* zeros change nothing */
	wr32(GICD + D_ISENABLER(1), 0);
	wr32(GICD + D_ICENABLER(1), 0);
	CHECK_EQ(rd32(GICD + D_ISENABLER(1)), 1U << 8);
	wr32(GICD + D_ISENABLER(2), 0x80000001); /* SPIs 64 and 95 */
	CHECK_EQ(rd32(GICD + D_ISENABLER(2)), 0x80000001);
	wr32(GICD + D_ICENABLER(1), 1U << 8);
	CHECK_EQ(rd32(GICD + D_ISENABLER(1)), 0);
	CHECK_EQ(rd32(GICD + D_ISENABLER(2)), 0x80000001);
	wr32(GICD + D_ICENABLER(2), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_ISENABLER(2)), 0);
	/* the last SPI, 287: register 8 bit 31; 288.. do not exist */
	wr32(GICD + D_ISENABLER(8), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_ISENABLER(8)), 0xffffffff);
	wr32(GICD + D_ISENABLER(9), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_ISENABLER(9)), 0);
	/* SGIs/PPIs: in the redistributor; GICD's register 0 is RAZ/WI */
	wr32(GICD + D_ISENABLER(0), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_ISENABLER(0)), 0);
	CHECK_EQ(rd32(SGI(0) + S_ISENABLER0), 0);
	wr32(SGI(1) + S_ISENABLER0, 0x08000002);
	CHECK_EQ(rd32(SGI(1) + S_ISENABLER0), 0x08000002);
	CHECK_EQ(rd32(SGI(1) + S_ICENABLER0), 0x08000002);
	CHECK_EQ(rd32(SGI(0) + S_ISENABLER0), 0); /* banked per vCPU */
	wr32(SGI(1) + S_ICENABLER0, 0x2);
	CHECK_EQ(rd32(SGI(1) + S_ISENABLER0), 0x08000000);
}

TEST(groups)
{
	setup();
	/* reset: everything Group 1 */
	CHECK_EQ(rd32(GICD + D_IGROUPR(1)), 0xffffffff);
	CHECK_EQ(rd32(SGI(3) + S_IGROUPR0), 0xffffffff);
	wr32(GICD + D_IGROUPR(1), 0x0000ffff);
	CHECK_EQ(rd32(GICD + D_IGROUPR(1)), 0x0000ffff);
	wr32(SGI(3) + S_IGROUPR0, 0x1);
	CHECK_EQ(rd32(SGI(3) + S_IGROUPR0), 0x1);
	/* GICD IGROUPR0 and the modifier registers: RAZ/WI */
	wr32(GICD + D_IGROUPR(0), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_IGROUPR(0)), 0);
	wr32(GICD + D_IGRPMODR(1), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_IGRPMODR(1)), 0);
	wr32(SGI(0) + S_IGRPMODR0, 0xffffffff);
	CHECK_EQ(rd32(SGI(0) + S_IGRPMODR0), 0);
}

TEST(pending_set_clear)
{
	setup();
	/* SPI 33: register 1 bit 1 */
	wr32(GICD + D_ISPENDR(1), 1U << 1);
	CHECK_EQ(rd32(GICD + D_ISPENDR(1)), 1U << 1);
	CHECK_EQ(rd32(GICD + D_ICPENDR(1)), 1U << 1);
	wr32(GICD + D_ICPENDR(1), 1U << 1);
	CHECK_EQ(rd32(GICD + D_ISPENDR(1)), 0);
	/* a level interrupt is pending while its line is high: ICPENDR
	 * does not change that */
	vgic_set_line(&g, 0, 34, true);
	CHECK(spi_pending(34));
	wr32(GICD + D_ICPENDR(1), 1U << 2);
	CHECK(spi_pending(34));
	vgic_set_line(&g, 0, 34, false);
	CHECK(!spi_pending(34));
	/* ISPENDR on a level interrupt latches it whatever the line */
	wr32(GICD + D_ISPENDR(1), 1U << 2);
	vgic_set_line(&g, 0, 34, true);
	vgic_set_line(&g, 0, 34, false);
	CHECK(spi_pending(34));
	wr32(GICD + D_ICPENDR(1), 1U << 2);
	CHECK(!spi_pending(34));
	/* SGI pending via GICR_ISPENDR0 */
	wr32(SGI(2) + S_ISPENDR0, 1U << 7);
	CHECK_EQ(rd32(SGI(2) + S_ISPENDR0), 1U << 7);
	CHECK_EQ(rd32(SGI(1) + S_ISPENDR0), 0);
	wr32(SGI(2) + S_ICPENDR0, 1U << 7);
	CHECK_EQ(rd32(SGI(2) + S_ISPENDR0), 0);
}

TEST(active_set_clear)
{
	setup();
	wr32(GICD + D_ISACTIVER(3), 1U << 4); /* SPI 100 */
	CHECK(spi_active(100));
	CHECK_EQ(rd32(GICD + D_ICACTIVER(3)), 1U << 4);
	wr32(GICD + D_ICACTIVER(3), 1U << 4);
	CHECK(!spi_active(100));
	wr32(SGI(0) + S_ISACTIVER0, 1U << 16);
	CHECK_EQ(rd32(SGI(0) + S_ISACTIVER0), 1U << 16);
	CHECK_EQ(rd32(SGI(0) + S_ICACTIVER0), 1U << 16);
	wr32(SGI(0) + S_ICACTIVER0, 0xffffffff);
	CHECK_EQ(rd32(SGI(0) + S_ISACTIVER0), 0);
}

TEST(priority_bytes)
{
	setup();
	/* 5 priority bits: the low 3 read as zero */
	wr(GICD + D_IPRIORITYR + 40, 1, 0xff);
	CHECK_EQ(rd(GICD + D_IPRIORITYR + 40, 1), 0xf8);
	CHECK_EQ(rd32(GICD + D_IPRIORITYR + 40), 0xf8);
	wr(GICD + D_IPRIORITYR + 43, 1, 0x47);
	CHECK_EQ(rd32(GICD + D_IPRIORITYR + 40), 0x400000f8);
	CHECK_EQ(rd(GICD + D_IPRIORITYR + 41, 1), 0);
	wr32(GICD + D_IPRIORITYR + 44, 0x12345678);
	CHECK_EQ(rd32(GICD + D_IPRIORITYR + 44), 0x10305078);
	CHECK_EQ(rd(GICD + D_IPRIORITYR + 45, 1), 0x50);
	/* SGIs/PPIs: only in the redistributor */
	wr32(GICD + D_IPRIORITYR + 0, 0xffffffff);
	CHECK_EQ(rd32(GICD + D_IPRIORITYR + 0), 0);
	wr(SGI(1) + S_IPRIORITYR + 3, 1, 0x88);
	CHECK_EQ(rd32(SGI(1) + S_IPRIORITYR + 0), 0x88000000);
	CHECK_EQ(rd32(SGI(0) + S_IPRIORITYR + 0), 0);
	wr32(SGI(1) + S_IPRIORITYR + 28, 0xa0b0c0d0); /* PPIs 28..31 */
	CHECK_EQ(rd(SGI(1) + S_IPRIORITYR + 31, 1), 0xa0);
	CHECK_EQ(rd(SGI(1) + S_IPRIORITYR + 28, 1), 0xd0);
	/* halfword: not supported */
	CHECK_EQ(access(GICD + D_IPRIORITYR + 40, false, 2), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_IPRIORITYR + 40, true, 2), VGIC_MMIO_BAD);
}

TEST(icfgr)
{
	setup();
	/* ICFGR2: INTIDs 32..47; bit 2n+1 = edge, bit 2n RES0 */
	CHECK_EQ(rd32(GICD + D_ICFGR(2)), 0);
	wr32(GICD + D_ICFGR(2), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_ICFGR(2)), 0xaaaaaaaa);
	wr32(GICD + D_ICFGR(2), 0x00000008); /* INTID 33 edge */
	CHECK_EQ(rd32(GICD + D_ICFGR(2)), 0x8);
	/* SGIs: RO edge; PPIs configurable; GICD's ICFGR0/1 RAZ/WI */
	CHECK_EQ(rd32(SGI(0) + S_ICFGR0), 0xaaaaaaaa);
	wr32(SGI(0) + S_ICFGR0, 0);
	CHECK_EQ(rd32(SGI(0) + S_ICFGR0), 0xaaaaaaaa);
	CHECK_EQ(rd32(SGI(0) + S_ICFGR1), 0);
	wr32(SGI(0) + S_ICFGR1, 0x80000000); /* PPI 31 edge */
	CHECK_EQ(rd32(SGI(0) + S_ICFGR1), 0x80000000);
	CHECK_EQ(rd32(SGI(1) + S_ICFGR1), 0);
	wr32(GICD + D_ICFGR(0), 0xffffffff);
	CHECK_EQ(rd32(GICD + D_ICFGR(0)), 0);
	CHECK_EQ(rd32(GICD + D_ICFGR(1)), 0);
	CHECK_EQ(rd32(GICD + D_ICFGR(18)), 0); /* INTIDs 288.. */

	/* edge SPI 33 latches on a rising edge only */
	vgic_set_line(&g, 0, 33, true);
	CHECK(spi_pending(33));
	wr32(GICD + D_ICPENDR(1), 1U << 1);
	CHECK(!spi_pending(33));
	vgic_set_line(&g, 0, 33, true); /* still high: no edge */
	CHECK(!spi_pending(33));
	vgic_set_line(&g, 0, 33, false);
	CHECK(!spi_pending(33));
	vgic_set_line(&g, 0, 33, true);
	CHECK(spi_pending(33));
}

TEST(irouter)
{
	setup();
	enable_groups();
	enable(0, 50, 0x80);
	vgic_set_line(&g, 0, 50, true);
	/* reset IROUTER 0: Aff 0.0.0.0, vCPU 0 */
	CHECK_EQ(rd(GICD + D_IROUTER(50), 8), 0);
	CHECK_EQ(first_pending(0), 50);
	CHECK_EQ(vgic_target(&g, 0, 50), 0);
	/* to Aff0 = 1: vCPU 1 */
	wr(GICD + D_IROUTER(50), 8, 0x1);
	CHECK_EQ(rd(GICD + D_IROUTER(50), 8), 0x1);
	CHECK_EQ(first_pending(0), 1023);
	CHECK_EQ(first_pending(1), 50);
	CHECK_EQ(vgic_target(&g, 3, 50), 1);
	CHECK(vgic_has_pending(&g, 1));
	CHECK(!vgic_has_pending(&g, 0));
	/* 32-bit halves: Aff1 = 1 -> vCPU 2 */
	wr32(GICD + D_IROUTER(50), 0x100);
	CHECK_EQ(first_pending(2), 50);
	/* Aff3 = 1 (high half), Aff0 = 2 -> vCPU 3 */
	wr32(GICD + D_IROUTER(50) + 4, 0x1);
	wr32(GICD + D_IROUTER(50), 0x2);
	CHECK_EQ(rd(GICD + D_IROUTER(50), 8), 0x100000002UL);
	CHECK_EQ(rd32(GICD + D_IROUTER(50) + 4), 0x1);
	CHECK_EQ(first_pending(3), 50);
	CHECK_EQ(first_pending(2), 1023);
	/* no such PE: nobody */
	wr(GICD + D_IROUTER(50), 8, 0x5);
	for (unsigned c = 0; c < 4; c++)
		CHECK_EQ(first_pending(c), 1023);
	CHECK_EQ(vgic_target(&g, 0, 50), VGIC_NO_VCPU);
	/* IRM [31] = 1: any PE, here vCPU 0 */
	wr(GICD + D_IROUTER(50), 8, 0x80000000);
	CHECK_EQ(first_pending(0), 50);
	/* RES0 bits: only Aff3 [39:32], IRM, Aff2..Aff0 stick */
	wr(GICD + D_IROUTER(51), 8, ~0UL);
	CHECK_EQ(rd(GICD + D_IROUTER(51), 8), 0xff80ffffffUL);
	/* IROUTER<n> for n < 32 and n > 287: RAZ/WI */
	wr(GICD + D_IROUTER(31), 8, 0x1);
	CHECK_EQ(rd(GICD + D_IROUTER(31), 8), 0);
	wr(GICD + D_IROUTER(288), 8, 0x1);
	CHECK_EQ(rd(GICD + D_IROUTER(288), 8), 0);
}

TEST(pending_order)
{
	unsigned out[8];

	setup();
	enable_groups();
	enable(0, 40, 0x80);
	enable(0, 41, 0x40);
	enable(0, 42, 0x80);
	enable(0, 20, 0xa0); /* PPI */
	enable(0, 1, 0x40);  /* SGI */
	for (unsigned id = 40; id <= 43; id++)
		wr32(GICD + D_ISPENDR(1), 1U << (id - 32));
	wr32(SGI(0) + S_ISPENDR0, (1U << 1) | (1U << 20));
	/* 43 is pending but disabled */
	CHECK_EQ(pend(0, out, 8), 5);
	CHECK_EQ(out[0], 1); /* 0x40, lower INTID first */
	CHECK_EQ(out[1], 41);
	CHECK_EQ(out[2], 40); /* 0x80 */
	CHECK_EQ(out[3], 42);
	CHECK_EQ(out[4], 20); /* 0xa0 */
	/* max cuts the tail */
	CHECK_EQ(pend(0, out, 2), 2);
	CHECK_EQ(out[0], 1);
	CHECK_EQ(out[1], 41);
	CHECK_EQ(pend(0, out, 0), 0);
	/* other vCPUs: not their SGIs/PPIs */
	CHECK_EQ(pend(1, out, 8), 0);
	/* active: not offered */
	wr32(GICD + D_ISACTIVER(1), 1U << 9);
	CHECK_EQ(pend(0, out, 8), 4);
	CHECK_EQ(out[1], 40);
	wr32(GICD + D_ICACTIVER(1), 1U << 9);
	/* Group 0 with EnableGrp0 clear: not offered */
	wr32(GICD + D_IGROUPR(1), ~(1U << 8)); /* SPI 40 Group 0 */
	wr32(GICD + D_CTLR, 0x2);	       /* EnableGrp1 only */
	CHECK_EQ(pend(0, out, 8), 4);
	CHECK_EQ(out[2], 42);
	wr32(GICD + D_CTLR, 0x1); /* EnableGrp0 only */
	CHECK_EQ(pend(0, out, 8), 1);
	CHECK_EQ(out[0], 40);
	wr32(GICD + D_CTLR, 0x0);
	CHECK_EQ(pend(0, out, 8), 0);
	CHECK(!vgic_has_pending(&g, 0));
	enable_groups();
	/* a higher priority interrupt later in INTID order goes first */
	enable(0, 287, 0x00);
	wr32(GICD + D_ISPENDR(8), 1U << 31);
	CHECK_EQ(pend(0, out, 3), 3);
	CHECK_EQ(out[0], 287);
	CHECK_EQ(out[1], 1);
	CHECK_EQ(out[2], 41);
}

TEST(level_stays_pending_after_sync)
{
	setup();
	enable_groups();
	enable(0, 60, 0x80); /* level */
	vgic_set_line(&g, 0, 60, true);
	CHECK_EQ(first_pending(0), 60);
	vgic_lr_loaded(&g, 0, 60);
	/* in an LR: not offered twice, still pending to the guest */
	CHECK_EQ(first_pending(0), 1023);
	CHECK(spi_pending(60));
	CHECK(vgic_has_pending(&g, 0));
	/* the guest took it and deactivated it; the line is still high */
	vgic_lr_synced(&g, 0, 60, 0);
	CHECK(!spi_active(60));
	CHECK(spi_pending(60));
	CHECK_EQ(first_pending(0), 60);
	/* the guest took it and holds it active */
	vgic_lr_loaded(&g, 0, 60);
	vgic_lr_synced(&g, 0, 60, ST_A);
	CHECK(spi_active(60));
	CHECK_EQ(first_pending(0), 1023);
	vgic_set_line(&g, 0, 60, false);
	CHECK(!spi_pending(60));
	/* the device lowered it before the guest saw it */
	wr32(GICD + D_ICACTIVER(1), 1U << 28);
	vgic_set_line(&g, 0, 60, true);
	vgic_lr_loaded(&g, 0, 60);
	vgic_set_line(&g, 0, 60, false);
	vgic_lr_synced(&g, 0, 60, ST_P);
	CHECK(!spi_pending(60));
	CHECK_EQ(first_pending(0), 1023);
}

TEST(edge_consumed_by_sync)
{
	setup();
	enable_groups();
	wr32(GICD + D_ICFGR(3), 2U << 26); /* SPI 61 (field 13) edge */
	enable(0, 61, 0x80);
	vgic_set_line(&g, 0, 61, true);
	CHECK_EQ(first_pending(0), 61);
	vgic_lr_loaded(&g, 0, 61);
	CHECK(spi_pending(61)); /* the pending state is in the LR */
	/* not taken yet: still pending */
	vgic_lr_synced(&g, 0, 61, ST_P);
	CHECK(spi_pending(61));
	CHECK_EQ(first_pending(0), 61);
	vgic_lr_loaded(&g, 0, 61);
	/* taken and deactivated: gone, though the line is still high */
	vgic_lr_synced(&g, 0, 61, 0);
	CHECK(!spi_pending(61));
	CHECK_EQ(first_pending(0), 1023);
	/* a new edge */
	vgic_set_line(&g, 0, 61, false);
	vgic_set_line(&g, 0, 61, true);
	CHECK_EQ(first_pending(0), 61);
	/* an edge while it sits in an LR is not lost */
	vgic_lr_loaded(&g, 0, 61);
	vgic_set_line(&g, 0, 61, false);
	vgic_set_line(&g, 0, 61, true);
	vgic_lr_synced(&g, 0, 61, ST_A);
	CHECK(spi_active(61));
	CHECK(spi_pending(61));
	CHECK_EQ(first_pending(0), 1023); /* active: not offered */
}

TEST(lr_fill)
{
	uint64_t lr[16];

	setup();
	enable_groups();
	enable(0, 40, 0x80);		       /* level */
	enable(0, 1, 0x40);		       /* SGI: edge */
	enable(0, 27, 0xa0);		       /* PPI: level, HW */
	wr32(GICD + D_IGROUPR(1), ~(1U << 9)); /* SPI 41 Group 0 */
	enable(0, 41, 0x10);
	vgic_set_hw(&g, 0, 27, true, 27);
	vgic_set_line(&g, 0, 40, true);
	vgic_set_line(&g, 0, 27, true);
	wr32(SGI(0) + S_ISPENDR0, 1U << 1);
	wr32(GICD + D_ISPENDR(1), 1U << 9);
	CHECK_EQ(vgic_lr_fill(&g, 0, lr, 16), 4);
	/* State [63:62], HW [61], Group [60], Priority [55:48],
	 * pINTID [44:32] or EOI [41], vINTID [31:0] */
	CHECK_EQ(lr[0], 0x4010020000000029UL); /* 41: P, G0, 0x10, EOI */
	CHECK_EQ(lr[1], 0x5040000000000001UL); /* SGI 1: P, G1, 0x40 */
	CHECK_EQ(lr[2], 0x5080020000000028UL); /* 40: P, G1, 0x80, EOI */
	CHECK_EQ(lr[3], 0x70a0001b0000001bUL); /* 27: P, HW, G1, pINTID 27 */
	/* all in LRs: nothing more, nothing twice */
	CHECK_EQ(vgic_lr_fill(&g, 0, lr, 16), 0);
	/* the guest acknowledged SGI 1 and 40, finished 41, left 27 */
	vgic_lr_synced(&g, 0, 41, 0);
	vgic_lr_synced(&g, 0, 1, ST_A);
	vgic_lr_synced(&g, 0, 40, ST_A);
	vgic_lr_synced(&g, 0, 27, ST_P);
	wr32(SGI(0) + S_ISPENDR0, 1U << 1); /* SGI 1 again */
	CHECK_EQ(vgic_lr_fill(&g, 0, lr, 16), 3);
	/* active ones first: SGI 1 pending + active, 40 active */
	CHECK_EQ(lr[0], 0xd040000000000001UL);
	CHECK_EQ(lr[1], 0x9080020000000028UL);
	CHECK_EQ(lr[2], 0x70a0001b0000001bUL);
	vgic_lr_synced(&g, 0, 1, 0);
	vgic_lr_synced(&g, 0, 40, 0);
	vgic_lr_synced(&g, 0, 27, 0);
	/* 40's line still high: again; SGI 1 (pending in the LR, then
	 * deactivated) gone; 27 left to the caller's line */
	CHECK_EQ(vgic_lr_fill(&g, 0, lr, 1), 1);
	CHECK_EQ(lr[0], 0x5080020000000028UL);
	/* a short LR list leaves the rest for later */
	CHECK(vgic_has_pending(&g, 0));
	CHECK_EQ(vgic_lr_fill(&g, 0, lr, 16), 1);
	CHECK_EQ(lr[0], 0x70a0001b0000001bUL);
	CHECK_EQ(vgic_lr_fill(&g, 1, lr, 16), 0);
}

TEST(active_spi_reloads_where_taken)
{
	uint64_t lr[4];

	setup();
	enable_groups();
	enable(0, 70, 0x80);
	wr(GICD + D_IROUTER(70), 8, 0x1); /* vCPU 1 */
	wr32(GICD + D_ISPENDR(2), 1U << 6);
	CHECK_EQ(vgic_lr_fill(&g, 1, lr, 4), 1);
	vgic_lr_synced(&g, 1, 70, ST_A);
	/* rerouted while active: the active state stays with vCPU 1 */
	wr(GICD + D_IROUTER(70), 8, 0x0);
	CHECK_EQ(vgic_lr_fill(&g, 0, lr, 4), 0);
	CHECK_EQ(vgic_lr_fill(&g, 1, lr, 4), 1);
	CHECK_EQ(lr[0], 0x9080020000000046UL);
	/* a sync from the wrong vCPU is ignored */
	vgic_lr_synced(&g, 0, 70, 0);
	CHECK(spi_active(70));
	vgic_lr_synced(&g, 1, 70, 0);
	CHECK(!spi_active(70));
}

/* vCPU 0 changes an interrupt that sits in a running vCPU 1's LR */
TEST(mmio_wins_over_lr)
{
	setup();
	enable_groups();
	wr32(GICD + D_ICFGR(4), 2U << 12); /* SPI 70 (field 6) edge */
	enable(0, 70, 0x80);
	wr(GICD + D_IROUTER(70), 8, 0x1);
	vgic_set_line(&g, 0, 70, true);
	CHECK_EQ(first_pending(1), 70);
	vgic_lr_loaded(&g, 1, 70);
	wr32(GICD + D_ICPENDR(2), 1U << 6);
	CHECK(!spi_pending(70));
	/* the LR still said pending: the clear wins */
	vgic_lr_synced(&g, 1, 70, ST_P);
	CHECK(!spi_pending(70));
	CHECK_EQ(first_pending(1), 1023);
	/* active in the LR, deactivated by a write */
	wr32(GICD + D_ISPENDR(2), 1U << 6);
	vgic_lr_loaded(&g, 1, 70);
	wr32(GICD + D_ICACTIVER(2), 1U << 6);
	vgic_lr_synced(&g, 1, 70, ST_A);
	CHECK(!spi_active(70));
	/* activated by a write while the guest had not taken it */
	wr32(GICD + D_ISPENDR(2), 1U << 6);
	vgic_lr_loaded(&g, 1, 70);
	wr32(GICD + D_ISACTIVER(2), 1U << 6);
	vgic_lr_synced(&g, 1, 70, ST_P);
	CHECK(spi_active(70));
	CHECK(spi_pending(70));
}

/* vgic_deactivate: what a guest hypervisor's HW = 1 list register does to
 * its "physical" interrupt (the nested vGIC): a PPI of that vCPU, an SPI
 * (in a running vCPU's LR: the deactivation wins at its sync), never an
 * SGI; out of range ignored */
TEST(deactivate_for_hw_lr)
{
	setup();
	enable_groups();
	wr32(SGI(0) + S_ISACTIVER0, (1U << 27) | (1U << 3));
	wr32(SGI(1) + S_ISACTIVER0, 1U << 27);
	vgic_deactivate(&g, 0, 27);
	CHECK_EQ(rd32(SGI(0) + S_ISACTIVER0), 1U << 3);
	CHECK_EQ(rd32(SGI(1) + S_ISACTIVER0), 1U << 27);
	vgic_deactivate(&g, 0, 3); /* an SGI */
	CHECK_EQ(rd32(SGI(0) + S_ISACTIVER0), 1U << 3);
	vgic_deactivate(&g, 0, VGIC_NR_IRQS);
	vgic_deactivate(&g, 0, 1023);
	enable(0, 70, 0x80);
	wr(GICD + D_IROUTER(70), 8, 0x1);
	wr32(GICD + D_ISPENDR(2), 1U << 6);
	vgic_lr_loaded(&g, 1, 70);
	vgic_lr_synced(&g, 1, 70, ST_A);
	CHECK(spi_active(70));
	vgic_deactivate(&g, 0, 70);
	CHECK(!spi_active(70));
	/* held in vCPU 1's LR, active there: the deactivation wins */
	wr32(GICD + D_ISPENDR(2), 1U << 6);
	vgic_lr_loaded(&g, 1, 70);
	vgic_deactivate(&g, 0, 70);
	vgic_lr_synced(&g, 1, 70, ST_A);
	CHECK(!spi_active(70));
}

TEST(sgi1r)
{
	setup();
	/* SGI 5 to TargetList bit 1 in cluster 0.0.0: vCPU 1 */
	vgic_sgi1r(&g, 0, (5UL << 24) | 0x2);
	CHECK_EQ(rd32(SGI(1) + S_ISPENDR0), 1U << 5);
	CHECK_EQ(rd32(SGI(0) + S_ISPENDR0), 0);
	CHECK_EQ(rd32(SGI(2) + S_ISPENDR0), 0);
	/* TargetList bits 0 and 1: vCPUs 0 and 1 (self included) */
	vgic_sgi1r(&g, 0, (6UL << 24) | 0x3);
	CHECK_EQ(rd32(SGI(0) + S_ISPENDR0), 1U << 6);
	CHECK_EQ(rd32(SGI(1) + S_ISPENDR0), (1U << 5) | (1U << 6));
	/* Aff1 [23:16] = 1, bit 0: vCPU 2 */
	vgic_sgi1r(&g, 0, (7UL << 24) | (1UL << 16) | 0x1);
	CHECK_EQ(rd32(SGI(2) + S_ISPENDR0), 1U << 7);
	/* Aff3 [55:48] = 1, bit 2: vCPU 3 */
	vgic_sgi1r(&g, 0, (1UL << 48) | (8UL << 24) | 0x4);
	CHECK_EQ(rd32(SGI(3) + S_ISPENDR0), 1U << 8);
	/* Aff2 [39:32] = 1: nobody there */
	vgic_sgi1r(&g, 0, (1UL << 32) | (9UL << 24) | 0xffff);
	for (unsigned c = 0; c < 4; c++)
		CHECK_EQ((rd32(SGI(c) + S_ISPENDR0) >> 9) & 1, 0);
	/* IRM [40]: everybody but the sender, whatever the rest says */
	vgic_sgi1r(&g, 2, (1UL << 40) | (10UL << 24) | 0x1);
	CHECK_EQ((rd32(SGI(0) + S_ISPENDR0) >> 10) & 1, 1);
	CHECK_EQ((rd32(SGI(1) + S_ISPENDR0) >> 10) & 1, 1);
	CHECK_EQ((rd32(SGI(2) + S_ISPENDR0) >> 10) & 1, 0);
	CHECK_EQ((rd32(SGI(3) + S_ISPENDR0) >> 10) & 1, 1);
	/* RS [47:44] != 0 with GICD_TYPER.RSS = 0: ignored */
	vgic_sgi1r(&g, 0, (1UL << 44) | (11UL << 24) | 0x3);
	CHECK_EQ((rd32(SGI(0) + S_ISPENDR0) >> 11) & 1, 0);
	CHECK_EQ((rd32(SGI(1) + S_ISPENDR0) >> 11) & 1, 0);
	/* a Group 0 SGI: not by SGI1R, but by SGI0R */
	wr32(SGI(1) + S_IGROUPR0, ~(1U << 12));
	vgic_sgi1r(&g, 0, (12UL << 24) | 0x2);
	CHECK_EQ((rd32(SGI(1) + S_ISPENDR0) >> 12) & 1, 0);
	vgic_sgi0r(&g, 0, (12UL << 24) | 0x2);
	CHECK_EQ((rd32(SGI(1) + S_ISPENDR0) >> 12) & 1, 1);
	vgic_sgi0r(&g, 0, (13UL << 24) | 0x2); /* SGI 13 is Group 1 */
	CHECK_EQ((rd32(SGI(1) + S_ISPENDR0) >> 13) & 1, 0);
	/* delivered once enabled */
	enable_groups();
	enable(1, 5, 0x20);
	CHECK_EQ(first_pending(1), 5);
}

TEST(not_mine)
{
	setup();
	CHECK_EQ(access(GICD - 4, false, 4), VGIC_MMIO_NOT_MINE);
	CHECK_EQ(access(GICD + 0x10000, false, 4), VGIC_MMIO_NOT_MINE);
	CHECK_EQ(access(GICR - 4, true, 4), VGIC_MMIO_NOT_MINE);
	CHECK_EQ(access(GICR + 4 * 0x20000, false, 4), VGIC_MMIO_NOT_MINE);
	CHECK_EQ(access(0, false, 4), VGIC_MMIO_NOT_MINE);
	CHECK_EQ(access(~0UL - 3, false, 4), VGIC_MMIO_NOT_MINE);
	/* outside wins over a bad size */
	CHECK_EQ(access(GICD + 0x10000, false, 2), VGIC_MMIO_NOT_MINE);
	/* the last word of each range is ours */
	CHECK_EQ(access(GICD + 0xfffc, false, 4), VGIC_MMIO_HANDLED);
	CHECK_EQ(access(GICR + 4 * 0x20000 - 4, false, 4), VGIC_MMIO_HANDLED);
}

TEST(bad_access)
{
	setup();
	CHECK_EQ(access(GICD + D_CTLR, false, 2), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_CTLR, false, 3), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_CTLR, false, 16), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_CTLR, false, 0), VGIC_MMIO_BAD);
	/* byte access to a word register, word access misaligned */
	CHECK_EQ(access(GICD + D_CTLR, true, 1), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_ISENABLER(1) + 1, false, 1), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_TYPER + 2, false, 4), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_IPRIORITYR + 41, false, 4), VGIC_MMIO_BAD);
	/* 64-bit access to a 32-bit register or misaligned */
	CHECK_EQ(access(GICD + D_CTLR, false, 8), VGIC_MMIO_BAD);
	CHECK_EQ(access(GICD + D_IROUTER(40) + 4, false, 8), VGIC_MMIO_BAD);
	CHECK_EQ(access(RD(0) + R_WAKER, false, 8), VGIC_MMIO_BAD);
	CHECK_EQ(access(RD(0) + R_TYPER + 4, false, 8), VGIC_MMIO_BAD);
	CHECK_EQ(access(SGI(0) + S_ISENABLER0, false, 8), VGIC_MMIO_BAD);
	/* byte access in the GICR: only IPRIORITYR */
	CHECK_EQ(access(SGI(0) + S_IPRIORITYR + 31, true, 1),
		 VGIC_MMIO_HANDLED);
	CHECK_EQ(access(SGI(0) + S_ISENABLER0, true, 1), VGIC_MMIO_BAD);
	CHECK_EQ(access(RD(0) + R_WAKER, false, 1), VGIC_MMIO_BAD);
	/* a bad access changes nothing */
	uint64_t v = 0xffffffff;
	CHECK_EQ(vgic_mmio(&g, 0, GICD + D_CTLR, true, 2, &v), VGIC_MMIO_BAD);
	CHECK_EQ(rd32(GICD + D_CTLR), 0x50);
	/* byte access where the spec allows it: ITARGETSR (RAZ/WI) */
	CHECK_EQ(access(GICD + D_ITARGETSR + 33, true, 1), VGIC_MMIO_HANDLED);
}

/* reserved offsets and registers that are RAZ/WI in this model: a write
 * changes no state at all, a read gives 0 */
TEST(raz_wi)
{
	static const paddr_t gicd[] = {
		D_STATUSR,
		0x0014,
		0x0020,
		0x0040, /* SETSPI_NSR */
		D_IGROUPR(0),
		D_ISENABLER(0),
		D_ICENABLER(0),
		D_ISPENDR(0),
		D_ICPENDR(0),
		D_ISACTIVER(0),
		D_ICACTIVER(0),
		D_ISPENDR(31),
		D_ITARGETSR + 32,
		D_ICFGR(0),
		D_ICFGR(1),
		D_IGRPMODR(1),
		0x0e00 /* NSACR */,
		D_SGIR,
		0x0f10 /* CPENDSGIR */,
		0x0f20 /* SPENDSGIR */,
		0x1000,
		0x2000,
		0x5000,
		0x7fe0,
		0x8000,
		0xc000,
		0xffcc,
	};
	static const paddr_t rdb[] = {
		R_CTLR, 0x0010, 0x0018, 0x001c, 0x0020,
		0x0070, 0x00c0, 0x0100, 0x1000, 0xffcc,
	};
	static const paddr_t sgib[] = {
		0x0000, 0x0004, 0x0084,	     0x0104, 0x0204, 0x0420,
		0x0800, 0x0c08, S_IGRPMODR0, 0x0e00, 0xffe8, 0xfffc,
	};
	static struct vgic before;

	setup();
	memcpy(&before, &g, sizeof(g));
	for (unsigned i = 0; i < ARRAY_SIZE(gicd); i++) {
		wr32(GICD + gicd[i], 0xffffffff);
		CHECKF(rd32(GICD + gicd[i]) == 0, "GICD 0x%lx",
		       (unsigned long)gicd[i]);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(rdb); i++) {
		wr32(RD(1) + rdb[i], 0xffffffff);
		CHECKF(rd32(RD(1) + rdb[i]) == 0, "RD 0x%lx",
		       (unsigned long)rdb[i]);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(sgib); i++) {
		wr32(SGI(1) + sgib[i], 0xffffffff);
		CHECKF(rd32(SGI(1) + sgib[i]) == 0, "SGI 0x%lx",
		       (unsigned long)sgib[i]);
	}
	/* the 64-bit LPI registers (PROPBASER, PENDBASER): RAZ/WI too */
	wr(RD(1) + 0x70, 8, ~0UL);
	CHECK_EQ(rd(RD(1) + 0x70, 8), 0);
	wr(RD(1) + 0x78, 8, ~0UL);
	CHECK_EQ(rd(RD(1) + 0x78, 8), 0);
	/* a write may clear a vCPU's quiet cache (none is set here) */
	for (unsigned c = 0; c < MAX_CPUS; c++)
		before.cpu[c].quiet = g.cpu[c].quiet;
	CHECK(!memcmp(&before, &g, sizeof(g)));
}

/* ICH_LR<n>_EL2 values worked out by hand from the field layout */
TEST(lr_codec)
{
	static const struct {
		uint64_t v;
		struct vgic_lr f;
	} t[] = {
		{ 0, { 0, 0, 0, false, false, false, 0 } },
		/* vINTID 27 HW pINTID 27, 0xa0, Group 1, pending */
		{ 0x70a0001b0000001bUL,
		  { 27, 27, 0xa0, true, true, false, 1 } },
		/* vINTID 8192, 0x08, Group 0, EOI, active */
		{ 0x8008020000002000UL,
		  { 8192, 0, 0x08, false, false, true, 2 } },
		/* every field at its maximum, HW */
		{ 0xf0ff1fffffffffffUL,
		  { 0xffffffff, 0x1fff, 0xff, true, true, false, 3 } },
		/* HW = 0 without EOI, pending + active */
		{ 0xd040000000000001UL, { 1, 0, 0x40, true, false, false, 3 } },
		/* HW pINTID 0x200 (bit 41 is then pINTID, not EOI) */
		{ 0x2000020000000020UL,
		  { 32, 0x200, 0, false, true, false, 0 } },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
		struct vgic_lr d;

		CHECKF(vgic_lr_encode(&t[i].f) == t[i].v, "encode %u: 0x%llx",
		       i, (unsigned long long)vgic_lr_encode(&t[i].f));
		memset(&d, 0xa5, sizeof(d));
		vgic_lr_decode(t[i].v, &d);
		CHECKF(d.vintid == t[i].f.vintid, "vintid %u", i);
		CHECKF(d.pintid == t[i].f.pintid, "pintid %u", i);
		CHECKF(d.priority == t[i].f.priority, "priority %u", i);
		CHECKF(d.group1 == t[i].f.group1, "group %u", i);
		CHECKF(d.hw == t[i].f.hw, "hw %u", i);
		CHECKF(d.eoi == t[i].f.eoi, "eoi %u", i);
		CHECKF(d.state == t[i].f.state, "state %u", i);
	}
	/* each field alone lands at its bit position */
	struct vgic_lr f = { 0 };
	f.state = 1;
	CHECK_EQ(vgic_lr_encode(&f), 1UL << 62);
	f.state = 2;
	CHECK_EQ(vgic_lr_encode(&f), 1UL << 63);
	f.state = 0;
	f.group1 = true;
	CHECK_EQ(vgic_lr_encode(&f), 1UL << 60);
	f.group1 = false;
	f.hw = true;
	CHECK_EQ(vgic_lr_encode(&f), 1UL << 61);
	f.pintid = 1;
	CHECK_EQ(vgic_lr_encode(&f), (1UL << 61) | (1UL << 32));
	/* pINTID and EOI are only what HW says they are */
	f.hw = false;
	f.eoi = true;
	CHECK_EQ(vgic_lr_encode(&f), 1UL << 41);
	f.eoi = false;
	f.priority = 0x01;
	CHECK_EQ(vgic_lr_encode(&f), 1UL << 48);
	/* RES0 and NMI bits on decode are ignored */
	struct vgic_lr d;
	vgic_lr_decode(0x0f00e1ff00000000UL | (1UL << 59), &d);
	CHECK_EQ(d.vintid, 0);
	CHECK_EQ(d.hw, 0);
	CHECK_EQ(d.eoi, 0);
	CHECK_EQ(d.pintid, 0);
	CHECK_EQ(d.priority, 0);
	CHECK_EQ(d.state, 0);
	CHECK_EQ(d.group1, 0);
}

/* vcpu/vgic.c caches "nothing for this vCPU" until the model changes: each
 * way an interrupt can become deliverable (or active, to be reloaded) is
 * seen by the next query after a query that found nothing */
TEST(quiet_cache_sees_every_change)
{
	uint64_t lrs[4];
	unsigned id;

	setup();
	enable(0, 27, 0x80);
	enable(0, 40, 0x80);
	enable(0, 5, 0x80);
	CHECK_EQ(pend(0, &id, 1), 0);
	enable_groups(); /* nothing pending yet */
	CHECK_EQ(pend(0, &id, 1), 0);
	CHECK(!vgic_has_pending(&g, 0));
	/* a level from a device or timer */
	vgic_set_line(&g, 0, 27, true);
	CHECK_EQ(first_pending(0), 27);
	vgic_set_line(&g, 0, 27, false);
	CHECK_EQ(pend(0, &id, 1), 0);
	/* the same level again, sampled before every entry: no change, and
	 * still nothing */
	vgic_set_line(&g, 0, 27, false);
	CHECK_EQ(pend(0, &id, 1), 0);
	/* a pending bit written by the guest */
	wr32(GICD + D_ISPENDR(1), 1U << 8);
	CHECK(vgic_signalled(&g, 0, 0xff, true, true));
	CHECK_EQ(first_pending(0), 40);
	wr32(GICD + D_ICPENDR(1), 1U << 8);
	CHECK(!vgic_signalled(&g, 0, 0xff, true, true));
	/* an SGI from another vCPU (target list: vCPU 0) */
	vgic_sgi1r(&g, 1, (5UL << 24) | 1);
	CHECK(vgic_has_pending(&g, 0));
	CHECK_EQ(vgic_lr_fill(&g, 0, lrs, 4), 1);
	/* taken by the guest, active in its LR; then active in the model,
	 * to be reloaded at the next entry */
	vgic_lr_synced(&g, 0, 5, ST_A);
	CHECK_EQ(vgic_lr_fill(&g, 0, lrs, 4), 1);
	vgic_lr_synced(&g, 0, 5, 0);
	CHECK_EQ(vgic_lr_fill(&g, 0, lrs, 4), 0);
	/* active written by the guest */
	wr32(SGI(0) + S_ISACTIVER0, 1U << 27);
	CHECK_EQ(vgic_lr_fill(&g, 0, lrs, 4), 1);
	vgic_lr_synced(&g, 0, 27, 0);
	CHECK_EQ(vgic_lr_fill(&g, 0, lrs, 4), 0);
	/* a disabled pending one, then enabled */
	wr32(SGI(0) + S_ICENABLER0, 1U << 5);
	vgic_sgi1r(&g, 1, (5UL << 24) | 1);
	CHECK_EQ(pend(0, &id, 1), 0);
	wr32(SGI(0) + S_ISENABLER0, 1U << 5);
	CHECK_EQ(first_pending(0), 5);
}

/*
 * Whom each kind of change concerns (vcpu/vgic.c, "The quiet cache"). Each
 * row starts from the base below, runs its prep, lets every vCPU cache
 * "quiet" where it truly is, makes its change, then checks that
 *   - exactly the vCPUs in `clears` lost their cache: the others kept it
 *     (a change private to one vCPU costs the others no rescan);
 *   - no vCPU is left cached quiet with something to deliver, reload or
 *     sync (checked against a copy of the model with every cache dropped);
 *   - each vCPU in `wakes` now has something, and the queries say so.
 * Base: both groups on; PPI 27 enabled on every vCPU; SGI 5 enabled on
 * every vCPU; SPI 40 enabled, edge-triggered, routed to no PE (IROUTER
 * Aff0 = 5), so nobody has anything.
 */
#define V(n) (1U << (n))
#define ALL 0xfU

static void base(void)
{
	setup();
	enable_groups();
	for (unsigned c = 0; c < 4; c++) {
		enable(c, 27, 0x80);
		enable(c, 5, 0x80);
	}
	wr32(GICD + D_ICFGR(2), 2U << 16); /* SPI 40 (field 8) edge */
	enable(0, 40, 0x80);
	wr(GICD + D_IROUTER(40), 8, 0x5);
}

static void nothing(void)
{
}

/* vCPU c with PPI 27 in one of its LRs, pending */
static void ppi27_in_lr(unsigned c)
{
	uint64_t lr[4];

	vgic_set_line(&g, c, 27, true);
	CHECK_EQ(vgic_lr_fill(&g, c, lr, 4), 1);
}

static void spi40_to(uint64_t irouter)
{
	wr(GICD + D_IROUTER(40), 8, irouter);
}

static void ppi27_line_0(void)
{
	vgic_set_line(&g, 0, 27, true);
}
static void ppi27_line_low_0(void)
{
	vgic_set_line(&g, 0, 27, false); /* already low: no change */
}
static void prep_ppi27_in_lr_0(void)
{
	ppi27_in_lr(0);
}
static void prep_ppi27_in_lr_1(void)
{
	ppi27_in_lr(1);
}
/* written by vCPU 0 (rd/wr are its accesses) into vCPU 1's frame */
static void rdist1_ispendr(void)
{
	wr32(SGI(1) + S_ISPENDR0, 1U << 27);
}
static void prep_ppi20_pending_disabled_2(void)
{
	wr32(SGI(2) + S_ISPENDR0, 1U << 20);
}
static void rdist2_isenabler(void)
{
	wr32(SGI(2) + S_ISENABLER0, 1U << 20);
}
static void rdist0_isactiver(void)
{
	wr32(SGI(0) + S_ISACTIVER0, 1U << 27);
}
static void rdist3_priority(void)
{
	wr(SGI(3) + S_IPRIORITYR + 27, 1, 0x40);
}
static void rdist1_waker(void)
{
	wr32(RD(1) + R_WAKER, 0);
}
static void sgi_from0_to1(void)
{
	vgic_sgi1r(&g, 0, (5UL << 24) | V(1)); /* Aff 0.0.0, TargetList 1 */
}
static void sgi_from0_to0(void)
{
	vgic_sgi1r(&g, 0, (5UL << 24) | V(0));
}
static void sgi_from1_to_others(void)
{
	vgic_sgi1r(&g, 1, (1UL << 40) | (5UL << 24)); /* IRM: all but 1 */
}
static void sgi0_from0_to1(void)
{
	vgic_sgi0r(&g, 0, (5UL << 24) | V(1)); /* SGI 5 is Group 1 there */
}
static void fill_0(void)
{
	uint64_t lr[4];

	CHECK_EQ(vgic_lr_fill(&g, 0, lr, 4), 1);
}
static void ppi27_taken_0(void)
{
	vgic_lr_synced(&g, 0, 27, ST_A);
}
static void ppi27_deactivated_1(void)
{
	vgic_deactivate(&g, 1, 27);
}
static void prep_spi40_pending_for_0(void)
{
	spi40_to(0x0);
	wr32(GICD + D_ISPENDR(1), 1U << 8);
}
/* SPI 40 pending in vCPU 0's LR, then routed to vCPU 1 */
static void prep_spi40_in_lr_0_rerouted(void)
{
	prep_spi40_pending_for_0();
	fill_0();
	spi40_to(0x1);
}
static void spi40_still_pending_synced_0(void)
{
	vgic_lr_synced(&g, 0, 40, ST_P);
}
static void gicd_ispendr_spi40(void)
{
	wr32(GICD + D_ISPENDR(1), 1U << 8);
}
static void prep_spi40_to_1(void)
{
	spi40_to(0x1);
}
static void spi40_line(void)
{
	vgic_set_line(&g, 0, 40, true);
}
static void prep_spi40_pending_nowhere(void)
{
	gicd_ispendr_spi40();
}
static void spi40_routed_to_2(void)
{
	spi40_to(0x100);
}
static void prep_groups_off_ppi27_pending_1(void)
{
	wr32(GICD + D_CTLR, 0);
	wr32(SGI(1) + S_ISPENDR0, 1U << 27);
}
static void groups_on(void)
{
	enable_groups();
}

static const struct quiet_row {
	const char *what;
	void (*prep)(void);
	void (*change)(void);
	unsigned clears, wakes;
} quiet_rows[] = {
	/* private to one vCPU */
	{ "PPI line", nothing, ppi27_line_0, V(0), V(0) },
	{ "PPI line unchanged", nothing, ppi27_line_low_0, 0, 0 },
	{ "ISPENDR0 in vCPU 1's frame", nothing, rdist1_ispendr, V(1), V(1) },
	{ "ISENABLER0 of a pending PPI", prep_ppi20_pending_disabled_2,
	  rdist2_isenabler, V(2), V(2) },
	{ "ISACTIVER0", nothing, rdist0_isactiver, V(0), V(0) },
	{ "IPRIORITYR0", nothing, rdist3_priority, V(3), 0 },
	{ "GICR_WAKER", nothing, rdist1_waker, V(1), 0 },
	{ "SGI to another vCPU", nothing, sgi_from0_to1, V(1), V(1) },
	{ "SGI to itself", nothing, sgi_from0_to0, V(0), V(0) },
	{ "SGI to all others", nothing, sgi_from1_to_others, V(0) | V(2) | V(3),
	  V(0) | V(2) | V(3) },
	{ "SGI in the other group", nothing, sgi0_from0_to1, 0, 0 },
	/* a vCPU's own list registers */
	{ "its PPI into its LRs", ppi27_line_0, fill_0, V(0), V(0) },
	{ "its PPI synced, active", prep_ppi27_in_lr_0, ppi27_taken_0, V(0),
	  V(0) },
	{ "its PPI deactivated (HW LR)", prep_ppi27_in_lr_1,
	  ppi27_deactivated_1, V(1), V(1) },
	{ "an SPI into its LRs", prep_spi40_pending_for_0, fill_0, V(0), V(0) },
	/* shared: the SPIs, their routing, the group enables */
	{ "an SPI out of its LR, re-routed meanwhile",
	  prep_spi40_in_lr_0_rerouted, spi40_still_pending_synced_0, ALL,
	  V(1) },
	{ "GICD_ISPENDR", prep_spi40_to_1, gicd_ispendr_spi40, ALL, V(1) },
	{ "SPI line", prep_spi40_to_1, spi40_line, ALL, V(1) },
	{ "IROUTER", prep_spi40_pending_nowhere, spi40_routed_to_2, ALL, V(2) },
	{ "GICD_CTLR group enables", prep_groups_off_ppi27_pending_1, groups_on,
	  ALL, V(1) },
};

/* the vCPU has nothing to deliver, reload or sync, asked of a copy of
 * the model with every quiet cache dropped */
static bool truly_quiet(unsigned c)
{
	static struct vgic ref;
	uint64_t lr[VGIC_MAX_LRS];

	memcpy(&ref, &g, sizeof(g));
	for (unsigned i = 0; i < MAX_CPUS; i++)
		ref.cpu[i].quiet = false;
	for (unsigned id = 0; id < VGIC_NR_IRQS; id++) {
		const struct vgic_irq *irq =
		    id < VGIC_NR_PRIVATE ? &ref.cpu[c].priv[id]
					 : &ref.spi[id - VGIC_NR_PRIVATE];

		if (irq->in_lr && irq->lr_vcpu == c)
			return false;
	}
	return vgic_lr_fill(&ref, c, lr, VGIC_MAX_LRS) == 0;
}

TEST(quiet_cache_clears_whom_a_change_concerns)
{
	for (unsigned r = 0; r < ARRAY_SIZE(quiet_rows); r++) {
		const struct quiet_row *q = &quiet_rows[r];
		bool was[4];

		base();
		q->prep();
		for (unsigned c = 0; c < 4; c++) {
			bool busy = vgic_has_pending(&g, c) || !truly_quiet(c);

			/* a query caches quiet exactly where it is */
			was[c] = g.cpu[c].quiet;
			CHECKF(was[c] == !busy, "%s: vcpu%u before", q->what,
			       c);
			/* the rows keep those they must leave alone quiet */
			CHECKF(was[c] || (q->clears & V(c)), "%s: vcpu%u busy",
			       q->what, c);
		}
		q->change();
		for (unsigned c = 0; c < 4; c++) {
			bool cached = g.cpu[c].quiet;

			if (q->clears & V(c))
				CHECKF(!cached, "%s: vcpu%u still cached quiet",
				       q->what, c);
			else
				CHECKF(cached == was[c],
				       "%s: vcpu%u lost its cache", q->what, c);
			CHECKF(!cached || truly_quiet(c),
			       "%s: vcpu%u quiet with something to do", q->what,
			       c);
			if (q->wakes & V(c))
				CHECKF(!truly_quiet(c) &&
					   (vgic_has_pending(&g, c) ||
					    !g.cpu[c].quiet),
				       "%s: vcpu%u not woken", q->what, c);
		}
	}
}

TEST(has_pending_for_wfi)
{
	setup();
	CHECK(!vgic_has_pending(&g, 0));
	/* pending but disabled, then enabled but group off */
	wr32(SGI(0) + S_ISPENDR0, 1U << 3);
	CHECK(!vgic_has_pending(&g, 0));
	wr32(SGI(0) + S_ISENABLER0, 1U << 3);
	CHECK(!vgic_has_pending(&g, 0));
	enable_groups();
	CHECK(vgic_has_pending(&g, 0));
	CHECK(!vgic_has_pending(&g, 1));
	CHECK(!vgic_has_pending(&g, 7)); /* no such vCPU */
	/* in an LR, still pending: still wakes */
	vgic_lr_loaded(&g, 0, 3);
	CHECK(vgic_has_pending(&g, 0));
	/* the guest has it active: nothing to wake for */
	vgic_lr_synced(&g, 0, 3, ST_A);
	CHECK(!vgic_has_pending(&g, 0));
}

/* what the CPU interface signals (a guest hypervisor's interrupt routed
 * to its vEL2): above its priority mask, its group enabled there */
TEST(signalled_by_priority_mask_and_group)
{
	setup();
	enable_groups();
	enable(0, 20, 0xa0); /* PPI 20, priority 0xa0, Group 1 (Linux's) */
	wr32(SGI(0) + S_ISPENDR0, 1U << 20);
	CHECK(vgic_signalled(&g, 0, 0xf0, true, true));
	CHECK(vgic_signalled(&g, 0, 0xa8, false, true));
	/* the mask at or above its priority: held back */
	CHECK(!vgic_signalled(&g, 0, 0xa0, true, true));
	CHECK(!vgic_signalled(&g, 0, 0x00, true, true));
	/* its group disabled at the interface */
	CHECK(!vgic_signalled(&g, 0, 0xf0, true, false));
	/* another vCPU has nothing; nor does a vCPU out of range */
	CHECK(!vgic_signalled(&g, 1, 0xf0, true, true));
	CHECK(!vgic_signalled(&g, 9, 0xf0, true, true));
	/* a second one above the mask is enough */
	enable(0, 21, 0x60);
	wr32(SGI(0) + S_ISPENDR0, 1U << 21);
	CHECK(vgic_signalled(&g, 0, 0xa0, true, true));
}

TEST(out_of_range_calls)
{
	unsigned out[2];
	uint64_t lr[2];

	setup();
	enable_groups();
	/* nothing of these may crash or change state */
	vgic_set_line(&g, 0, 288, true);
	vgic_set_line(&g, 9, 20, true);
	vgic_lr_loaded(&g, 0, 1020);
	vgic_lr_synced(&g, 0, 1020, 3);
	vgic_lr_synced(&g, 0, 40, 3); /* not in an LR */
	CHECK(!spi_active(40));
	vgic_sgi1r(&g, 9, (1UL << 40) | (3UL << 24));
	CHECK_EQ(vgic_pending_for(&g, 4, out, 2), 0);
	CHECK_EQ(vgic_lr_fill(&g, 4, lr, 2), 0);
	CHECK_EQ(vgic_target(&g, 9, 3), VGIC_NO_VCPU);
	CHECK_EQ(vgic_target(&g, 0, 300), VGIC_NO_VCPU);
	CHECK_EQ(vgic_target(&g, 2, 16), 2);
}
