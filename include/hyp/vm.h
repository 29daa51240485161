/* A virtual machine: its stage-2, RAM, vCPUs (vm/vm.c), and the guest
 * configuration read from hypnest's command line (vm/guest_config.c). */
#ifndef HYP_VM_H
#define HYP_VM_H
#include "hyp/dt.h"
#include "hyp/palloc.h"
#include "hyp/pgtable.h"
#include "hyp/shadow_s2.h"
#include "hyp/vcpu.h"
#include "hyp/vgic.h"
#include "hyp/vpl011.h"

/* guest-physical RAM base, as on QEMU virt, so the guest's view matches */
#define GUEST_RAM_IPA 0x40000000UL
#define GUEST_DEFAULT_MEM_MB 256

/*
 * hypnest's command line (/chosen/bootargs) describing the guest:
 *   guest.kernel=<addr>:<size>   an arm64 Image QEMU loaded at addr
 *                                (-device loader,file=...,addr=...)
 *   guest.initrd=<addr>:<size>   optional initramfs
 *   guest.mem=<MiB>              guest RAM (default 256)
 *   guest.cpus=<n>               vCPUs (default: every CPU online)
 *   guest.el2=off|nvhe|vhe       start at EL1 (default) or virtual EL2
 *   -- <words>                   everything after " -- ": the guest's
 *                                command line
 */
/* guest.el2=off|nvhe|vhe: where the guest starts. nvhe/vhe: at virtual
 * EL2 (FEAT_NV2 needed, else EL1 with a log line saying why), offered as a
 * guest hypervisor with FEAT_VHE hidden (nvhe) or visible (vhe). */
enum guest_el2 { GUEST_EL2_OFF, GUEST_EL2_NVHE, GUEST_EL2_VHE };
/* guest.s2=pages|blocks: the stage-2 leaves of guest RAM, 4 KiB pages or
 * 2 MiB blocks (vm/guest_ram.c says when each is the better); absent:
 * chosen for the CPU (AUTO) */
enum guest_s2 { GUEST_S2_AUTO, GUEST_S2_PAGES, GUEST_S2_BLOCKS };

struct guest_config {
	bool present;
	paddr_t kernel, initrd;
	uint64_t kernel_size, initrd_size;
	uint64_t mem_mb;
	unsigned ncpus;	    /* 0: default */
	enum guest_el2 el2; /* guest.el2= */
	enum guest_s2 s2;   /* guest.s2= */
	char cmdline[256];
};
/* "off", "nvhe", "vhe" */
const char *guest_el2_name(enum guest_el2 e);
int guest_config_parse(const char *bootargs, struct guest_config *c, char *err,
		       size_t errlen);

/*
 * What the vCPU layers (vcpu/, nv/) ask of the VM that runs them: the VM's
 * own functions (vm/vm.c), installed in struct vm by vm_create, so that
 * calls between the layers go downwards only: the VM calls its vCPUs, the
 * vCPUs reach the VM through these (docs/architecture.md, "Layers").
 */
/* an emulated MMIO access's result (mmio) */
#define VM_MMIO_HANDLED 0
#define VM_MMIO_NOT_MINE 1
#define VM_MMIO_BAD 2
struct vm_ops {
	/* An emulated MMIO access of `size` bytes (1, 2, 4, 8); reads fill
	 * *val. VM_MMIO_HANDLED, VM_MMIO_NOT_MINE (no device there) or
	 * VM_MMIO_BAD (a device there refuses the access): the caller
	 * injects an abort. */
	int (*mmio)(struct vcpu *v, paddr_t ipa, bool write, unsigned size,
		    uint64_t *val);
	/* the device names of the MMIO counters (VCPU_MMIO_DEVS) */
	const char *const *mmio_names;
	bool (*ipa_is_ram)(struct vm *vm, uint64_t ipa);
	/* hypnest's address of guest RAM at ipa, its block zeroed and
	 * mapped in vm->s2 now if it was not yet (vm/guest_ram.c); NULL if
	 * not RAM. Every access to guest RAM goes through this; a stage-2
	 * translation fault there is answered by it. */
	void *(*ram_ptr)(struct vm *vm, uint64_t ipa);
	struct vcpu *(*vcpu_by_mpidr)(struct vm *vm, uint64_t mpidr);
	/* a vCPU (re)starts on its CPU: the base values of its EL2 registers
	 * (include/hyp/el2_hw.h), rewritten at its next entry; stale TLB
	 * entries gone */
	void (*enter_prepare)(struct vcpu *v);
	/* move received bytes from the physical UART to the guest's */
	void (*uart_rx)(struct vm *vm);
	/* the guest is done (SYSTEM_OFF): counters, exit */
	NORETURN void (*stop)(struct vm *vm, struct vcpu *by, const char *why);
	/* the guest ended otherwise (a reset, a fatal SError; kind: by's
	 * exit, enum exit_kind): every vCPU's state, counters, exit with
	 * EXIT_GUEST_CRASH */
	NORETURN void (*crash)(struct vm *vm, struct vcpu *by, unsigned kind,
			       const char *why);
};

