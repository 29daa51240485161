/* PL011 UART, transmit only, polled (ARM DDI 0183 PrimeCell UART). */
#include "hyp/platform.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTCR 0x030
#define FR_TXFF (1U << 5)
#define CR_UARTEN (1U << 0)
#define CR_TXE (1U << 8)

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
	wr(UARTCR, rd(UARTCR) | CR_UARTEN | CR_TXE);
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
