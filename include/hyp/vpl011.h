/*
 * The virtual PL011 UART of a guest (vcpu/vpl011.c): an Arm PrimeCell UART
 * (PL011) r1p5 emulated by trapping the guest's accesses to its 4 KiB MMIO
 * page. Written for Linux's amba-pl011 driver, both as earlycon ("pl011" and
 * "pl011,mmio32") and as the interrupt-driven ttyAMA console, and for
 * bare-metal code that polls. Arch-independent: unit-tested on the host.
 *
 * Spec: Arm DDI 0183 (PrimeCell UART (PL011) TRM), chapter 3.
 *
 * Plumbing (the hypervisor's side):
 *   - a trapped access to [base, base + VPL011_SIZE) goes to vpl011_mmio;
 *   - every byte the guest transmits goes out at once through the tx
 *     callback, called with u->lock held (it must not call back into the
 *     model; it may take its own locks, e.g. the log's);
 *   - received bytes are pushed in with vpl011_rx_push; vpl011_rx_room says
 *     how many the FIFO takes now, so the physical UART is only read that
 *     far (the rest waits there, applying back-pressure, instead of being
 *     lost to an overrun here);
 *   - after each call the virtual SPI is set to vpl011_irq_level (UARTMIS
 *     != 0, the PL011's combined UARTINTR): a level-sensitive line.
 * Every function except vpl011_init takes u->lock itself; do not call them
 * with it held.
 *
 * What is modelled, and the rules chosen where the TRM's timing-based
 * behaviour has no meaning for an instantaneous UART:
 *
 * Transmit. A write to UARTDR sends its low byte through the callback at
 * once, whatever UARTCR says (UARTEN, TXE): Linux's earlycon writes UARTDR
 * without ever programming UARTCR (reset value 0x300: UARTEN clear), and
 * early output must never be lost. The TX FIFO is therefore always empty:
 * UARTFR.TXFE = 1, TXFF = 0, BUSY = 0. Baud rate, line control (word
 * length, parity, stop bits, break), IrDA and DMA registers are stored and
 * read back but have no effect.
 *
 * TX interrupt (TXRIS, bit 5). On hardware it is raised when the TX FIFO
 * drains to the IFLS trigger level (a transition, not a level: a FIFO that
 * is merely empty raises nothing) and cleared by UARTICR.TXIC or by filling
 * the FIFO above the level. Here TXRIS is a latch:
 *   - set by every write to UARTDR (the byte leaves at once, so the FIFO
 *     passes the trigger level on its way back to empty);
 *   - set when the guest unmasks it (UARTIMSC.TXIM 0 -> 1): the FIFO is
 *     empty, so a driver that enables the TX interrupt to be told when it
 *     may write learns it at once instead of stalling;
 *   - cleared only by UARTICR.TXIC (0 at reset).
 * Linux (since its 2015 TX rework, so 6.1 and 6.12): pl011_start_tx ->
 * pl011_start_tx_pio calls pl011_tx_chars(from_irq = false), which writes
 * UARTDR while UARTFR.TXFF is clear and the circular buffer (6.10 on: a
 * kfifo) is not empty, and sets UARTIMSC.TXIM only if characters are left
 * (TXFF was seen). TXFF is never set here, so the whole buffer goes out from
 * start_tx, pl011_stop_tx clears TXIM, and the TX interrupt is never used.
 * Should TXIM be set (older kernels, DMA fallback, other guests), pl011_int
 * calls pl011_tx_chars(from_irq = true) for up to fifosize / 2 characters a
 * pass and clears TXIM once the buffer is empty, so its loop ends; Linux
 * never writes TXIC. A driver that instead leaves TXIM set and acknowledges
 * with TXIC gets one interrupt per burst, not a storm, which an always-
 * asserted level would give it. (Linux before that rework provoked the
 * first TX interrupt by sending a byte in loopback mode; that works here
 * too.)
 *
 * Receive. The RX FIFO holds VPL011_FIFO_DEPTH (32) entries of 12 bits, the
 * byte and its FE/PE/BE/OE flags, as on r1p5 (earlier revisions: 16; Linux
 * sizes its FIFO from the revision in UARTPeriphID2, 32 for rev 3). With
 * UARTLCR_H.FEN = 0 it is a one-entry holding register. Changing FEN keeps
 * what is queued (it only changes when the FIFO counts as full). Bytes are
 * accepted whatever UARTCR says (like transmit), so input typed before the
 * guest enabled the receiver is kept, up to the FIFO depth.
 * A byte arriving when the FIFO is full is dropped, as on hardware: UARTRSR.OE
 * and UARTRIS.OERIS are set and the next byte that is queued carries
 * UARTDR.OE (bit 11), which is how Linux counts overruns. UARTFR.RXFE/RXFF
 * follow the fill level. Reading UARTDR pops the oldest entry (zero when
 * empty); UARTRSR then reports its FE/PE/BE (and OE since the last write to
 * UARTECR, which clears all four).
 *
 * RX interrupts (RXRIS bit 4, RTRIS bit 6) are levels computed from the
 * FIFO, so no data can ever sit in the FIFO with no interrupt raised:
 *   - RXRIS while the fill is at or above the UARTIFLS RX trigger level
 *     (1/8, 1/4, 1/2, 3/4, 7/8 of 32; the reserved encodings 5..7 act as
 *     1/2), or while anything is queued when FEN = 0;
 *   - RTRIS while the FIFO is not empty: the receive timeout ("no new data
 *     for 32 bit periods") is taken to have expired at once, as there is no
 *     line timing to wait for.
 * UARTICR.RXIC/RTIC have no lasting effect: the condition is evaluated
 * again at once. Reading the FIFO below the level (RX) or empty (RT) is what
 * clears them, which is exactly how Linux's pl011_int clears them: it reads
 * UARTRIS & its copy of IMSC, writes to UARTICR everything but TX/RT/RX,
 * drains UARTDR until UARTFR.RXFE and loops while that status is non-zero
 * (at most 256 passes); with this rule a drained FIFO ends the loop. Masking
 * RX/RT (Linux's throttling) lowers the line; unmasking while data is queued
 * raises it again at once (on hardware that data could wait for the next
 * byte). The TRM's edge behaviour that Linux works around in
 * pl011_enable_interrupts (RXRIS stuck off) cannot happen.
 *
 * Errors: FE/PE/BE come only with vpl011_rx_push_status (e.g. a break
 * forwarded from the physical UART); each raises its RIS bit, cleared by
 * UARTICR. OE as above.
 *
 * Modem lines: UARTFR reports CTS, DSR and DCD asserted and RI clear (a
 * connected peer that never stops us, consistent with transmitting at
 * once; DCD set so an open without CLOCAL does not wait for a carrier). In
 * loopback (UARTCR.LBE) the outputs are fed back as the TRM says: CTS =
 * RTS, DSR = DTR, DCD = Out1, RI = Out2, and each transmitted byte is also
 * queued in the RX FIFO (it still goes out through the callback too).
 * Modem status interrupts (RIS bits 0..3) are never raised.
 *
 * Accesses: 32-, 16- and 8-bit, at word-aligned offsets only (the register
 * occupies the low bits of its word). Linux's driver uses 16-bit accesses
 * (readw/writew) for every register of an "arm,pl011" port, earlycon uses
 * an 8-bit store to UARTDR (32-bit with "pl011,mmio32"), the AMBA bus reads
 * the ID registers with 32-bit loads. A narrow read returns the low bytes
 * (an 8-bit read of UARTDR pops the entry and returns its byte); a narrow
 * write changes only those low bytes of a plain register (UARTDR sends the
 * low byte; UARTICR and UARTECR act on the value given). Any other size or
 * alignment is VPL011_MMIO_BAD (the caller injects an abort). Reserved
 * offsets and the integration test registers read as zero and ignore
 * writes; read-only registers (UARTFR, UARTRIS, UARTMIS, the IDs) ignore
 * writes; UARTICR reads as zero. No value written anywhere can break the
 * model.
 *
 * UARTPeriphID0..3 = 0x11 0x10 0x34 0x00 (part 0x011, designer Arm 0x41,
 * revision 3 = r1p5), UARTPCellID0..3 = 0x0D 0xF0 0x05 0xB1: Linux's AMBA
 * bus matches "uart-pl011" on them (0x00041011 under mask 0x000fffff).
 */
