/*
 * A Linux program for a guest hypervisor's userspace (harness/test_linux_kvm.py
 * puts it in the initramfs as /kvm_run): the smallest VMM that runs a VM.
 * Through /dev/kvm it creates a VM with one memory slot holding a few
 * instructions of guest code, two vCPUs (PSCI 0.2 and later), and runs them
 * with KVM_RUN through each kind of exit a VMM handles:
 *  - vCPU 1 stores a marker to an IPA no slot maps: KVM_EXIT_MMIO (write);
 *  - vCPU 0 stores a word there (KVM_EXIT_MMIO write: address, length,
 *    data), loads one (KVM_EXIT_MMIO read: this program supplies the value)
 *    and stores what it got back (the load completed into the register the
 *    program reads with KVM_GET_ONE_REG, and the store shows it again);
 *  - vCPU 0 loads a seed the program put in the slot's memory and stores
 *    a value derived from it to another page of the slot: the program reads
 *    it through its own mapping of the slot (stage 2 translates the IPA to
 *    the right place, in both directions);
 *  - vCPU 0 calls PSCI_VERSION with an HVC, which KVM answers itself, and
 *    stores x0 to MMIO: it must be the PSCI version KVM reports for the VM
 *    (its firmware pseudo-register), 1.0 or later;
 *  - vCPU 1 runs again (re-entry into a second vCPU after the first ran):
 *    a store to the slot and another MMIO write;
 *  - both vCPUs at once, from two threads pinned to CPUs 0 and 1: each
 *    stores a round number to its word of RAM and to MMIO, AT_ONCE times
 *    (the guest hypervisor's CPUs run the same stage 2 at the same time);
 *  - vCPU 0 calls PSCI SYSTEM_OFF: KVM_EXIT_SYSTEM_EVENT, SHUTDOWN.
 * Prints one line per check ("kvm-run: ok ..." or "kvm-run: FAIL ...") and
 * last "KVM_RUN: PASS" (exit 0) or "KVM_RUN: FAIL <first failed check>"
 * (exit 1). An alarm ends it with "KVM_RUN: FAIL timeout <step>" if a
 * KVM_RUN never comes back.
 *
 * Freestanding: lkvm.h (raw system calls, the KVM ABI's numbers and
 * layouts both programs use); the rest of the ABI it needs is below.
 */
#include "lkvm.h"

#define SYS_SCHED_SETAFFINITY 122
#define SYS_CLONE 220
#define SYS_CLONE_S XS(SYS_CLONE)
#define SYS_SETITIMER 103
#define SYS_RT_SIGACTION 134
#define SYS_MMAP 222
#define PROT_RW 3
#define MAP_SHARED 0x01
#define MAP_PRIVATE_ANON 0x22
#define SIGALRM 14
#define ITIMER_REAL 0
#define TIMEOUT_S 120

#define KVM_GET_API_VERSION KVMIO(0, 0x00, 0)
#define KVM_GET_VCPU_MMAP_SIZE KVMIO(0, 0x04, 0)
#define KVM_SET_USER_MEMORY_REGION KVMIO(1, 0x46, 32)
#define KVM_RUN KVMIO(0, 0x80, 0)
#define KVM_API_VERSION 12
#define KVM_ARM_VCPU_PSCI_0_2 2

#define KVM_EXIT_MMIO 6
#define KVM_EXIT_SYSTEM_EVENT 24
#define KVM_SYSTEM_EVENT_SHUTDOWN 1

/* KVM_REG_ARM64 | KVM_REG_SIZE_U64, then the class: CORE indexes struct
 * kvm_regs in 32-bit words (x<n> at 2n, pc at 64), FW the firmware
 * pseudo-registers (0: PSCI version) */
#define REG_U64 0x6030000000000000UL
#define REG_CORE(word) (REG_U64 | 0x100000UL | (word))
#define REG_X(n) REG_CORE(2 * (n))
#define REG_PC REG_CORE(64)
#define REG_FW_PSCI_VERSION (REG_U64 | 0x140000UL)

