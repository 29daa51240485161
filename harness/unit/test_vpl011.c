/*
 * vcpu/vpl011.c: the virtual PL011 UART. Offsets, bits and reset values
 * are written out by hand from Arm DDI 0183 (chapter 3), and the guest-side
 * sequences from Linux's drivers/tty/serial/amba-pl011.c (6.1 and 6.12),
 * not taken from the code under test.
 */
#include <string.h>

#include "hyp/vpl011.h"
#include "unit.h"

#define BASE 0x09000000UL

/* registers */
#define DR 0x000
#define RSR 0x004 /* read RSR, write ECR */
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048

/* UARTDR error bits */
#define DR_FE 0x100
#define DR_PE 0x200
#define DR_BE 0x400
#define DR_OE 0x800
/* UARTRSR */
#define RSR_FE 0x1
#define RSR_PE 0x2
#define RSR_BE 0x4
#define RSR_OE 0x8
/* UARTFR */
#define FR_CTS 0x001
#define FR_DSR 0x002
#define FR_DCD 0x004
#define FR_BUSY 0x008
#define FR_RXFE 0x010
#define FR_TXFF 0x020
#define FR_RXFF 0x040
#define FR_TXFE 0x080
#define FR_RI 0x100
/* UARTLCR_H */
#define LCRH_FEN 0x10
#define LCRH_WLEN8 0x60
/* UARTCR */
#define CR_UARTEN 0x0001
#define CR_LBE 0x0080
#define CR_TXE 0x0100
#define CR_RXE 0x0200
#define CR_DTR 0x0400
#define CR_RTS 0x0800
#define CR_OUT1 0x1000
#define CR_OUT2 0x2000
#define CR_RTSEN 0x4000
#define CR_CTSEN 0x8000
/* interrupt bits (RIS, MIS, IMSC, ICR) */
#define I_RI 0x001
#define I_CTS 0x002
#define I_DCD 0x004
#define I_DSR 0x008
#define I_RX 0x010
#define I_TX 0x020
#define I_RT 0x040
#define I_FE 0x080
#define I_PE 0x100
#define I_BE 0x200
#define I_OE 0x400

static struct vpl011 u;

/* what the tx callback saw */
static uint8_t out[8192];
static unsigned nout;
static bool tx_lock_held;
static bool tx_ctx_ok;

static void tx_cb(void *ctx, uint8_t c)
{
	tx_ctx_ok = tx_ctx_ok && ctx == (void *)out;
	tx_lock_held = tx_lock_held && u.lock.locked;
	if (nout < sizeof(out))
		out[nout++] = c;
}

static void setup(void)
{
	nout = 0;
	tx_lock_held = true;
	tx_ctx_ok = true;
	vpl011_init(&u, BASE, tx_cb, out);
}

static uint32_t rd(unsigned off, unsigned size)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aUL;

	CHECKF(vpl011_mmio(&u, BASE + off, false, size, &v) ==
		   VPL011_MMIO_HANDLED,
	       "read %u at 0x%x not handled", size, off);
	CHECKF(!u.lock.locked, "lock held after a read");
	CHECKF(size == 4 || v >> (8 * size) == 0, "read %u at 0x%x: 0x%llx",
	       size, off, (unsigned long long)v);
	return v;
}

static void wr(unsigned off, unsigned size, uint64_t v)
{
	CHECKF(vpl011_mmio(&u, BASE + off, true, size, &v) ==
		   VPL011_MMIO_HANDLED,
	       "write %u at 0x%x not handled", size, off);
	CHECKF(!u.lock.locked, "lock held after a write");
}

static uint32_t rd32(unsigned off)
{
	return rd(off, 4);
}

static void wr32(unsigned off, uint32_t v)
{
	wr(off, 4, v);
}

/* Linux's pl011_read / pl011_write for an "arm,pl011" port (UPIO_MEM) */
static uint32_t readw(unsigned off)
{
	return rd(off, 2);
}

static void writew(uint32_t v, unsigned off)
{
	wr(off, 2, v);
}

static int access(paddr_t a, bool write, unsigned size, uint64_t *v)
{
	return vpl011_mmio(&u, a, write, size, v);
}

static void fifo_on(void)
{
	wr32(LCR_H, LCRH_WLEN8 | LCRH_FEN);
}

static void push_n(unsigned n, uint8_t first)
{
	for (unsigned i = 0; i < n; i++)
		CHECKF(vpl011_rx_push(&u, (uint8_t)(first + i)), "push %u", i);
}

TEST(id_registers)
{
	static const uint8_t pid[4] = { 0x11, 0x10, 0x34, 0x00 };
	static const uint8_t cid[4] = { 0x0d, 0xf0, 0x05, 0xb1 };
	uint32_t periphid = 0, cellid = 0;

	setup();
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(rd32(0xfe0 + 4 * i), pid[i]);
		CHECK_EQ(rd32(0xff0 + 4 * i), cid[i]);
		CHECK_EQ(readw(0xfe0 + 4 * i), pid[i]);
		CHECK_EQ(rd(0xff0 + 4 * i, 1), cid[i]);
	}
	/* as Linux's amba_read_periphid composes them (32-bit loads at
	 * size - 0x20 and size - 0x10 of the 0x1000 resource) */
	for (unsigned i = 0; i < 4; i++) {
		periphid |= (rd32(0x1000 - 0x20 + 4 * i) & 255) << (8 * i);
		cellid |= (rd32(0x1000 - 0x10 + 4 * i) & 255) << (8 * i);
	}
	CHECK_EQ(periphid, 0x00341011);
	CHECK_EQ(cellid, 0xb105f00d);		     /* AMBA_CID */
	CHECK_EQ(periphid & 0x000fffff, 0x00041011); /* pl011_ids[0] */
	CHECK_EQ((periphid >> 20) & 0xf, 3);	     /* amba_rev: fifosize 32 */
}

