/* MMIO to emulated registers: the GICv3 distributor's and redistributors'
 * ID, type, enable and priority registers (byte and word accesses, set /
 * clear semantics, read-only registers ignore writes) and the PL011's ID
 * and a few read/write registers. Checks what the architecture requires,
 * so that bare QEMU passes too; what an implementation may choose (the
 * number of priority bits, the PL011 revision) is printed as a note. */
#include "gic.h"

#define UARTIBRD 0x024
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTPERIPHID0 0xfe0
#define UARTPCELLID0 0xff0
#define UARTFR_TXFF (1U << 5)
#define UARTFR_TXFE (1U << 7)

#define D(off) (GICD_BASE + (off))
#define PRIO_SPI 64 /* SPIs 64..71 for the priority tests */
#define EN_REG 3    /* ISENABLER3: SPIs 96..127 for set / clear */

void gt_secondary(uint64_t context)
{
	(void)context;
}

/* a mask is a contiguous run of upper bits: 0x80, 0xc0 .. 0xff */
static bool upper_bits(uint8_t m)
{
	return (uint8_t)(m | (m - 1)) == 0xff && m;
}

static unsigned popcount8(uint8_t m)
{
	unsigned n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* what a byte write of 0xff to each of the 8 bytes from `base` keeps, if
 * the same for all of them; 0 if not */
static uint8_t prio_mask(uintptr_t base)
{
	uint8_t m = 0;

	for (unsigned i = 0; i < 8; i++) {
		uint8_t b;

		mmio_write8(base + i, 0xff);
		b = mmio_read8(base + i);
		mmio_write8(base + i, 0);
		if (i && b != m)
			return 0;
		m = b;
	}
	return m;
}

static void priority_tests(void)
{
	uintptr_t p = D(GICD_IPRIORITYR + PRIO_SPI);
	uintptr_t rp = GICR_BASE + GICR_SGI + GICR_IPRIORITYR;
	uint32_t w, m4, rb[4];
	uint8_t m, rm;
	unsigned last = gicd_nr_irqs() - 1, past = gicd_nr_irqs();
	bool ok;

	mmio_write32(p, 0);
	mmio_write8(p, 0xff);
	m = mmio_read8(p);
	gt_printf("note: GICD_IPRIORITYR keeps 0x%x (%u bits)\n", m,
		  popcount8(m));
	gt_check(upper_bits(m) && popcount8(m) >= 4,
		 "gicd: IPRIORITYR byte 0xff keeps >= 4 upper bits",
		 "read back 0x%x", m);
	CHECK_EQ(prio_mask(p), m, "gicd: same priority bits in every byte");
	mmio_write8(D(GICD_IPRIORITYR + last), 0xff);
	w = mmio_read8(D(GICD_IPRIORITYR + last));
	mmio_write8(D(GICD_IPRIORITYR + last), 0);
	CHECK_EQ(w, m, "gicd: same priority bits for the last SPI (TYPER)");

	/* a byte write leaves its neighbours alone, for each byte lane */
	ok = true;
	for (unsigned i = 0; i < 4; i++) {
		mmio_write32(p, 0);
		mmio_write8(p + i, 0xff);
		w = mmio_read32(p);
		if (w != (uint32_t)m << (8 * i)) {
			ok = false;
			gt_printf("note: byte %u: word reads 0x%x\n", i, w);
		}
	}
	mmio_write32(p, 0xffffffff);
	mmio_write8(p + 1, 0);
	w = mmio_read32(p);
	gt_check(ok && w == (m * 0x01010001U),
		 "gicd: IPRIORITYR byte write leaves neighbours alone",
		 "0xffffffff then byte 1 = 0: 0x%x", w);

	/* word writes round-trip through the mask, bytes read the same */
	m4 = m * 0x01010101U;
	mmio_write32(p, 0xa0b0c0d8);
	w = mmio_read32(p);
	for (unsigned i = 0; i < 4; i++)
		rb[i] = mmio_read8(p + i);
	CHECK_EQ(w, 0xa0b0c0d8 & m4, "gicd: IPRIORITYR word round-trips");
	gt_check(rb[0] == (w & 0xff) && rb[1] == ((w >> 8) & 0xff) &&
		     rb[2] == ((w >> 16) & 0xff) && rb[3] == w >> 24,
		 "gicd: IPRIORITYR byte reads agree with the word",
		 "word 0x%x, bytes %x %x %x %x", w, rb[0], rb[1], rb[2], rb[3]);
	mmio_write32(p, 0);
	mmio_write32(p + 4, 0x12345678);
	w = mmio_read32(p + 4);
	mmio_write32(p + 4, 0);
	CHECK_EQ(w, 0x12345678 & m4, "gicd: IPRIORITYR next word round-trips");

	/* past GICD_TYPER.ITLinesNumber there is no interrupt */
	w = 0;
	if (past < 1020) {
		mmio_write8(D(GICD_IPRIORITYR + past), 0xff);
		w = mmio_read8(D(GICD_IPRIORITYR + past));
	}
	CHECK_EQ(w, 0, "gicd: no priority past ITLinesNumber (RAZ/WI)");

	/* the redistributor's, for SGIs and PPIs */
	rm = prio_mask(rp);
	CHECK_EQ(rm, m, "gicr: IPRIORITYR keeps the same bits, every byte");
	mmio_write32(rp + 4, 0x5060708f);
	mmio_write8(rp + 5, 0xff);
	w = mmio_read32(rp + 4);
	mmio_write32(rp + 4, GT_PRIO * 0x01010101U);
	CHECK_EQ(w, (0x5060ff8f & m4), "gicr: IPRIORITYR word and byte");
}

static void enable_tests(void)
{
	uintptr_t is = D(GICD_ISENABLER + 4 * EN_REG);
	uintptr_t ic = D(GICD_ICENABLER + 4 * EN_REG);
	uint32_t v1, v2, v3, v4;

	mmio_write32(ic, ~0U);
	gicd_wait_rwp();
	CHECK_EQ(mmio_read32(is), 0, "gicd: ICENABLER ~0 disables all");
	mmio_write32(is, 0x5);
	v1 = mmio_read32(is);
	mmio_write32(is, 0x100);
	v2 = mmio_read32(is);
	CHECK(v1 == 0x5 && v2 == 0x105,
	      "gicd: ISENABLER sets the 1 bits, 0 bits change nothing");
	v3 = mmio_read32(ic);
	CHECK_EQ(v3, 0x105, "gicd: ICENABLER reads the enables too");
	mmio_write32(ic, 0x4);
	gicd_wait_rwp();
	v4 = mmio_read32(is);
	CHECK_EQ(v4, 0x101, "gicd: ICENABLER clears the 1 bits only");
	mmio_write32(ic, ~0U);
	gicd_wait_rwp();
	CHECK_EQ(mmio_read32(is), 0, "gicd: all disabled again");
}

static void id_tests(void)
{
	uint32_t typer = mmio_read32(D(GICD_TYPER)), iidr, pidr2, v;
	unsigned lines = typer & 0x1f, idbits = (typer >> 19) & 0x1f;
	bool lpis = typer & (1U << 17);

	gt_printf("note: GICD_TYPER 0x%x, GICD_IIDR 0x%x\n", typer,
		  mmio_read32(D(GICD_IIDR)));
	gt_check(lines >= 1 && lines <= 30 && idbits >= 9 &&
		     (!lpis || idbits >= 13),
		 "gicd: TYPER: ITLinesNumber and IDbits sensible", "TYPER 0x%x",
		 typer);
	iidr = mmio_read32(D(GICD_IIDR));
	gt_check((iidr & 0xfff) != 0 && !(iidr & 0x80) && iidr != ~0U,
		 "gicd: IIDR names an implementer (JEP106)", "IIDR 0x%x", iidr);
	pidr2 = mmio_read32(D(GICD_PIDR2));
	CHECK_EQ((pidr2 >> 4) & 0xf, 3, "gicd: PIDR2.ArchRev = 3 (GICv3)");

	/* read-only: a write is ignored, no abort */
	gt_expect_exception();
	mmio_write32(D(GICD_TYPER), ~typer);
	gt_exc.armed = false;
	v = mmio_read32(D(GICD_TYPER));
	gt_check(!gt_exc.taken && v == typer,
		 "gicd: write to TYPER ignored, no abort",
		 "taken %d ESR 0x%lx, TYPER 0x%x", gt_exc.taken,
		 (unsigned long)gt_exc.esr, v);
	gt_expect_exception();
	mmio_write32(D(GICD_IIDR), 0);
	mmio_write32(D(GICD_PIDR2), 0);
	gt_exc.armed = false;
	gt_check(!gt_exc.taken && mmio_read32(D(GICD_IIDR)) == iidr &&
		     mmio_read32(D(GICD_PIDR2)) == pidr2,
		 "gicd: writes to IIDR and PIDR2 ignored", "taken %d",
		 gt_exc.taken);
}

/* vCPU i has MPIDR Aff0 = i (QEMU virt, hypnest); PSCI says how many */
static unsigned nr_cpus(void)
{
	unsigned n = 0;

	while (n < GICR_MAX &&
	       gt_hvc(PSCI_AFFINITY_INFO, n, 0, 0) != (uint64_t)-2)
		n++;
	return n;
}

static void redist_tests(void)
{
	unsigned n = nr_cpus(), frames = 0;
	bool aff_ok = true, pidr_ok = true, halves_ok = true, last_ok = true;
	bool distinct = true;
	uint32_t procnum[GICR_MAX];

	gt_printf("note: %u vCPUs\n", n);
	for (unsigned i = 0; i < GICR_MAX; i++) {
		uintptr_t rd = GICR_BASE + i * GICR_STRIDE;
		uint64_t typer = mmio_read64(rd + GICR_TYPER);
		uint32_t lo = mmio_read32(rd + GICR_TYPER);
		uint32_t hi = mmio_read32(rd + GICR_TYPER + 4);
		bool last = typer & GICR_TYPER_LAST;

		frames++;
		if ((typer >> 32) != i)
			aff_ok = false;
		if (((mmio_read32(rd + GICR_PIDR2) >> 4) & 0xf) != 3)
			pidr_ok = false;
		if (lo != (uint32_t)typer || hi != typer >> 32)
			halves_ok = false;
		if (last != (i == n - 1))
			last_ok = false;
		procnum[i] = (typer >> 8) & 0xffff;
		for (unsigned j = 0; j < i; j++)
			if (procnum[j] == procnum[i])
				distinct = false;
		if (!aff_ok || last || i == n - 1)
			break;
	}
	CHECK(n >= 1 && frames == n && last_ok,
	      "gicr: one frame per vCPU, Last on the last one only");
	CHECK(aff_ok, "gicr: TYPER affinity is each vCPU's MPIDR");
	CHECK(distinct, "gicr: TYPER.Processor_Number distinct");
	CHECK(halves_ok, "gicr: TYPER 32-bit halves agree with 64-bit read");
	CHECK(pidr_ok, "gicr: PIDR2.ArchRev = 3 in every frame");
}

static uint32_t uart(unsigned off)
{
	return mmio_read32(UART_BASE + off);
}

static void uart_tests(void)
{
	uint32_t id[4], cid[4], imsc, ibrd, v1, v2, fr;

	for (unsigned i = 0; i < 4; i++) {
		id[i] = uart(UARTPERIPHID0 + 4 * i);
		cid[i] = uart(UARTPCELLID0 + 4 * i);
	}
	gt_printf("note: UARTPeriphID 0x%x 0x%x 0x%x 0x%x (revision %u)\n",
		  id[0], id[1], id[2], id[3], id[2] >> 4);
	/* part 0x011, designer 0x41 (Arm), any revision: r1p5 is 0x34,
	 * QEMU's model says 0x14 */
	gt_check(id[0] == 0x11 && id[1] == 0x10 && (id[2] & 0xf) == 0x4 &&
		     id[2] <= 0xff && id[3] == 0,
		 "uart: UARTPeriphID0..3 name the PL011", "0x%x 0x%x 0x%x 0x%x",
		 id[0], id[1], id[2], id[3]);
	gt_check(cid[0] == 0x0d && cid[1] == 0xf0 && cid[2] == 0x05 &&
		     cid[3] == 0xb1,
		 "uart: UARTPCellID0..3 = 0D F0 05 B1", "0x%x 0x%x 0x%x 0x%x",
		 cid[0], cid[1], cid[2], cid[3]);

	/* modem-status interrupt masks only: nothing here raises those */
	imsc = uart(UARTIMSC);
	mmio_write32(UART_BASE + UARTIMSC, 0x00a);
	v1 = uart(UARTIMSC);
	mmio_write32(UART_BASE + UARTIMSC, imsc);
	v2 = uart(UARTIMSC);
	gt_check(v1 == 0x00a && v2 == imsc, "uart: UARTIMSC round-trips",
		 "wrote 0xa: 0x%x, restored 0x%x: 0x%x", v1, imsc, v2);

	ibrd = uart(UARTIBRD);
	mmio_write32(UART_BASE + UARTIBRD, 0x1234);
	v1 = uart(UARTIBRD);
	mmio_write32(UART_BASE + UARTIBRD, ibrd);
	v2 = uart(UARTIBRD);
	gt_check(v1 == 0x1234 && v2 == ibrd, "uart: UARTIBRD round-trips",
		 "wrote 0x1234: 0x%x, restored 0x%x: 0x%x", v1, ibrd, v2);

	/* the transmit FIFO drains: not full once it has had a moment */
	WAIT_FOR(uart(UARTFR) & UARTFR_TXFE, 1000);
	fr = uart(UARTFR);
	gt_check(!(fr & UARTFR_TXFF), "uart: UARTFR.TXFF clear", "UARTFR 0x%x",
		 fr);
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	uart_tests(); /* first: the PL011 may be there before the vGIC */
	/* ARE on, as Linux has it, without enabling any group */
	mmio_write32(D(GICD_CTLR), GICD_CTLR_ARE);
	gicd_wait_rwp();
	id_tests();
	priority_tests();
	enable_tests();
	redist_tests();
	gt_done();
}
