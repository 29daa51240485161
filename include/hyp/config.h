/* Build-wide constants shared by C, assembly and the linker script. */
#ifndef HYP_CONFIG_H
#define HYP_CONFIG_H

/*
 * Link address: RAM base of QEMU virt (0x40000000) + 2 MiB. The image is
 * position independent and relocates itself, so this is only where an ELF
 * loader puts it; an Image loader may put it anywhere 4 KiB aligned.
 */
#define HYP_LINK_BASE 0x40200000
#define HYP_TEXT_OFFSET 0x200000

#define MAX_CPUS 8
#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)
#define STACK_PAGES 4
#define STACK_SIZE (STACK_PAGES * PAGE_SIZE)
/* each CPU's stack is preceded by one unmapped guard page */
#define STACK_SLOT (STACK_SIZE + PAGE_SIZE)

/* Least RAM hypnest accepts: itself plus room for one small guest. */
#define MIN_RAM_MB 128

/* Exit statuses reported through semihosting (docs/architecture.md). */
#define EXIT_OK 0
#define EXIT_CONFIG 1	/* bad DT, missing hardware, too little memory */
#define EXIT_WRONG_EL 2 /* not entered at EL2 */
#define EXIT_PANIC 3	/* unexpected exception in the hypervisor */
/* the guest ended other than by SYSTEM_OFF: it asked for a reset (PSCI
 * SYSTEM_RESET/SYSTEM_RESET2, e.g. Linux's panic=N; hypnest does not
 * restart guests) or took a fatal SError; every vCPU's state is printed */
#define EXIT_GUEST_CRASH 4

#endif