TEST(reset_values)
{
	setup();
	CHECK_EQ(rd32(DR), 0); /* nothing received */
	CHECK_EQ(rd32(RSR), 0);
	/* TXFE, RXFE; CTS, DSR, DCD asserted (no loopback) */
	CHECK_EQ(rd32(FR), FR_TXFE | FR_RXFE | FR_CTS | FR_DSR | FR_DCD);
	CHECK_EQ(rd32(ILPR), 0);
	CHECK_EQ(rd32(IBRD), 0);
	CHECK_EQ(rd32(FBRD), 0);
	CHECK_EQ(rd32(LCR_H), 0);
	CHECK_EQ(rd32(CR), 0x300); /* RXE | TXE, UARTEN clear */
	CHECK_EQ(rd32(IFLS), 0x12);
	CHECK_EQ(rd32(IMSC), 0);
	CHECK_EQ(rd32(RIS), 0);
	CHECK_EQ(rd32(MIS), 0);
	CHECK_EQ(rd32(ICR), 0);
	CHECK_EQ(rd32(DMACR), 0);
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(vpl011_rx_room(&u), 1); /* FEN clear: holding register */
	CHECK_EQ(nout, 0);
}

TEST(not_mine)
{
	uint64_t v = 77;

	setup();
	CHECK_EQ(access(BASE - 4, false, 4, &v), VPL011_MMIO_NOT_MINE);
	CHECK_EQ(access(BASE - 1, true, 1, &v), VPL011_MMIO_NOT_MINE);
	CHECK_EQ(access(BASE + 0x1000, false, 4, &v), VPL011_MMIO_NOT_MINE);
	CHECK_EQ(access(0, false, 4, &v), VPL011_MMIO_NOT_MINE);
	CHECK_EQ(access(~0UL, true, 4, &v), VPL011_MMIO_NOT_MINE);
	CHECK_EQ(v, 77);
	CHECK_EQ(nout, 0);
	CHECK_EQ(access(BASE + 0xffc, false, 4, &v), VPL011_MMIO_HANDLED);
	CHECK_EQ(v, 0xb1);
}