/* the guest's physical layout: one slot of RAM, and an IPA no slot maps */
#define RAM_IPA 0x80000000UL
#define RAM_SIZE 0x10000UL
#define DATA_OFF 0x3000UL /* a page of its own, away from the code */
#define MMIO_IPA 0x10000000UL

/* what the guest code below does, in numbers the checks use */
#define V0_WORD 0x12345678UL	  /* vCPU 0's first MMIO store */
#define V0_READ 0xcafef00dUL	  /* what the program supplies to its load */
#define SEED 0x0123456789abcdefUL /* RAM_IPA + DATA_OFF + 8, set here */
#define SEED_XOR 0xa5a50000UL	  /* vCPU 0 stores SEED ^ this at + 0 */
#define V1_MARK 0xb1b2b3b4UL	  /* vCPU 1's MMIO marker, and to RAM */
#define PSCI_VERSION_FN 0x84000000UL
#define PSCI_SYSTEM_OFF_FN 0x84000008UL
#define AT_ONCE 2000 /* rounds of both vCPUs at once, one exit each */
#define S(x) #x
#define XS(x) S(x)
#define AT_ONCE_S XS(AT_ONCE) /* for the guest code */

/*
 * The guest code, copied to the start of the slot: vCPU 0 enters at
 * guest_v0, vCPU 1 at guest_v1 (both at EL1, MMU off: every data access is
 * Device-nGnRnE, D8.2.12.1, so each one here is aligned). The MMIO accesses
 * are loads and stores of one general-purpose register without writeback:
 * their stage-2 aborts carry a valid syndrome (ESR_EL2.ISV, D24.2.46), which
 * KVM needs to turn them into KVM_EXIT_MMIO. Constants in movz/movk, so the
 * code runs wherever it is copied. MMIO_IPA is 0x10000000, RAM_IPA +
 * DATA_OFF is 0x80003000 (the #defines above).
 */
__asm__(".section .rodata\n"
	".balign 4\n"
	".global guest_code, guest_v0, guest_v1, guest_end\n"
	"guest_code:\n"
	"guest_v0:\n"
	"	movz	x10, #0x1000, lsl #16\n" /* MMIO_IPA */
	"	movz	w2, #0x5678\n"
	"	movk	w2, #0x1234, lsl #16\n"
	"	str	w2, [x10]\n"	  /* MMIO write, 4 bytes */
	"	ldr	w3, [x10, #8]\n"  /* MMIO read, 4 bytes */
	"	str	w3, [x10, #16]\n" /* back, as it arrived */
	"	movz	x11, #0x3000\n"
	"	movk	x11, #0x8000, lsl #16\n" /* RAM_IPA + DATA_OFF */
	"	ldr	x5, [x11, #8]\n"	 /* SEED */
	"	movz	x6, #0xa5a5, lsl #16\n"
	"	eor	x5, x5, x6\n"
	"	str	x5, [x11]\n"
	/* SMCCC: the call returns in x0-x3 and keeps x4-x17 */
	"	movz	w0, #0x8400, lsl #16\n" /* PSCI_VERSION */
	"	hvc	#0\n"
	"	str	x0, [x10, #24]\n" /* MMIO write, 8 bytes */
	/* AT_ONCE rounds while vCPU 1 does the same on another CPU: the
	 * round number to the slot's RAM and to MMIO_IPA + 0x200 */
	"	mov	x12, #0\n"
	"	movz	x13, #" AT_ONCE_S "\n"
	"3:	add	x12, x12, #1\n"
	"	str	x12, [x11, #0x100]\n"
	"	str	x12, [x10, #0x200]\n"
	"	cmp	x12, x13\n"
	"	b.ne	3b\n"
	"	movz	w0, #0x0008\n"
	"	movk	w0, #0x8400, lsl #16\n" /* PSCI SYSTEM_OFF */
	"	hvc	#0\n"
	"1:	b	1b\n"
	"guest_v1:\n"
	"	movz	x1, #0x1000, lsl #16\n"
	"	movz	x2, #0xb3b4\n"
	"	movk	x2, #0xb1b2, lsl #16\n"
	"	str	x2, [x1, #0x100]\n" /* MMIO write, 8 bytes */
	"	movz	x4, #0x3000\n"
	"	movk	x4, #0x8000, lsl #16\n"
	"	str	x2, [x4, #16]\n"
	"	str	w2, [x1, #0x108]\n" /* MMIO write, 4 bytes */
	"	mov	x12, #0\n"
	"	movz	x13, #" AT_ONCE_S "\n"
	"4:	add	x12, x12, #1\n"
	"	str	x12, [x4, #0x108]\n"
	"	str	x12, [x1, #0x208]\n"
	"	cmp	x12, x13\n"
	"	b.ne	4b\n"
	"2:	wfi\n"
	"	b	2b\n"
	"guest_end:\n"
	".text\n");