struct vm {
	const struct vm_ops *ops;
	struct pgtable s2;
	uint64_t vtcr, vttbr, hcr;
	unsigned vmid;
	/* the guest starts at virtual EL2 (guest.el2= and FEAT_NV2): its vEL2
	 * context runs with its own VMID, so the TLB entries of the guest
	 * hypervisor's own mappings and of its vEL1 never meet */
	bool nested;
	enum guest_el2 el2;
	unsigned vmid_vel2;
	uint64_t vttbr_vel2;
	/* the guest hypervisor's own VMs (L2, nv/l2.c): their shadow stage
	 * 2s, a real VMID for each slot and the VTTBR_EL2 that runs it */
	struct shadow_s2_pool shadow;
	unsigned shadow_vmid[SHADOW_S2_SLOTS];
	uint64_t shadow_vttbr[SHADOW_S2_SLOTS];
	struct palloc *pages; /* hypnest's page allocator */
	/* it has run an L2: its host regime's TLBIs trap (nv/hcr.c) */
	volatile bool l2_ran;
	paddr_t ram_ipa;
	uint64_t ram_size;
	/* guest RAM's 2 MiB blocks in use so far, each zeroed at its first
	 * use (vm/guest_ram.c) */
	unsigned ram_blocks_used;
	/* each block mapped at stage 2 as 512 pages, not one block
	 * (guest.s2, vm/vm.c choose_s2) */
	bool ram_pages;
	paddr_t ram_tables;	 /* then: one page per block, for its table */
	uint64_t ram_fill_ticks; /* counter ticks spent zeroing them */
	/* of them, the staged images' own blocks, mapped where they were
	 * staged (vm/guest_ram.c adopt) */
	unsigned ram_blocks_staged;
	struct vcpu *vcpu[MAX_CPUS];
	unsigned ncpus;
	struct vgic vgic;
	struct vpl011 uart;	 /* the guest's console, emulated */
	spinlock_t uart_rx_lock; /* the physical UART's receive side */
	/* physical INTIDs (the DT's), the same numbers the guest sees */
	unsigned timer_intid[DT_TIMER_COUNT];
	unsigned maint_intid, uart_intid;
	/* the guest's end is under way (ops->stop or ops->crash, claimed
	 * once, vm/vm.c): every vCPU parks at its next exit and, in a crash
	 * report, prints its state when report_turn is its id + 1 and it
	 * has set REPORT_TAKEN there, then sets report_done to its id + 1
	 * (vcpu/report.c); the reporter withdraws a turn not taken in time */
	volatile bool stopping;
	unsigned report_turn, report_done;
};
#define REPORT_TAKEN (1U << 31)

/* builds the VM or ends the run with a clear message */
struct vm *vm_create(const struct guest_config *c, const struct dt_info *dt,
		     const void *host_fdt, unsigned cpus_online,
		     struct palloc *pa);
/* vCPU 0 starts at the kernel; the caller's CPU runs vCPU cpu_id */
NORETURN void vm_run_cpu(struct vm *vm, unsigned cpu_id);
extern struct vm *volatile the_vm;

#endif