TEST(bad_size_and_alignment)
{
	static const struct {
		unsigned off, size;
	} bad[] = {
		{ DR, 0 },     { DR, 3 },     { DR, 8 },       { FR, 8 },
		{ DR + 1, 1 }, { DR + 2, 2 }, { DR + 1, 4 },   { FR + 1, 1 },
		{ FR + 2, 2 }, { CR + 3, 1 }, { IMSC + 2, 4 }, { 0xfe1, 1 },
		{ 0xffe, 2 },  { 0xfff, 1 },  { DR, 16 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v = 0x1234;

		setup();
		fifo_on();
		push_n(2, 'a');
		CHECKF(access(BASE + bad[i].off, true, bad[i].size, &v) ==
			   VPL011_MMIO_BAD,
		       "write %u at 0x%x", bad[i].size, bad[i].off);
		CHECKF(access(BASE + bad[i].off, false, bad[i].size, &v) ==
			   VPL011_MMIO_BAD,
		       "read %u at 0x%x", bad[i].size, bad[i].off);
		CHECKF(v == 0x1234, "val changed at 0x%x", bad[i].off);
		/* no side effect: nothing sent, nothing popped */
		CHECK_EQ(nout, 0);
		CHECK_EQ(vpl011_rx_room(&u), 30);
		CHECK(!u.lock.locked);
	}
}

TEST(narrow_accesses)
{
	setup();
	/* Linux's driver: 16-bit accesses to every register */
	writew(0x1234, IBRD);
	CHECK_EQ(readw(IBRD), 0x1234);
	CHECK_EQ(rd32(IBRD), 0x1234);
	writew(CR_UARTEN | CR_TXE | CR_RXE, CR);
	CHECK_EQ(readw(CR), 0x301);
	CHECK_EQ(readw(FR), FR_TXFE | FR_RXFE | FR_CTS | FR_DSR | FR_DCD);
	/* an 8-bit write changes only the low byte of a plain register */
	wr(CR, 1, 0x00);
	CHECK_EQ(rd32(CR), CR_TXE | CR_RXE);
	wr32(IBRD, 0xabcd);
	wr(IBRD, 1, 0x12);
	CHECK_EQ(rd32(IBRD), 0xab12);
	wr(IBRD, 2, 0x5678);
	CHECK_EQ(rd32(IBRD), 0x5678);
	/* 8-bit reads return the low byte */
	CHECK_EQ(rd(CR, 1), 0x00);
	CHECK_EQ(rd(IFLS, 1), 0x12);
	CHECK_EQ(rd(0xfe8, 1), 0x34);
	/* an 8-bit read of DR pops the entry and returns its byte */
	vpl011_rx_push(&u, 'q');
	CHECK_EQ(rd(DR, 1), 'q');
	CHECK_EQ(rd32(FR) & FR_RXFE, FR_RXFE);
}

TEST(tx_via_callback)
{
	setup();
	/* earlycon=pl011,<addr>: UPIO_MEM, writeb to DR, CR never written
	 * (reset: UARTEN clear) */
	CHECK_EQ(rd32(CR) & CR_UARTEN, 0);
	wr(DR, 1, 'h');
	CHECK_EQ(rd32(FR) & (FR_TXFF | FR_BUSY), 0);
	wr(DR, 1, 'i');
	/* earlycon=pl011,mmio32,<addr>: writel; bits above 7 ignored */
	wr32(DR, 0xffffff41);
	/* ttyAMA: writew */
	writew(0x0142, DR);
	/* every enable off: still sent */
	wr32(CR, 0);
	wr32(DR, 'C');
	CHECK_EQ(nout, 5);
	CHECK(!memcmp(out, "hiABC", 5));
	CHECK(tx_lock_held); /* the callback runs with the lock held */
	CHECK(tx_ctx_ok);
	CHECK_EQ(u.tx_bytes, 5);
	/* the TX FIFO is always empty, never busy */
	CHECK_EQ(rd32(FR) & (FR_TXFE | FR_TXFF | FR_BUSY), FR_TXFE);
	/* transmitting never touches the RX side */
	CHECK_EQ(rd32(FR) & FR_RXFE, FR_RXFE);
	CHECK_EQ(rd32(DR), 0);
}

TEST(tx_without_callback)
{
	vpl011_init(&u, BASE, NULL, NULL);
	wr32(DR, 'x');
	CHECK_EQ(u.tx_bytes, 1);
	CHECK_EQ(rd32(RIS), I_TX);
}

TEST(flag_register)
{
	setup();
	fifo_on();
	CHECK_EQ(rd32(FR) & 0xf8, FR_TXFE | FR_RXFE);
	vpl011_rx_push(&u, 1);
	CHECK_EQ(rd32(FR) & 0xf8, FR_TXFE);
	push_n(30, 2);
	CHECK_EQ(rd32(FR) & 0xf8, FR_TXFE); /* 31 of 32 */
	vpl011_rx_push(&u, 33);
	CHECK_EQ(rd32(FR) & 0xf8, FR_TXFE | FR_RXFF);
	rd32(DR);
	CHECK_EQ(rd32(FR) & 0xf8, FR_TXFE);
	/* modem inputs: CTS, DSR, DCD asserted, RI not */
	CHECK_EQ(rd32(FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI),
		 FR_CTS | FR_DSR | FR_DCD);
	/* reserved bits [31:9] read as zero */
	CHECK_EQ(rd32(FR) >> 9, 0);
}

TEST(rx_fifo_depth_with_fen)
{
	setup();
	fifo_on();
	CHECK_EQ(vpl011_rx_room(&u), 32);
	for (unsigned i = 0; i < 32; i++) {
		CHECK(vpl011_rx_push(&u, (uint8_t)('a' + i)));
		CHECK_EQ(vpl011_rx_room(&u), 31 - i);
	}
	CHECK(!vpl011_rx_push(&u, '!'));
	CHECK_EQ(vpl011_rx_room(&u), 0);
	/* first in, first out; the 32 that fitted carry no error */
	for (unsigned i = 0; i < 32; i++)
		CHECK_EQ(rd32(DR), 'a' + i);
	CHECK_EQ(rd32(FR) & FR_RXFE, FR_RXFE);
	CHECK_EQ(rd32(DR), 0);
	CHECK_EQ(vpl011_rx_room(&u), 32);
	/* the FIFO wraps around; the first byte after the lost '!' carries
	 * the overrun flag */
	push_n(20, 0);
	CHECK_EQ(rd32(DR), DR_OE | 0);
	for (unsigned i = 1; i < 10; i++)
		CHECK_EQ(rd32(DR), i);
	push_n(22, 100);
	CHECK_EQ(vpl011_rx_room(&u), 0);
	for (unsigned i = 10; i < 20; i++)
		CHECK_EQ(rd32(DR), i);
	for (unsigned i = 0; i < 22; i++)
		CHECK_EQ(rd32(DR), 100 + i);
}

TEST(rx_holding_register_without_fen)
{
	setup();
	wr32(LCR_H, LCRH_WLEN8); /* FEN clear */
	CHECK_EQ(vpl011_rx_room(&u), 1);
	CHECK(vpl011_rx_push(&u, 'x'));
	CHECK_EQ(vpl011_rx_room(&u), 0);
	CHECK_EQ(rd32(FR) & (FR_RXFF | FR_RXFE), FR_RXFF);
	CHECK(!vpl011_rx_push(&u, 'y')); /* overrun */
	CHECK_EQ(rd32(RSR), RSR_OE);
	CHECK_EQ(rd32(DR), 'x');
	CHECK(vpl011_rx_push(&u, 'z'));
	CHECK_EQ(rd32(DR), DR_OE | 'z'); /* the first byte after the loss */
	CHECK_EQ(rd32(FR) & (FR_RXFF | FR_RXFE), FR_RXFE);
}

TEST(overrun)
{
	setup();
	fifo_on();
	push_n(32, 0x40);
	CHECK_EQ(rd32(RSR), 0);
	CHECK(!vpl011_rx_push(&u, 1));
	CHECK(!vpl011_rx_push(&u, 2));
	CHECK_EQ(u.rx_dropped, 2);
	CHECK_EQ(rd32(RSR), RSR_OE);
	CHECK_EQ(rd32(RIS) & I_OE, I_OE);
	/* what was queued is intact */
	for (unsigned i = 0; i < 32; i++)
		CHECK_EQ(rd32(DR), 0x40 + i);
	/* the next byte queued carries OE, once */
	vpl011_rx_push(&u, 'n');
	vpl011_rx_push(&u, 'm');
	CHECK_EQ(rd32(DR), DR_OE | 'n');
	CHECK_EQ(rd32(DR), 'm');
	/* RSR.OE until a write to ECR, RIS.OE until ICR.OEIC */
	CHECK_EQ(rd32(RSR), RSR_OE);
	wr32(RSR, 0);
	CHECK_EQ(rd32(RSR), 0);
	CHECK_EQ(rd32(RIS) & I_OE, I_OE);
	wr32(ICR, I_OE);
	CHECK_EQ(rd32(RIS) & I_OE, 0);
	/* OEIM makes it an interrupt */
	push_n(32, 0);
	vpl011_rx_push(&u, 0);
	wr32(IMSC, I_OE);
	CHECK_EQ(rd32(MIS), I_OE);
	CHECK(vpl011_irq_level(&u));
	wr32(ICR, I_OE);
	CHECK(!vpl011_irq_level(&u));
}

TEST(rx_trigger_levels)
{
	/* UARTIFLS RXIFLSEL [5:3]: 1/8, 1/4, 1/2, 3/4, 7/8 of 32;
	 * reserved 5..7 behave as 1/2 */
	static const unsigned level[8] = { 4, 8, 16, 24, 28, 16, 16, 16 };

	for (unsigned sel = 0; sel < 8; sel++) {
		setup();
		fifo_on();
		wr32(IFLS, sel << 3 | 2);
		push_n(level[sel] - 1, 0);
		CHECKF((rd32(RIS) & (I_RX | I_RT)) == I_RT, "sel %u below",
		       sel);
		vpl011_rx_push(&u, 0);
		CHECKF((rd32(RIS) & (I_RX | I_RT)) == (I_RX | I_RT),
		       "sel %u at", sel);
		rd32(DR);
		CHECKF((rd32(RIS) & I_RX) == 0, "sel %u read below", sel);
	}
	/* FEN clear: any byte */
	setup();
	wr32(LCR_H, LCRH_WLEN8);
	CHECK_EQ(rd32(RIS) & (I_RX | I_RT), 0);
	vpl011_rx_push(&u, 'k');
	CHECK_EQ(rd32(RIS) & (I_RX | I_RT), I_RX | I_RT);
	rd32(DR);
	CHECK_EQ(rd32(RIS) & (I_RX | I_RT), 0);
}

TEST(rx_interrupts_are_levels)
{
	setup();
	fifo_on(); /* IFLS 0x12: RX at 16 */
	vpl011_rx_push(&u, 'a');
	CHECK_EQ(rd32(RIS), I_RT);
	/* ICR does not strand the byte: RT stays while data is queued */
	wr32(ICR, I_RT | I_RX);
	CHECK_EQ(rd32(RIS), I_RT);
	push_n(15, 'b');
	CHECK_EQ(rd32(RIS), I_RT | I_RX);
	wr32(ICR, 0xffff);
	CHECK_EQ(rd32(RIS), I_RT | I_RX);
	/* draining below the level drops RX, empty drops RT */
	rd32(DR);
	CHECK_EQ(rd32(RIS), I_RT);
	for (unsigned i = 0; i < 15; i++)
		rd32(DR);
	CHECK_EQ(rd32(RIS), 0);
}

TEST(mis_is_ris_and_imsc)
{
	static const uint32_t masks[] = { 0,	 I_RX,	I_RT,	     I_TX,
					  I_OE,	 0x7ff, I_RX | I_RT, 0x3ff,
					  0x400, I_BE,	I_RX | I_TX };

	setup();
	fifo_on();
	push_n(20, 0); /* RX, RT */
	wr32(DR, 'x'); /* TX */
	for (unsigned i = 0; i < ARRAY_SIZE(masks); i++) {
		uint32_t ris;

		wr32(IMSC, masks[i]);
		CHECK_EQ(rd32(IMSC), masks[i]);
		ris = rd32(RIS);
		CHECK_EQ(ris, I_RX | I_RT | I_TX);
		CHECK_EQ(rd32(MIS), ris & masks[i]);
		CHECK_EQ(vpl011_irq_level(&u), (ris & masks[i]) != 0);
	}
	/* IMSC keeps its 11 bits only */
	wr32(IMSC, 0xffffffff);
	CHECK_EQ(rd32(IMSC), 0x7ff);
}

TEST(tx_interrupt_rules)
{
	setup();
	CHECK_EQ(rd32(RIS) & I_TX, 0); /* reset: no transition yet */
	wr32(DR, 'a');
	CHECK_EQ(rd32(RIS) & I_TX, I_TX); /* the FIFO drained past the level */
	wr32(ICR, I_TX);
	CHECK_EQ(rd32(RIS) & I_TX, 0);
	/* unmasking TX raises it: the FIFO is empty */
	wr32(IMSC, I_TX);
	CHECK_EQ(rd32(RIS) & I_TX, I_TX);
	CHECK(vpl011_irq_level(&u));
	/* acknowledged, it stays low while TXIM stays set: no storm */
	wr32(ICR, I_TX);
	CHECK(!vpl011_irq_level(&u));
	wr32(IMSC, I_TX | I_RX); /* TXIM was already set: no new edge */
	CHECK(!vpl011_irq_level(&u));
	wr32(DR, 'b');
	CHECK(vpl011_irq_level(&u));
	CHECK_EQ(rd32(MIS), I_TX);
	/* masking lowers the line, the latch stays */
	wr32(IMSC, 0);
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(rd32(RIS), I_TX);
}

/* ---- Linux's amba-pl011 driver, as it touches the registers ---- */

static uint32_t linux_im;   /* uap->im */
static uint8_t rxbuf[8192]; /* what reached the tty */
static unsigned nrx;
static uint8_t txsrc[4096]; /* the xmit buffer */
static unsigned tx_head, tx_len;

/* pl011_register_port, pl011_startup (hwinit, allocate_irq, IFLS, CR,
 * enable_interrupts) and pl011_set_termios for 115200 8N1 at 24 MHz */
static void linux_startup(void)
{
	uint32_t cr;

	nrx = 0;
	writew(0, IMSC);
	writew(0xffff, ICR);
	/* pl011_hwinit */
	writew(I_OE | I_BE | I_PE | I_FE | I_RT | I_RX, ICR);
	linux_im = readw(IMSC);
	writew(I_RT | I_RX, IMSC);
	/* pl011_allocate_irq */
	writew(linux_im, IMSC);
	writew(0x12, IFLS); /* UART011_IFLS_RX4_8 | UART011_IFLS_TX4_8 */
	cr = readw(CR);
	cr &= CR_RTS | CR_DTR;
	cr |= CR_UARTEN | CR_RXE | CR_TXE;
	writew(cr, CR);
	readw(FR); /* old_status */
	/* pl011_enable_interrupts */
	writew(I_RT | I_RX, ICR);
	for (unsigned i = 0; i < 32 * 2; i++) {
		if (readw(FR) & FR_RXFE)
			break;
		readw(DR);
	}
	linux_im = I_RT | I_RX;
	writew(linux_im, IMSC);
	/* pl011_set_termios: quot = 24000000 * 4 / 115200 = 833 */
	writew(833 & 0x3f, FBRD);
	writew(833 >> 6, IBRD);
	writew(LCRH_WLEN8 | LCRH_FEN, LCR_H);
	cr = readw(CR) & ~(CR_CTSEN | CR_RTSEN);
	writew(cr, CR);
}

static void linux_stop_tx(void)
{
	linux_im &= ~I_TX;
	writew(linux_im, IMSC);
}

/* pl011_tx_chars: true if TX interrupts must stay enabled */
static bool linux_tx_chars(bool from_irq)
{
	int count = 32 >> 1;

	if (tx_head == tx_len) {
		linux_stop_tx();
		return false;
	}
	while (tx_head < tx_len) {
		if (from_irq && count-- == 0)
			break;
		if (!from_irq && (readw(FR) & FR_TXFF))
			break;
		writew(txsrc[tx_head++], DR);
	}
	if (tx_head == tx_len) {
		linux_stop_tx();
		return false;
	}
	return true;
}

/* pl011_start_tx -> pl011_start_tx_pio */
static void linux_start_tx(void)
{
	if (linux_tx_chars(false)) {
		linux_im |= I_TX;
		writew(linux_im, IMSC);
	}
}

/* pl011_int (6.1 and 6.12); returns the number of passes, 0 if not ours */
static unsigned linux_int(void)
{
	unsigned status, pass_counter = 256, passes = 0;

	status = readw(RIS) & linux_im;
	if (!status)
		return 0;
	do {
		passes++;
		writew(status & ~(I_TX | I_RT | I_RX), ICR);
		if (status & (I_RT | I_RX)) {
			/* pl011_fifo_to_tty */
			for (unsigned taken = 0; taken != 256; taken++) {
				uint32_t ch;

				if (readw(FR) & FR_RXFE)
					break;
				ch = readw(DR);
				CHECKF((ch & 0xf00) == 0, "error bits 0x%x",
				       ch);
				if (nrx < sizeof(rxbuf))
					rxbuf[nrx++] = ch & 0xff;
			}
		}
		if (status & I_TX)
			linux_tx_chars(true);
		if (pass_counter-- == 0)
			break;
		status = readw(RIS) & linux_im;
	} while (status != 0);
	return passes;
}

TEST(linux_irq_handler_drains)
{
	static const unsigned bursts[] = { 1, 2, 15, 16, 17, 31, 32, 5, 1 };
	unsigned expect = 0;

	setup();
	linux_startup();
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(rd32(LCR_H) & LCRH_FEN, LCRH_FEN);
	for (unsigned b = 0; b < ARRAY_SIZE(bursts); b++) {
		unsigned n = bursts[b];

		CHECK_EQ(vpl011_rx_room(&u), 32);
		for (unsigned i = 0; i < n; i++)
			CHECK(vpl011_rx_push(&u, (uint8_t)(expect + i)));
		/* any queued byte raises the line, whatever the level */
		CHECKF(vpl011_irq_level(&u), "burst %u: no interrupt", n);
		CHECKF(linux_int() == 1, "burst %u: not one pass", n);
		CHECKF(!vpl011_irq_level(&u), "burst %u: still raised", n);
		CHECKF(nrx == expect + n, "burst %u: got %u", n, nrx);
		for (unsigned i = 0; i < n; i++)
			CHECK_EQ(rxbuf[expect + i], (uint8_t)(expect + i));
		expect += n;
	}
	CHECK_EQ(u.rx_dropped, 0);
	/* a spurious call is not ours */
	CHECK_EQ(linux_int(), 0);
}

TEST(linux_irq_handler_with_hypervisor_feed)
{
	unsigned sent = 0, total = 1000, irqs = 0;

	setup();
	linux_startup();
	/* the hypervisor reads the physical UART only as far as rx_room
	 * allows (chunks of varying size, sometimes two before the guest
	 * runs), then sets the SPI to irq_level; the guest takes it */
	while (sent < total) {
		for (unsigned feed = 0; feed < 1 + sent % 2; feed++) {
			unsigned room = vpl011_rx_room(&u);
			unsigned n = MIN(room, 1 + (sent * 13) % 40);

			for (unsigned i = 0; i < n && sent < total; i++)
				CHECK(
				    vpl011_rx_push(&u, (uint8_t)(sent++ * 7)));
		}
		while (vpl011_irq_level(&u)) {
			CHECK(linux_int() >= 1);
			CHECK(++irqs < 10000);
		}
		CHECK_EQ(vpl011_rx_room(&u), 32);
	}
	CHECK_EQ(u.rx_dropped, 0);
	CHECK_EQ(nrx, total);
	for (unsigned i = 0; i < total; i++)
		CHECK_EQ(rxbuf[i], (uint8_t)(i * 7));
	CHECK_EQ(rd32(FR) & FR_RXFE, FR_RXFE);
}

/* the loop as first described: MIS, ICR for RX|RT, drain, repeat */
TEST(mis_icr_drain_loop_terminates)
{
	unsigned passes = 0, got = 0;

	setup();
	fifo_on();
	wr32(IMSC, I_RX | I_RT);
	push_n(20, 0);
	while (rd32(MIS)) {
		wr32(ICR, I_RX | I_RT);
		while (!(rd32(FR) & FR_RXFE)) {
			CHECK_EQ(rd32(DR), got);
			got++;
		}
		/* more arrives while the handler runs, once */
		if (passes++ == 0)
			push_n(5, 20);
		CHECK(passes < 10);
	}
	CHECK_EQ(passes, 2);
	CHECK_EQ(got, 25);
	CHECK(!vpl011_irq_level(&u));
}

TEST(linux_throttle_unthrottle)
{
	setup();
	linux_startup();
	push_n(3, 'a');
	CHECK(vpl011_irq_level(&u));
	/* pl011_throttle_rx -> pl011_stop_rx */
	linux_im &= ~(I_RX | I_RT | I_FE | I_PE | I_BE | I_OE);
	writew(linux_im, IMSC);
	CHECK(!vpl011_irq_level(&u));
	/* pl011_unthrottle_rx: the queued data raises the line at once */
	linux_im = I_RT | I_RX;
	writew(linux_im, IMSC);
	CHECK(vpl011_irq_level(&u));
	CHECK_EQ(linux_int(), 1);
	CHECK_EQ(nrx, 3);
	CHECK(!memcmp(rxbuf, "abc", 3));
}

TEST(linux_transmit)
{
	setup();
	linux_startup();
	tx_head = 0;
	tx_len = 300;
	for (unsigned i = 0; i < tx_len; i++)
		txsrc[i] = (uint8_t)(i + 1);
	linux_im |= I_TX; /* even if TXIM was left set, start_tx clears it */
	writew(linux_im, IMSC);
	linux_start_tx();
	/* TXFF never set: all of it went out from start_tx, TXIM cleared */
	CHECK_EQ(tx_head, 300);
	CHECK_EQ(nout, 300);
	for (unsigned i = 0; i < 300; i++)
		CHECK_EQ(out[i], (uint8_t)(i + 1));
	CHECK_EQ(readw(IMSC) & I_TX, 0);
	CHECK(!vpl011_irq_level(&u));
	/* an interrupt would find nothing */
	CHECK_EQ(linux_int(), 0);
}

TEST(linux_console_write)
{
	static const char msg[] = "Booting Linux on physical CPU 0x0\n";
	uint32_t old_cr, new_cr;
	unsigned spins = 0;

	setup();
	linux_startup();
	old_cr = readw(CR);
	/* pl011_console_write */
	new_cr = (old_cr & ~CR_CTSEN) | CR_UARTEN | CR_TXE;
	writew(new_cr, CR);
	for (unsigned i = 0; msg[i]; i++) {
		while (readw(FR) & FR_TXFF)
			CHECK(++spins < 10);
		writew(msg[i], DR);
	}
	while (readw(FR) & FR_BUSY)
		CHECK(++spins < 10);
	writew(old_cr, CR);
	CHECK_EQ(nout, strlen(msg));
	CHECK(!memcmp(out, msg, nout));
	/* TX latched but masked: the console does not raise the line */
	CHECK(!vpl011_irq_level(&u));
}

/* a driver that starts transmission by unmasking TX, writes fifosize / 2
 * per interrupt and masks TX when done (Linux with TXIM set) */
TEST(irq_driven_transmit_terminates)
{
	unsigned irqs = 0;

	setup();
	linux_startup();
	tx_head = 0;
	tx_len = 100;
	memset(txsrc, 'z', tx_len);
	linux_im |= I_TX;
	writew(linux_im, IMSC);
	while (vpl011_irq_level(&u)) {
		CHECK(linux_int() >= 1);
		CHECK(++irqs < 100);
	}
	CHECK_EQ(tx_head, 100);
	CHECK_EQ(nout, 100);
	CHECK_EQ(readw(IMSC) & I_TX, 0);
	CHECK_EQ(irqs, 1); /* the handler's own loop wrote it all */
}

/* a driver that keeps TXIM set and acknowledges with TXIC */
TEST(ack_style_transmit_does_not_storm)
{
	unsigned pending = 50, irqs = 0;

	setup();
	fifo_on();
	wr32(CR, CR_UARTEN | CR_TXE | CR_RXE);
	wr32(IMSC, I_TX); /* raises TX: the FIFO is empty */
	while (vpl011_irq_level(&u)) {
		CHECK(rd32(MIS) & I_TX);
		wr32(ICR, I_TX);
		for (unsigned n = 0; n < 16 && pending; n++, pending--)
			wr32(DR, '0' + pending % 10);
		CHECK(++irqs < 100);
	}
	CHECK_EQ(pending, 0);
	CHECK_EQ(nout, 50);
	/* one interrupt per burst of 16, one more that finds nothing */
	CHECK_EQ(irqs, 5);
	CHECK_EQ(rd32(IMSC), I_TX);
	/* new output starts it again */
	wr32(DR, '!');
	CHECK(vpl011_irq_level(&u));
}

TEST(loopback)
{
	setup();
	fifo_on();
	wr32(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
	wr32(DR, 'L');
	CHECK_EQ(nout, 1); /* still sent */
	CHECK_EQ(out[0], 'L');
	CHECK_EQ(rd32(DR), 'L'); /* and received */
	/* modem outputs fed back: RTS->CTS, DTR->DSR, Out1->DCD, Out2->RI */
	CHECK_EQ(rd32(FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI), 0);
	wr32(CR, CR_UARTEN | CR_LBE | CR_RTS | CR_OUT2);
	CHECK_EQ(rd32(FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI), FR_CTS | FR_RI);
	wr32(CR, CR_UARTEN | CR_LBE | CR_DTR | CR_OUT1);
	CHECK_EQ(rd32(FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI),
		 FR_DSR | FR_DCD);
	wr32(CR, CR_UARTEN | CR_DTR | CR_OUT1);
	CHECK_EQ(rd32(FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI),
		 FR_CTS | FR_DSR | FR_DCD);
	/* loopback overrun is an overrun too */
	wr32(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
	for (unsigned i = 0; i < 33; i++)
		wr32(DR, 'a');
	CHECK_EQ(nout, 34);
	CHECK_EQ(rd32(RSR), RSR_OE);
}

TEST(receive_errors)
{
	setup();
	fifo_on();
	/* a break: BE with a zero byte */
	CHECK(vpl011_rx_push_status(&u, 0, VPL011_DR_BE));
	CHECK_EQ(rd32(RIS) & (I_BE | I_FE | I_PE), I_BE);
	CHECK_EQ(rd32(DR), DR_BE);
	CHECK_EQ(rd32(RSR), RSR_BE);
	/* RSR reflects the last byte read, OE aside */
	vpl011_rx_push(&u, 'k');
	CHECK_EQ(rd32(DR), 'k');
	CHECK_EQ(rd32(RSR), 0);
	CHECK(vpl011_rx_push_status(&u, 'p', VPL011_DR_FE | VPL011_DR_PE));
	CHECK_EQ(rd32(RIS) & (I_BE | I_FE | I_PE), I_BE | I_FE | I_PE);
	CHECK_EQ(rd32(DR), DR_FE | DR_PE | 'p');
	CHECK_EQ(rd32(RSR), RSR_FE | RSR_PE);
	wr32(RSR, 0x1234); /* ECR: any value clears */
	CHECK_EQ(rd32(RSR), 0);
	wr32(ICR, I_BE | I_FE);
	CHECK_EQ(rd32(RIS) & (I_BE | I_FE | I_PE), I_PE);
	/* the caller cannot fake OE or other bits */
	CHECK(vpl011_rx_push_status(&u, 'o', DR_OE | 0xf000));
	CHECK_EQ(rd32(DR), 'o');
}

TEST(fen_change_keeps_data)
{
	setup();
	fifo_on();
	push_n(5, 'a');
	wr32(LCR_H, LCRH_WLEN8); /* FEN off: now counts as full */
	CHECK_EQ(rd32(FR) & (FR_RXFF | FR_RXFE), FR_RXFF);
	CHECK_EQ(vpl011_rx_room(&u), 0);
	CHECK(!vpl011_rx_push(&u, 'X'));
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(rd32(DR), 'a' + i);
	CHECK_EQ(vpl011_rx_room(&u), 1);
	fifo_on();
	CHECK_EQ(vpl011_rx_room(&u), 32);
	vpl011_rx_push(&u, 'f');
	CHECK_EQ(rd32(DR), DR_OE | 'f');
}

TEST(reserved_offsets_raz_wi)
{
	static const unsigned reserved[] = {
		0x008, 0x00c, 0x010, 0x014, 0x01c, 0x04c, 0x050, 0x080,
		0x084, 0x088, 0x08c, 0x100, 0x800, 0xfd0, 0xfdc
	};

	setup();
	fifo_on();
	wr32(IBRD, 13);
	wr32(IMSC, I_RT);
	push_n(3, 'r');
	for (unsigned i = 0; i < ARRAY_SIZE(reserved); i++) {
		wr32(reserved[i], 0xffffffff);
		wr(reserved[i], 1, 0xff);
		CHECKF(rd32(reserved[i]) == 0, "0x%x", reserved[i]);
		CHECKF(rd(reserved[i], 2) == 0, "0x%x", reserved[i]);
	}
	/* nothing else moved */
	CHECK_EQ(rd32(IBRD), 13);
	CHECK_EQ(rd32(IMSC), I_RT);
	CHECK_EQ(rd32(LCR_H), LCRH_WLEN8 | LCRH_FEN);
	CHECK_EQ(rd32(CR), 0x300);
	CHECK_EQ(vpl011_rx_room(&u), 29);
	CHECK_EQ(nout, 0);
	CHECK_EQ(rd32(DR), 'r');
	/* UARTICR is write-only: reads as zero */
	CHECK_EQ(rd32(ICR), 0);
}

TEST(read_only_registers_ignore_writes)
{
	static const unsigned ro[] = { FR,    RIS,   MIS,   0xfe0, 0xfe4, 0xfe8,
				       0xfec, 0xff0, 0xff4, 0xff8, 0xffc };
	uint32_t before[ARRAY_SIZE(ro)];

	setup();
	fifo_on();
	wr32(IMSC, I_RT | I_TX);
	push_n(2, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(ro); i++)
		before[i] = rd32(ro[i]);
	for (unsigned i = 0; i < ARRAY_SIZE(ro); i++) {
		wr32(ro[i], 0xffffffff);
		wr32(ro[i], 0);
		writew(0xa5a5, ro[i]);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(ro); i++)
		CHECKF(rd32(ro[i]) == before[i], "0x%x", ro[i]);
	CHECK_EQ(vpl011_rx_room(&u), 30);
}

TEST(register_widths)
{
	setup();
	/* writable bits only; reserved bits read as zero */
	wr32(ILPR, 0xffffffff);
	CHECK_EQ(rd32(ILPR), 0xff);
	wr32(IBRD, 0xffffffff);
	CHECK_EQ(rd32(IBRD), 0xffff);
	wr32(FBRD, 0xffffffff);
	CHECK_EQ(rd32(FBRD), 0x3f);
	wr32(LCR_H, 0xffffffff);
	CHECK_EQ(rd32(LCR_H), 0xff);
	wr32(CR, 0xffffffff);
	CHECK_EQ(rd32(CR), 0xff87); /* bits 6:3 reserved */
	wr32(IFLS, 0xffffffff);
	CHECK_EQ(rd32(IFLS), 0x3f);
	wr32(IMSC, 0xffffffff);
	CHECK_EQ(rd32(IMSC), 0x7ff);
	wr32(DMACR, 0xffffffff);
	CHECK_EQ(rd32(DMACR), 0x7); /* stored; DMA not supported */
}

/* xorshift: a reproducible stream of junk */
static uint64_t rng = 0x9e3779b97f4a7c15UL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

TEST(junk_never_breaks_the_model)
{
	static const unsigned sizes[] = { 1, 2, 4, 4, 4, 8, 3, 0 };

	setup();
	for (unsigned i = 0; i < 200000; i++) {
		uint64_t r = next(), v = next();
		unsigned off = r & 0xfff;
		unsigned size = sizes[(r >> 12) & 7];
		bool write = (r >> 15) & 1;
		uint32_t ris, imsc, fr;
		int ret;

		if (!(r & 0x30000))
			off &= 0x7c; /* mostly the real registers */
		if ((r >> 18) % 4 == 0)
			vpl011_rx_push_status(&u, (uint8_t)v, (unsigned)r);
		ret = access(BASE + off, write, size, &v);
		CHECK(!u.lock.locked);
		if (size != 1 && size != 2 && size != 4) {
			CHECK_EQ(ret, VPL011_MMIO_BAD);
		} else {
			CHECK_EQ(ret, off & 3 ? VPL011_MMIO_BAD
					      : VPL011_MMIO_HANDLED);
		}
		/* invariants, from the TRM */
		CHECK(u.rx_count <= VPL011_FIFO_DEPTH);
		CHECK(u.rx_head < VPL011_FIFO_DEPTH);
		fr = rd32(FR);
		CHECK_EQ(!!(fr & FR_RXFE), u.rx_count == 0);
		CHECK_EQ(fr & (FR_TXFE | FR_TXFF | FR_BUSY), FR_TXFE);
		ris = rd32(RIS);
		imsc = rd32(IMSC);
		CHECK_EQ(ris >> 11, 0);
		CHECK_EQ(imsc >> 11, 0);
		CHECK_EQ(!!(ris & I_RT), u.rx_count != 0);
		CHECK_EQ(rd32(MIS), ris & imsc);
		CHECK_EQ(vpl011_irq_level(&u), (ris & imsc) != 0);
		CHECK_EQ(rd32(CR) & ~0xff87U, 0);
		CHECK(vpl011_rx_room(&u) <= VPL011_FIFO_DEPTH);
		CHECK_EQ(rd32(0xfe8), 0x34);
	}
	CHECK(tx_lock_held);
}

TEST(reset)
{
	setup();
	fifo_on();
	wr32(IMSC, 0x7ff);
	wr32(CR, 0xff87);
	push_n(10, 0);
	wr32(DR, 'x');
	CHECK(vpl011_irq_level(&u));
	vpl011_reset(&u);
	CHECK(!u.lock.locked);
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(rd32(CR), 0x300);
	CHECK_EQ(rd32(IFLS), 0x12);
	CHECK_EQ(rd32(IMSC), 0);
	CHECK_EQ(rd32(RIS), 0);
	CHECK_EQ(rd32(LCR_H), 0);
	CHECK_EQ(vpl011_rx_room(&u), 1);
	CHECK_EQ(rd32(FR) & FR_RXFE, FR_RXFE);
	/* the callback survives */
	wr32(DR, 'y');
	CHECK_EQ(nout, 2);
	CHECK_EQ(out[1], 'y');
}