extern const u32 guest_code[], guest_v0[], guest_v1[], guest_end[];

struct mem_region {
	u32 slot, flags;
	u64 guest_phys_addr, memory_size, userspace_addr;
};
/* struct kvm_run, the part an arm64 VMM reads */
struct kvm_run {
	u8 request_interrupt_window, immediate_exit, pad0[6];
	u32 exit_reason;
	u8 ready_for_interrupt_injection, if_flag;
	u16 flags;
	u64 cr8, apic_base;
	union {
		struct {
			u64 phys_addr;
			u8 data[8];
			u32 len;
			u8 is_write;
		} mmio;
		struct {
			u32 type, ndata;
			u64 data[16];
		} system_event;
		struct {
			u64 reason;
			u32 cpu;
		} fail_entry;
		struct {
			u32 suberror, ndata;
		} internal;
	};
};
struct kernel_sigaction {
	void (*handler)(int);
	u64 flags;
	void (*restorer)(void);
	u64 mask;
};

static const char *step = "start"; /* what runs now, for the alarm */
static const char *first_failure;  /* the verdict's reason */

static void fail_now(const char *what, long err)
{
	out("kvm-run: FAIL ");
	out(what);
	if (err) {
		out(" errno ");
		out_num((u64)-err, 10);
	}
	out("\nKVM_RUN: FAIL ");
	out(what);
	out("\n");
	quit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
	out("kvm-run: FAIL timeout in ");
	out(step);
	out("\nKVM_RUN: FAIL timeout ");
	out(step);
	out("\n");
	quit(1);
}

static long must(long r, const char *what)
{
	if (r < 0)
		fail_now(what, r);
	return r;
}

/* one check: its line, and the first failure kept for the verdict */
static void check(int ok, const char *what, u64 got, u64 want)
{
	out(ok ? "kvm-run: ok " : "kvm-run: FAIL ");
	out(what);
	if (!ok) {
		out(": got ");
		out_num(got, 16);
		out(" want ");
		out_num(want, 16);
		if (!first_failure)
			first_failure = what;
	}
	out("\n");
}

static u64 get_reg(long vcpu, u64 id)
{
	u64 val = 0;
	struct one_reg r = { id, (u64)&val };

	must(ioctl(vcpu, KVM_GET_ONE_REG, &r), "KVM_GET_ONE_REG");
	return val;
}

static void set_reg(long vcpu, u64 id, u64 val)
{
	struct one_reg r = { id, (u64)&val };

	must(ioctl(vcpu, KVM_SET_ONE_REG, &r), "KVM_SET_ONE_REG");
}

static u64 mmio_data(const struct kvm_run *run)
{
	u64 v = 0;

	for (u32 i = 0; i < run->mmio.len && i < 8; i++)
		v |= (u64)run->mmio.data[i] << (8 * i);
	return v;
}

/* KVM_RUN once; the exit must be `want`, else the run's verdict is FAIL */
static void run_to(long vcpu, struct kvm_run *run, u32 want, const char *what)
{
	step = what;
	must(ioctl(vcpu, KVM_RUN, 0), what);
	if (run->exit_reason == want)
		return;
	out("kvm-run: FAIL ");
	out(what);
	out(": exit reason ");
	out_num(run->exit_reason, 10);
	out(" (want ");
	out_num(want, 10);
	out("), data ");
	out_num(run->fail_entry.reason, 16);
	out(" ");
	out_num(run->fail_entry.cpu, 16);
	out(", pc ");
	out_num(get_reg(vcpu, REG_PC), 16);
	out("\n");
	fail_now(what, 0);
}

