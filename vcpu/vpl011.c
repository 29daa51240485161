/*
 * The virtual PL011 UART: see include/hyp/vpl011.h for the model and the
 * rules it follows. Register offsets and fields: Arm DDI 0183, chapter 3.
 */
#include "hyp/vpl011.h"
#include "hyp/lib.h"

/* register offsets */
#define UARTDR 0x000
#define UARTRSR 0x004 /* read: UARTRSR, write: UARTECR */
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UART_IDREGS 0xfe0 /* PeriphID0..3, PCellID0..3 */

/* UARTRSR */
#define RSR_OE BIT(3)
#define RSR_ERRORS 0x7 /* FE, PE, BE: UARTDR [10:8] >> 8 */

/* UARTFR */
#define FR_CTS BIT(0)
#define FR_DSR BIT(1)
#define FR_DCD BIT(2)
#define FR_RXFE BIT(4)
#define FR_RXFF BIT(6)
#define FR_TXFE BIT(7)
#define FR_RI BIT(8)

/* UARTLCR_H */
#define LCR_H_FEN BIT(4)

/* UARTCR */
#define CR_LBE BIT(7)
#define CR_DTR BIT(10)
#define CR_RTS BIT(11)
#define CR_OUT1 BIT(12)
#define CR_OUT2 BIT(13)

/* UARTIFLS: RXIFLSEL [5:3] */
#define IFLS_RX_SHIFT 3

/* writable bits */
#define ILPR_MASK 0xffU
#define IBRD_MASK 0xffffU
#define FBRD_MASK 0x3fU
#define LCR_H_MASK 0xffU
#define CR_MASK 0xff87U /* bits 6:3 reserved */
#define IFLS_MASK 0x3fU
#define DMACR_MASK 0x7U

#define CR_RESET 0x300U	 /* RXE | TXE */
#define IFLS_RESET 0x12U /* 1/2 full both ways */

/* the interrupts that are latched rather than computed from the FIFO */
#define RIS_LATCHED                                                            \
	(VPL011_INT_TX | VPL011_INT_FE | VPL011_INT_PE | VPL011_INT_BE |       \
	 VPL011_INT_OE)

/* PeriphID0..3: part number 0x011, designer 0x41 (Arm), revision 3 (r1p5),
 * configuration 0; PCellID0..3: 0xB105F00D */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x34, 0x00,
				    0x0d, 0xf0, 0x05, 0xb1 };

static unsigned rx_depth(const struct vpl011 *u)
{
	return u->lcr_h & LCR_H_FEN ? VPL011_FIFO_DEPTH : 1;
}

/* the fill at which RXRIS is raised */
static unsigned rx_trigger(const struct vpl011 *u)
{
	/* 1/8, 1/4, 1/2, 3/4, 7/8 of the FIFO; reserved values as 1/2 */
	static const uint8_t eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };

	if (!(u->lcr_h & LCR_H_FEN))
		return 1;
	return eighths[(u->ifls >> IFLS_RX_SHIFT) & 7] * VPL011_FIFO_DEPTH / 8;
}

static uint32_t ris(const struct vpl011 *u)
{
	uint32_t r = u->ris_latch;

	if (u->rx_count >= rx_trigger(u))
		r |= VPL011_INT_RX;
	if (u->rx_count)
		r |= VPL011_INT_RT;
	return r;
}

static uint32_t flags(const struct vpl011 *u)
{
	uint32_t fr = FR_TXFE; /* TXFF, BUSY: never */

	if (!u->rx_count)
		fr |= FR_RXFE;
	if (u->rx_count >= rx_depth(u))
		fr |= FR_RXFF;
	if (u->cr & CR_LBE) {
		/* modem outputs fed back to the inputs */
		if (u->cr & CR_RTS)
			fr |= FR_CTS;
		if (u->cr & CR_DTR)
			fr |= FR_DSR;
		if (u->cr & CR_OUT1)
			fr |= FR_DCD;
		if (u->cr & CR_OUT2)
			fr |= FR_RI;
	} else {
		fr |= FR_CTS | FR_DSR | FR_DCD;
	}
	return fr;
}

/* queue a UARTDR entry (byte and FE/PE/BE); false on overrun */
static bool rx_queue(struct vpl011 *u, uint16_t entry)
{
	if (u->rx_count >= rx_depth(u)) {
		u->rsr |= RSR_OE;
		u->ris_latch |= VPL011_INT_OE;
		u->rx_overrun = true;
		u->rx_dropped++;
		return false;
	}
	if (u->rx_overrun) {
		entry |= VPL011_DR_OE;
		u->rx_overrun = false;
	}
	if (entry & VPL011_DR_FE)
		u->ris_latch |= VPL011_INT_FE;
	if (entry & VPL011_DR_PE)
		u->ris_latch |= VPL011_INT_PE;
	if (entry & VPL011_DR_BE)
		u->ris_latch |= VPL011_INT_BE;
	u->rx_fifo[(u->rx_head + u->rx_count) % VPL011_FIFO_DEPTH] = entry;
	u->rx_count++;
	u->rx_bytes++;
	return true;
}

