/* Devices and firmware interfaces the hypervisor itself uses. */
#ifndef HYP_PLATFORM_H
#define HYP_PLATFORM_H
#include "hyp/types.h"

/* Arm semihosting (QEMU: -semihosting-config enable=on). Only built with
 * CONFIG_SEMIHOSTING: on hardware without a debugger HLT is undefined. */
void semihost_write(const char *s, size_t len);
NORETURN void semihost_exit(int status);
bool semihost_available(void);

/* PL011 (hyp/pl011.c): transmit polled, \n sent as \r\n by pl011_write
 * only; receive non-blocking (-1: nothing), its interrupt on or off */
void pl011_init(paddr_t base);
void pl011_write(const char *s, size_t len);
void pl011_putc(char c);
int pl011_getc(void);
void pl011_rx_irq(bool on);

/* The one physical console (hyp/console.c), shared by hypnest's log and
 * the guest's emulated UART: a log line never starts in the middle of a
 * guest's line (a line break is put in first). */
void console_hyp_write(const char *s, size_t len);
void console_guest_putc(uint8_t c);

/* SMC Calling Convention (Arm DEN 0028) through the DT's PSCI conduit */
enum smccc_conduit { CONDUIT_NONE, CONDUIT_SMC, CONDUIT_HVC };
void smccc_set_conduit(enum smccc_conduit c);
int64_t smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* PSCI (Arm DEN 0022) function IDs and return codes */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0xC4000003U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED -3
#define PSCI_ALREADY_ON -4
#define PSCI_ON_PENDING -5
#define PSCI_INTERNAL_FAILURE -6
#define PSCI_NOT_PRESENT -7
#define PSCI_DISABLED -8
#define PSCI_INVALID_ADDRESS -9
const char *psci_strerror(int64_t err);

/* time from the generic timer's physical counter */
uint64_t timer_now_us(void);

#endif