static void check_mmio(const struct kvm_run *run, const char *what, u64 addr,
		       u32 len, int is_write, u64 data)
{
	int ok = run->mmio.phys_addr == addr && run->mmio.len == len &&
		 !!run->mmio.is_write == is_write &&
		 (!is_write || mmio_data(run) == data);

	out(ok ? "kvm-run: ok " : "kvm-run: FAIL ");
	out(what);
	out(": MMIO ");
	out(run->mmio.is_write ? "write" : "read");
	out(" at ");
	out_num(run->mmio.phys_addr, 16);
	out(" len ");
	out_num(run->mmio.len, 10);
	if (run->mmio.is_write) {
		out(" data ");
		out_num(mmio_data(run), 16);
	}
	if (!ok) {
		out(" (want ");
		out(is_write ? "write" : "read");
		out(" at ");
		out_num(addr, 16);
		out(" len ");
		out_num(len, 10);
		if (is_write) {
			out(" data ");
			out_num(data, 16);
		}
		out(")");
		if (!first_failure)
			first_failure = what;
	}
	out("\n");
}

/* what the guest stored through its Device (MMU off) mapping is in memory:
 * drop any line of this mapping's cache that could hide it (EL0 may clean
 * and invalidate by VA: Linux sets SCTLR_EL1.UCI, D24.2.175) */
static u64 read_guest_ram(volatile u64 *p)
{
	__asm__ volatile("dc civac, %0\n dsb sy" : : "r"(p) : "memory");
	return *p;
}

/*
 * Both vCPUs at once, each on its own CPU (a thread for vCPU 1): AT_ONCE
 * rounds in which each stores the round number to its word of the slot's
 * RAM and to its MMIO address. The guest hypervisor's two CPUs run the
 * same VM's stage 2 at the same time. Each round's exit and RAM word are
 * checked; the first mismatch of each vCPU is printed.
 */
static struct at_once {
	long vcpu;
	struct kvm_run *run;
	volatile u64 *word;
	u64 mmio;
	volatile long bad, done;
	long pinned;
} side[2];
static char thread_stack[65536] __attribute__((aligned(16)));

static void rounds(struct at_once *a, int cpu)
{
	u64 mask = 1UL << cpu;

	a->pinned =
	    sys(SYS_SCHED_SETAFFINITY, 0, sizeof(mask), (long)&mask, 0, 0, 0);
	for (u64 i = 1; i <= AT_ONCE && !a->bad; i++) {
		long e = ioctl(a->vcpu, KVM_RUN, 0);

		if (e == 0 && a->run->exit_reason == KVM_EXIT_MMIO &&
		    a->run->mmio.phys_addr == a->mmio &&
		    a->run->mmio.is_write && mmio_data(a->run) == i &&
		    read_guest_ram(a->word) == i)
			continue;
		a->bad = (long)i;
		out("kvm-run: FAIL vcpu");
		out_num((u64)cpu, 10);
		out(" round ");
		out_num(i, 10);
		out(": KVM_RUN ");
		out_num((u64)-e, 10);
		out(" exit reason ");
		out_num(a->run->exit_reason, 10);
		out(" at ");
		out_num(a->run->mmio.phys_addr, 16);
		out(" data ");
		out_num(mmio_data(a->run), 16);
		out(" RAM ");
		out_num(*a->word, 16);
		out("\n");
	}
	__asm__ volatile("dmb ish" ::: "memory");
	a->done = 1;
}

static __attribute__((used, noreturn)) void thread_main(void)
{
	rounds(&side[1], 1);
	sys(SYS_EXIT, 0, 0, 0, 0, 0, 0); /* this thread only */
	for (;;)
		;
}