static uint32_t rx_pop(struct vpl011 *u)
{
	uint16_t entry;

	if (!u->rx_count)
		return 0;
	entry = u->rx_fifo[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_FIFO_DEPTH;
	u->rx_count--;
	u->rsr = (u->rsr & RSR_OE) | ((entry >> 8) & RSR_ERRORS);
	return entry;
}

static void transmit(struct vpl011 *u, uint8_t c)
{
	if (u->tx)
		u->tx(u->tx_ctx, c);
	u->tx_bytes++;
	u->ris_latch |= VPL011_INT_TX;
	if (u->cr & CR_LBE)
		rx_queue(u, c);
}

static uint32_t reg_read(struct vpl011 *u, unsigned off)
{
	switch (off) {
	case UARTDR:
		return rx_pop(u);
	case UARTRSR:
		return u->rsr;
	case UARTFR:
		return flags(u);
	case UARTILPR:
		return u->ilpr;
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcr_h;
	case UARTCR:
		return u->cr;
	case UARTIFLS:
		return u->ifls;
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return ris(u);
	case UARTMIS:
		return ris(u) & u->imsc;
	case UARTDMACR:
		return u->dmacr;
	default:
		if (off >= UART_IDREGS)
			return id_regs[(off - UART_IDREGS) / 4];
		return 0; /* UARTICR (write-only) and reserved: RAZ */
	}
}

/* a plain register: only the bytes written (mask) and its writable bits */
static void store(uint32_t *reg, uint32_t val, uint32_t bytes, uint32_t bits)
{
	*reg = (*reg & ~bytes) | (val & bytes);
	*reg &= bits;
}

static void reg_write(struct vpl011 *u, unsigned off, uint32_t val,
		      uint32_t bytes)
{
	uint32_t old;

	switch (off) {
	case UARTDR:
		transmit(u, val & 0xff);
		break;
	case UARTRSR: /* UARTECR: any write clears the error status */
		u->rsr = 0;
		break;
	case UARTILPR:
		store(&u->ilpr, val, bytes, ILPR_MASK);
		break;
	case UARTIBRD:
		store(&u->ibrd, val, bytes, IBRD_MASK);
		break;
	case UARTFBRD:
		store(&u->fbrd, val, bytes, FBRD_MASK);
		break;
	case UARTLCR_H:
		store(&u->lcr_h, val, bytes, LCR_H_MASK);
		break;
	case UARTCR:
		store(&u->cr, val, bytes, CR_MASK);
		break;
	case UARTIFLS:
		store(&u->ifls, val, bytes, IFLS_MASK);
		break;
	case UARTIMSC:
		old = u->imsc;
		store(&u->imsc, val, bytes, VPL011_INT_ALL);
		if (!(old & VPL011_INT_TX) && (u->imsc & VPL011_INT_TX))
			u->ris_latch |= VPL011_INT_TX; /* the FIFO is empty */
		break;
	case UARTICR:
		u->ris_latch &= ~(val & RIS_LATCHED);
		break;
	case UARTDMACR:
		store(&u->dmacr, val, bytes, DMACR_MASK);
		break;
	default:
		break; /* UARTFR, UARTRIS, UARTMIS, IDs, reserved: ignored */
	}
}

static void reset_locked(struct vpl011 *u)
{
	memset(u->rx_fifo, 0, sizeof(u->rx_fifo));
	u->rx_head = 0;
	u->rx_count = 0;
	u->rx_overrun = false;
	u->rsr = 0;
	u->ilpr = 0;
	u->ibrd = 0;
	u->fbrd = 0;
	u->lcr_h = 0;
	u->cr = CR_RESET;
	u->ifls = IFLS_RESET;
	u->imsc = 0;
	u->dmacr = 0;
	u->ris_latch = 0;
}

void vpl011_init(struct vpl011 *u, paddr_t base, vpl011_tx_fn tx, void *ctx)
{
	memset(u, 0, sizeof(*u));
	u->base = base;
	u->tx = tx;
	u->tx_ctx = ctx;
	reset_locked(u);
}

void vpl011_reset(struct vpl011 *u)
{
	spin_lock(&u->lock);
	reset_locked(u);
	spin_unlock(&u->lock);
}

int vpl011_mmio(struct vpl011 *u, paddr_t addr, bool write, unsigned size,
		uint64_t *val)
{
	uint32_t bytes;
	unsigned off;

	if (addr < u->base || addr - u->base >= VPL011_SIZE)
		return VPL011_MMIO_NOT_MINE;
	off = addr - u->base;
	if (size != 1 && size != 2 && size != 4)
		return VPL011_MMIO_BAD;
	if (!IS_ALIGNED(off, 4))
		return VPL011_MMIO_BAD;
	bytes = size == 4 ? 0xffffffffU : (1U << (8 * size)) - 1;

	spin_lock(&u->lock);
	if (write)
		reg_write(u, off, (uint32_t)*val & bytes, bytes);
	else
		*val = reg_read(u, off) & bytes;
	spin_unlock(&u->lock);
	return VPL011_MMIO_HANDLED;
}

bool vpl011_rx_push_status(struct vpl011 *u, uint8_t c, unsigned status)
{
	bool ok;

	status &= VPL011_DR_FE | VPL011_DR_PE | VPL011_DR_BE;
	spin_lock(&u->lock);
	ok = rx_queue(u, c | status);
	spin_unlock(&u->lock);
	return ok;
}

bool vpl011_rx_push(struct vpl011 *u, uint8_t c)
{
	return vpl011_rx_push_status(u, c, 0);
}

unsigned vpl011_rx_room(struct vpl011 *u)
{
	unsigned depth, room;

	spin_lock(&u->lock);
	depth = rx_depth(u);
	room = u->rx_count < depth ? depth - u->rx_count : 0;
	spin_unlock(&u->lock);
	return room;
}

bool vpl011_irq_level(struct vpl011 *u)
{
	bool level;

	spin_lock(&u->lock);
	level = (ris(u) & u->imsc) != 0;
	spin_unlock(&u->lock);
	return level;
}