#ifndef HYP_VPL011_H
#define HYP_VPL011_H
#include "hyp/spinlock.h"
#include "hyp/types.h"

#define VPL011_SIZE 0x1000UL /* one 4 KiB page */
#define VPL011_FIFO_DEPTH 32 /* RX FIFO entries with UARTLCR_H.FEN = 1 */

/* vpl011_mmio results: the same values as VGIC_MMIO_* in hyp/vgic.h */
#define VPL011_MMIO_HANDLED 0
#define VPL011_MMIO_NOT_MINE 1 /* outside [base, base + VPL011_SIZE) */
#define VPL011_MMIO_BAD 2      /* bad size or alignment: inject an abort */

/* UARTDR receive status bits, for vpl011_rx_push_status */
#define VPL011_DR_FE BIT(8)  /* framing error */
#define VPL011_DR_PE BIT(9)  /* parity error */
#define VPL011_DR_BE BIT(10) /* break (the byte is 0 on hardware) */
#define VPL011_DR_OE BIT(11) /* overrun: set by the model, not the caller */

/* UARTRIS / UARTMIS / UARTIMSC / UARTICR bits */
#define VPL011_INT_RX BIT(4)
#define VPL011_INT_TX BIT(5)
#define VPL011_INT_RT BIT(6)
#define VPL011_INT_FE BIT(7)
#define VPL011_INT_PE BIT(8)
#define VPL011_INT_BE BIT(9)
#define VPL011_INT_OE BIT(10)
#define VPL011_INT_ALL 0x7ffU