/* clone(CLONE_VM | FS | FILES | SIGHAND | THREAD | SYSVSEM, stack): the
 * new thread starts in thread_main on its own stack; the caller returns */
long start_thread(void *stack_top);
__asm__(".text\n"
	"start_thread:\n"
	"	mov	x1, x0\n"
	"	movz	x0, #0x0f00\n"
	"	movk	x0, #0x5, lsl #16\n"
	"	mov	x2, #0\n"
	"	mov	x3, #0\n"
	"	mov	x4, #0\n"
	"	mov	x8, #" SYS_CLONE_S "\n"
	"	svc	#0\n"
	"	cbz	x0, thread_main\n"
	"	ret\n");

static void at_once(long vcpu0, struct kvm_run *run0, long vcpu1,
		    struct kvm_run *run1, volatile u64 *data)
{
	side[0] =
	    (struct at_once){ vcpu0, run0, &data[0x20], MMIO_IPA + 0x200, 0,
			      0,     0 };
	side[1] =
	    (struct at_once){ vcpu1, run1, &data[0x21], MMIO_IPA + 0x208, 0,
			      0,     0 };
	step = "both vCPUs at once";
	must(start_thread(thread_stack + sizeof(thread_stack)),
	     "clone (a thread for vCPU 1)");
	rounds(&side[0], 0);
	while (!side[1].done)
		;
	__asm__ volatile("dmb ish" ::: "memory");
	check(side[0].pinned == 0 && side[1].pinned == 0,
	      "vCPU threads pinned to CPUs 0 and 1", (u64)side[1].pinned, 0);
	check(!side[0].bad && !side[1].bad,
	      "both vCPUs at once: " AT_ONCE_S " MMIO exits and RAM stores "
	      "each",
	      (u64)(side[0].bad ? side[0].bad : side[1].bad), 0);
}

static long new_vcpu(long vm, u32 id, const u32 *entry)
{
	struct vcpu_init init = { 0 };
	long vcpu = must(ioctl(vm, KVM_CREATE_VCPU, (void *)(u64)id),
			 "KVM_CREATE_VCPU");

	must(ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init),
	     "KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	must(ioctl(vcpu, KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT");
	set_reg(vcpu, REG_PC, RAM_IPA + (u64)(entry - guest_code) * 4);
	return vcpu;
}

static struct kvm_run *map_run(long vcpu, long size)
{
	long p = sys(SYS_MMAP, 0, size, PROT_RW, MAP_SHARED, vcpu, 0);

	if (p < 0 && p > -4096)
		fail_now("mmap kvm_run", p);
	return (struct kvm_run *)p;
}

static void arm_alarm(void)
{
	struct kernel_sigaction sa = { on_alarm, 0, 0, 0 };
	long timer[4] = { 0, 0, TIMEOUT_S, 0 }; /* interval, value */

	must(sys(SYS_RT_SIGACTION, SIGALRM, (long)&sa, 0, 8, 0, 0),
	     "rt_sigaction");
	must(sys(SYS_SETITIMER, ITIMER_REAL, (long)timer, 0, 0, 0, 0),
	     "setitimer");
}

