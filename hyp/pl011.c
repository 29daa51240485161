/* PL011 UART (ARM DDI 0183 PrimeCell UART): transmit polled; receive
 * polled or by interrupt (the guest console's input, hyp/console.c). */
#include "hyp/platform.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTCR 0x030
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_RXFE (1U << 4)
#define IM_RX (1U << 4)
#define IM_RT (1U << 6)
#define FR_TXFF (1U << 5)
#define CR_UARTEN (1U << 0)
#define CR_TXE (1U << 8)
#define CR_RXE (1U << 9)

static volatile uint32_t *uart;

static inline uint32_t rd(unsigned off)
{
	return uart[off / 4];
}

static inline void wr(unsigned off, uint32_t v)
{
	uart[off / 4] = v;
}

void pl011_init(paddr_t base)
{
	uart = (volatile uint32_t *)(uintptr_t)base;
	/* firmware or QEMU may leave it disabled; baud rate is left alone */
	wr(UARTCR, rd(UARTCR) | CR_UARTEN | CR_TXE | CR_RXE);
}

static void putc_raw(char c)
{
	while (rd(UARTFR) & FR_TXFF)
		;
	wr(UARTDR, (uint8_t)c);
}

void pl011_write(const char *s, size_t len)
{
	if (!uart)
		return;
	for (; len; len--, s++) {
		if (*s == '\n')
			putc_raw('\r');
		putc_raw(*s);
	}
}

void pl011_putc(char c)
{
	if (uart)
		putc_raw(c);
}

int pl011_getc(void)
{
	if (!uart || (rd(UARTFR) & FR_RXFE))
		return -1;
	return (int)(rd(UARTDR) & 0xff); /* error bits [11:8] dropped */
}

/* Only the mask changes: the RX interrupt clears as the FIFO is read. An
 * ICR write here would race with a byte arriving just after the last
 * read, clearing its interrupt and stranding it in the FIFO. */
void pl011_rx_irq(bool on)
{
	static int state = -1;

	if (!uart || state == (int)on)
		return;
	state = on;
	wr(UARTIMSC, on ? IM_RX | IM_RT : 0);
}
