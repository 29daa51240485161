/*
 * The physical console, shared by hypnest's log and the guest's console
 * (the emulated PL011 sends its bytes here). Both go out on the one PL011
 * QEMU has, so they are kept apart by lines: hypnest's log lines start
 * with "hyp[<cpu>]", and one never starts in the middle of a guest line --
 * if the guest's last byte was not a line end, a line break goes first.
 */
#include "hyp/platform.h"
#include "hyp/spinlock.h"

static spinlock_t lock;
static bool guest_mid_line;

void console_hyp_write(const char *s, size_t len)
{
	spin_lock(&lock);
	if (guest_mid_line) {
		pl011_write("\n", 1);
		guest_mid_line = false;
	}
	pl011_write(s, len);
	spin_unlock(&lock);
}

/* The guest's bytes go out as they are: its tty adds its own \r. */
void console_guest_putc(uint8_t c)
{
	spin_lock(&lock);
	pl011_putc((char)c);
	guest_mid_line = c != '\n' && c != '\r';
	spin_unlock(&lock);
}
