/*
 * A Linux program that makes a known number of exits of its kernel to the
 * hypervisor below it (harness/bench.py runs it in L2, where each becomes
 * an L2 exit that L1's KVM handles):
 *	make_exits hvc N    N hypercalls: N clock_gettime() of the KVM PTP
 *	                    clock /dev/ptp0 (Linux's ptp_kvm, built into
 *	                    Debian's kernels): one HVC each, function
 *	                    ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID, which the
 *	                    hypervisor's kernel answers itself
 *	make_exits mmio N   N one-byte reads of the data register of QEMU virt's
 *	                    fw_cfg (0x09020000) through /dev/mem: the address is
 *	                    no RAM of the guest, each read a stage-2 data abort
 *	                    the hypervisor passes to its VMM (QEMU)
 * and prints "make_exits: N hvc done" (or mmio), or "make_exits: error:
 * <what> <errno>".
 *
 * Freestanding: lkvm.h (raw system calls), as kvm_run.c.
 */
#include "lkvm.h"

#define SYS_CLOSE 57
#define SYS_MMAP 222
#define SYS_CLOCK_GETTIME 113
#define O_RDONLY 0
#define O_SYNC 04010000
#define PROT_READ 1
#define MAP_SHARED 1
#define FW_CFG_DATA 0x09020000UL
#define PAGE 4096UL

struct timespec {
	long sec, nsec;
};

static long must(long r, const char *what)
{
	return must_prog("make_exits", r, what);
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static u64 number(const char *s)
{
	u64 n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (u64)(*s++ - '0');
	return n;
}

/* a dynamic POSIX clock's id from its file descriptor (Linux's
 * FD_TO_CLOCKID: the fd inverted, shifted by 3, CLOCKFD = 3 below) */
static long fd_clock(long fd)
{
	return (long)(int)((~(unsigned)fd << 3) | 3);
}

static void hypercalls(u64 n)
{
	long fd = must(
	    sys(SYS_OPENAT, AT_FDCWD, (long)"/dev/ptp0", O_RDONLY, 0, 0, 0),
	    "open /dev/ptp0");
	struct timespec ts;

	for (u64 i = 0; i < n; i++)
		must(
		    sys(SYS_CLOCK_GETTIME, fd_clock(fd), (long)&ts, 0, 0, 0, 0),
		    "clock_gettime /dev/ptp0");
	sys(SYS_CLOSE, fd, 0, 0, 0, 0, 0);
}

static void mmio_reads(u64 n)
{
	long fd = must(sys(SYS_OPENAT, AT_FDCWD, (long)"/dev/mem",
			   O_RDWR | O_SYNC, 0, 0, 0),
		       "open /dev/mem");
	long p = must(sys(SYS_MMAP, 0, (long)PAGE, PROT_READ, MAP_SHARED, fd,
			  (long)FW_CFG_DATA),
		      "mmap fw_cfg");
	volatile u8 *data = (volatile u8 *)p;

	for (u64 i = 0; i < n; i++)
		(void)*data;
	sys(SYS_CLOSE, fd, 0, 0, 0, 0, 0);
}

__attribute__((noreturn, used)) static void run(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)&sp[1];
	u64 n;

	if (argc != 3 || (!same(argv[1], "hvc") && !same(argv[1], "mmio"))) {
		out("usage: make_exits hvc|mmio N\n");
		quit(2);
	}
	n = number(argv[2]);
	if (same(argv[1], "hvc"))
		hypercalls(n);
	else
		mmio_reads(n);
	out("make_exits: ");
	out_num(n, 10);
	out(" ");
	out(argv[1]);
	out(" done\n");
	quit(0);
}

/* the kernel enters with sp at argc, argv[] above it */
__asm__(".global _start\n_start:\n mov x0, sp\n bl run\n");
