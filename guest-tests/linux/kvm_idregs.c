/*
 * A Linux program for a guest hypervisor's userspace (harness/test_linux.py
 * puts it in the initramfs as /kvm-idregs): what a VMM does to save and
 * restore a vCPU's ID registers. It creates a VM and a vCPU through
 * /dev/kvm, lists the vCPU's registers (KVM_GET_REG_LIST) and, for each
 * register of the ID space (op0 3, op1 0, CRn 0, CRm 1..7), reads it
 * (KVM_GET_ONE_REG) and writes the value read back (KVM_SET_ONE_REG). KVM
 * refuses a value its own view of the CPU does not allow (issue 10, defect
 * 16: ID_DFR0_EL1 with hypnest's AArch32 ID registers reading 0 while
 * AArch32 was advertised). Prints one line per refusal and
 *	kvm-idregs: <n> ID registers restored, <m> refused
 * or "kvm-idregs: error: <what> <errno>". The VM never runs.
 *
 * Freestanding: lkvm.h (raw system calls, the KVM ABI), as kvm_run.c.
 */
#include "lkvm.h"

#define KVM_GET_REG_LIST KVMIO(3, 0xb0, 8)

/* register ids: KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |
 * op0 [15:14] op1 [13:11] CRn [10:7] CRm [6:3] op2 [2:0] */
#define REG_SYSREG_U64                                                         \
	(0x6000000000000000UL | 0x0030000000000000UL | 0x130000UL)
#define REG_IS_SYSREG(id) (((id) & ~0xffffUL) == REG_SYSREG_U64)
#define OP0(id) (((id) >> 14) & 3)
#define OP1(id) (((id) >> 11) & 7)
#define CRN(id) (((id) >> 7) & 15)
#define CRM(id) (((id) >> 3) & 15)
#define OP2(id) ((id)&7)

#define MAX_REGS 4096
static struct {
	u64 n, reg[MAX_REGS];
} list;

static long must(long r, const char *what)
{
	return must_prog("kvm-idregs", r, what);
}

static __attribute__((used)) void run(void)
{
	struct vcpu_init init = { 0 };
	long kvm, vm, vcpu;
	unsigned done = 0, refused = 0;

	kvm = must(sys(SYS_OPENAT, AT_FDCWD, (long)"/dev/kvm",
		       O_RDWR | O_CLOEXEC, 0, 0, 0),
		   "open /dev/kvm");
	vm = must(ioctl(kvm, KVM_CREATE_VM, 0), "KVM_CREATE_VM");
	vcpu = must(ioctl(vm, KVM_CREATE_VCPU, 0), "KVM_CREATE_VCPU");
	must(ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init),
	     "KVM_ARM_PREFERRED_TARGET");
	must(ioctl(vcpu, KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT");
	list.n = MAX_REGS;
	must(ioctl(vcpu, KVM_GET_REG_LIST, &list), "KVM_GET_REG_LIST");
	for (u64 i = 0; i < list.n; i++) {
		u64 id = list.reg[i], val = 0;
		struct one_reg r = { id, (u64)&val };
		long e;

		if (!REG_IS_SYSREG(id) || OP0(id) != 3 || OP1(id) != 0 ||
		    CRN(id) != 0 || CRM(id) < 1 || CRM(id) > 7)
			continue;
		must(ioctl(vcpu, KVM_GET_ONE_REG, &r), "KVM_GET_ONE_REG");
		e = ioctl(vcpu, KVM_SET_ONE_REG, &r);
		done++;
		if (e == 0)
			continue;
		refused++;
		out("kvm-idregs: refused: CRm ");
		out_num(CRM(id), 10);
		out(" op2 ");
		out_num(OP2(id), 10);
		out(" value ");
		out_num(val, 16);
		out(" errno ");
		out_num((u64)-e, 10);
		out("\n");
	}
	out("kvm-idregs: ");
	out_num(done - refused, 10);
	out(" ID registers restored, ");
	out_num(refused, 10);
	out(" refused\n");
	quit(0);
}

/* the kernel enters with sp set, nothing else needed */
__asm__(".global _start\n_start:\n bl run\n");