static __attribute__((used)) void run(void)
{
	long kvm, vm, vcpu0, vcpu1, size, mem;
	struct kvm_run *run0, *run1;
	struct mem_region slot;
	volatile u64 *data;
	u64 psci;

	arm_alarm();
	kvm = must(sys(SYS_OPENAT, AT_FDCWD, (long)"/dev/kvm",
		       O_RDWR | O_CLOEXEC, 0, 0, 0),
		   "open /dev/kvm");
	check(ioctl(kvm, KVM_GET_API_VERSION, 0) == KVM_API_VERSION,
	      "KVM_GET_API_VERSION", (u64)ioctl(kvm, KVM_GET_API_VERSION, 0),
	      KVM_API_VERSION);
	size = must(ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
		    "KVM_GET_VCPU_MMAP_SIZE");
	vm = must(ioctl(kvm, KVM_CREATE_VM, 0), "KVM_CREATE_VM");

	/* the slot: the guest code at its start, the seed in the data page */
	mem = sys(SYS_MMAP, 0, RAM_SIZE, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
	if (mem < 0 && mem > -4096)
		fail_now("mmap guest RAM", mem);
	for (const u32 *s = guest_code; s < guest_end; s++)
		((volatile u32 *)mem)[s - guest_code] = *s;
	data = (volatile u64 *)(mem + DATA_OFF);
	data[1] = SEED;
	/* the guest's loads (MMU off) read memory, not this mapping's cache */
	__asm__ volatile("dc cvac, %0\n dsb sy" : : "r"(&data[1]) : "memory");
	slot = (struct mem_region){ 0, 0, RAM_IPA, RAM_SIZE, (u64)mem };
	must(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot),
	     "KVM_SET_USER_MEMORY_REGION");

	vcpu0 = new_vcpu(vm, 0, guest_v0);
	vcpu1 = new_vcpu(vm, 1, guest_v1);
	run0 = map_run(vcpu0, size);
	run1 = map_run(vcpu1, size);

	run_to(vcpu1, run1, KVM_EXIT_MMIO, "vcpu1 first run");
	check_mmio(run1, "vcpu1 MMIO write", MMIO_IPA + 0x100, 8, 1, V1_MARK);

	run_to(vcpu0, run0, KVM_EXIT_MMIO, "vcpu0 first run");
	check_mmio(run0, "vcpu0 MMIO write", MMIO_IPA, 4, 1, V0_WORD);

	run_to(vcpu0, run0, KVM_EXIT_MMIO, "vcpu0 run after MMIO write");
	check_mmio(run0, "vcpu0 MMIO read", MMIO_IPA + 8, 4, 0, 0);
	for (int i = 0; i < 8; i++)
		run0->mmio.data[i] = (u8)(V0_READ >> (8 * i));

	run_to(vcpu0, run0, KVM_EXIT_MMIO, "vcpu0 run after MMIO read");
	check(get_reg(vcpu0, REG_X(3)) == V0_READ, "MMIO read value in x3",
	      get_reg(vcpu0, REG_X(3)), V0_READ);
	check_mmio(run0, "vcpu0 MMIO write of the value read", MMIO_IPA + 16, 4,
		   1, V0_READ);

	run_to(vcpu0, run0, KVM_EXIT_MMIO, "vcpu0 run to PSCI_VERSION");
	psci = get_reg(vcpu0, REG_FW_PSCI_VERSION);
	check_mmio(run0, "vcpu0 MMIO write of PSCI_VERSION's x0", MMIO_IPA + 24,
		   8, 1, psci);
	check(get_reg(vcpu0, REG_X(0)) == psci,
	      "PSCI_VERSION x0 is the VM's PSCI version",
	      get_reg(vcpu0, REG_X(0)), psci);
	check(psci >> 16 >= 1 && psci >> 32 == 0,
	      "PSCI version is 1.0 or later", psci, 0x10000);
	check(read_guest_ram(&data[0]) == (SEED ^ SEED_XOR),
	      "guest RAM store seen through the slot", data[0],
	      SEED ^ SEED_XOR);

	run_to(vcpu1, run1, KVM_EXIT_MMIO, "vcpu1 second run");
	check_mmio(run1, "vcpu1 second MMIO write", MMIO_IPA + 0x108, 4, 1,
		   V1_MARK);
	check(read_guest_ram(&data[2]) == V1_MARK,
	      "vcpu1 RAM store seen through the slot", data[2], V1_MARK);

	at_once(vcpu0, run0, vcpu1, run1, data);

	run_to(vcpu0, run0, KVM_EXIT_SYSTEM_EVENT, "vcpu0 run to SYSTEM_OFF");
	check(run0->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN,
	      "PSCI SYSTEM_OFF is a SHUTDOWN system event",
	      run0->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);

	if (first_failure) {
		out("KVM_RUN: FAIL ");
		out(first_failure);
		out("\n");
		quit(1);
	}
	out("KVM_RUN: PASS\n");
	quit(0);
}

/* the kernel enters with sp set, nothing else needed */
__asm__(".global _start\n_start:\n bl run\n");
