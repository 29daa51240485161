/*
 * What the freestanding /dev/kvm programs in guest-tests/linux/ share (no
 * libc for the target here): raw arm64 Linux system calls, console output,
 * and the KVM ABI's numbers and layouts they all use (Linux's
 * include/uapi/linux/kvm.h and arch/arm64/include/uapi/asm/kvm.h, written
 * out here).
 */
#ifndef GT_LINUX_LKVM_H
#define GT_LINUX_LKVM_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define SYS_IOCTL 29
#define SYS_OPENAT 56
#define SYS_WRITE 64
#define SYS_EXIT 93
#define SYS_EXIT_GROUP 94
#define AT_FDCWD (-100L)
#define O_RDWR 2
#define O_CLOEXEC 02000000

/* _IOC(dir, 0xAE, nr, size): dir 1 write, 2 read */
#define KVMIO(dir, nr, size)                                                   \
	(((u64)(dir) << 30) | ((u64)(size) << 16) | (0xAEUL << 8) | (nr))
#define KVM_CREATE_VM KVMIO(0, 0x01, 0)
#define KVM_CREATE_VCPU KVMIO(0, 0x41, 0)
#define KVM_GET_ONE_REG KVMIO(1, 0xab, 16)
#define KVM_SET_ONE_REG KVMIO(1, 0xac, 16)
#define KVM_ARM_VCPU_INIT KVMIO(1, 0xae, 32)
#define KVM_ARM_PREFERRED_TARGET KVMIO(2, 0xaf, 32)

struct one_reg {
	u64 id, addr;
};
struct vcpu_init {
	u32 target, features[7];
};

/* a system call: x8 the number, x0-x5 the arguments, x0 the result */
static long sys(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

static inline long ioctl(long fd, u64 req, void *arg)
{
	return sys(SYS_IOCTL, fd, (long)req, (long)arg, 0, 0, 0);
}

static void out(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	sys(SYS_WRITE, 1, (long)s, (long)n, 0, 0, 0);
}

static void out_num(u64 v, unsigned base)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16) {
		buf[--i] = 'x';
		buf[--i] = '0';
	}
	out(&buf[i]);
}

/* the whole process ends (every thread) with status */
static __attribute__((noreturn)) void quit(long status)
{
	sys(SYS_EXIT_GROUP, status, 0, 0, 0, 0, 0);
	for (;;)
		;
}

/* a system call's result, or "PROG: error: WHAT ERRNO" and exit status 1
 * (raw system calls return -errno, -4095..-1) */
static __attribute__((unused)) long must_prog(const char *prog, long r,
					      const char *what)
{
	if (r < 0 && r > -4096) {
		out(prog);
		out(": error: ");
		out(what);
		out(" ");
		out_num((u64)-r, 10);
		out("\n");
		quit(1);
	}
	return r;
}

#endif