/* Called for each transmitted byte, with the model's lock held. */
typedef void (*vpl011_tx_fn)(void *ctx, uint8_t c);

struct vpl011 {
	spinlock_t lock;
	paddr_t base; /* guest-physical, 4 KiB aligned */

	/* RX FIFO: entries are UARTDR read values (byte [7:0], FE/PE/BE/OE
	 * [11:8]); rx_count entries from rx_head on, circular */
	uint16_t rx_fifo[VPL011_FIFO_DEPTH];
	unsigned rx_head;
	unsigned rx_count;
	bool rx_overrun; /* a byte was dropped: the next queued carries OE */

	/* registers as the guest wrote them (writable bits only) */
	uint32_t rsr;	/* UARTRSR: FE, PE, BE [2:0] of the last byte read,
			   OE [3] since the last UARTECR write */
	uint32_t ilpr;	/* UARTILPR [7:0] */
	uint32_t ibrd;	/* UARTIBRD [15:0] */
	uint32_t fbrd;	/* UARTFBRD [5:0] */
	uint32_t lcr_h; /* UARTLCR_H [7:0] */
	uint32_t cr;	/* UARTCR [15:7], [2:0] */
	uint32_t ifls;	/* UARTIFLS [5:0] */
	uint32_t imsc;	/* UARTIMSC [10:0] */
	uint32_t dmacr; /* UARTDMACR [2:0] */
	/* the latched UARTRIS bits: TX, FE, PE, BE, OE (RX and RT are
	 * computed from the FIFO) */
	uint32_t ris_latch;

	/* counters, for statistics */
	uint64_t tx_bytes;
	uint64_t rx_bytes;   /* queued */
	uint64_t rx_dropped; /* overruns */

	vpl011_tx_fn tx; /* may be NULL: output discarded */
	void *tx_ctx;
};

/* Reset state (TRM reset values): FIFO empty, UARTCR = 0x300 (TXE, RXE;
 * UARTEN clear), UARTIFLS = 0x12 (1/2 both ways), everything else 0: FEN
 * clear (so a one-byte RX holding register), all interrupts masked, no
 * interrupt raised. Does not take the lock (the model is not shared yet). */
void vpl011_init(struct vpl011 *u, paddr_t base, vpl011_tx_fn tx, void *ctx);

/* The reset state again, keeping base and the callback (guest reboot). */
void vpl011_reset(struct vpl011 *u);

/* An MMIO access. Returns VPL011_MMIO_HANDLED, VPL011_MMIO_NOT_MINE when
 * addr is outside the page, or VPL011_MMIO_BAD (size not 1, 2 or 4, or
 * offset not a multiple of 4): *val is then untouched. Reads fill *val
 * (zero-extended); writes use the low `size` bytes of *val. */
int vpl011_mmio(struct vpl011 *u, paddr_t addr, bool write, unsigned size,
		uint64_t *val);

/* Queue one received byte. false if the RX FIFO is full: the byte is
 * dropped and the overrun recorded as on hardware (UARTRSR.OE, OERIS, OE
 * on the next byte queued). */
bool vpl011_rx_push(struct vpl011 *u, uint8_t c);

/* Likewise with receive errors: status is VPL011_DR_FE/PE/BE (other bits
 * ignored); each raises its UARTRIS bit when the byte is queued. */
bool vpl011_rx_push_status(struct vpl011 *u, uint8_t c, unsigned status);

/* How many more bytes the RX FIFO accepts now: 32 or 1 (FEN) minus those
 * queued; 0 when full. */
unsigned vpl011_rx_room(struct vpl011 *u);

/* The UART's combined interrupt output: UARTMIS != 0. */
bool vpl011_irq_level(struct vpl011 *u);

#endif
