# hypnest: `make run` boots the demo, `make test` runs every test.
# Both first run scripts/setup.sh, which installs what is missing.

CROSS     ?= aarch64-linux-gnu-
TOOLCHAIN ?= gcc
BUILD     ?= build
PYTHON    ?= /usr/bin/python3
QEMU      ?= qemu-system-aarch64
SMP       ?= 2
NESTED    ?= 0
# NESTED=1: L1 needs room for L2's RAM as well as its own (below)
MEM       ?= $(if $(filter 1,$(NESTED)),2G,1G)
APPEND    ?=

ifeq ($(TOOLCHAIN),clang)
CC := clang --target=aarch64-none-elf
CC_INC := $(shell clang -print-resource-dir)/include
else
CC := $(CROSS)gcc
CC_INC := $(shell $(CROSS)gcc -print-file-name=include)
endif
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
READELF := $(CROSS)readelf
LIBFDT  := /usr/lib/aarch64-linux-gnu/libfdt.a
LIBGCC   = $(shell $(CROSS)gcc -print-libgcc-file-name)

# -mgeneral-regs-only: hypnest's own code never touches FP/SIMD registers,
#   so it cannot clobber a guest's (PLATFORM.md).
# -mstrict-align: early boot runs with the MMU off, where every access is
#   Device memory and an unaligned one faults.
# -mno-outline-atomics: no calls into libgcc's atomics helpers.
CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-ffreestanding -fno-common -fno-stack-protector -fpie -fno-strict-aliasing \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-march=armv8.2-a -nostdinc -Iinclude -isystem include/libc -isystem $(CC_INC) \
	-MMD -MP -DCONFIG_SEMIHOSTING
ASFLAGS := -Iinclude -march=armv8.2-a -MMD -MP
LDFLAGS := -pie --no-dynamic-linker -z text -z norelro -z max-page-size=4096 \
	--build-id=none -nostdlib

ifeq ($(TEST_HOOKS),1)
CFLAGS += -DTEST_HOOKS
endif

# one layer per folder (docs/architecture.md)
SRCS := $(wildcard hyp/*.c hyp/*.S mm/*.c sysreg/*.c vcpu/*.c vcpu/*.S nv/*.c vm/*.c)
OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(SRCS))
.DEFAULT_GOAL := all
# flags live here: a change to them rebuilds everything
$(OBJS): Makefile


.PHONY: all setup run run-bare debug test test-fast bench host-tests format \
	format-check clean

all: $(BUILD)/hypnest.bin

setup:
	@scripts/setup.sh

$(BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/hyp.ld: hyp/hyp.lds include/hyp/config.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc -E -P -x c -Iinclude -D__ASSEMBLER__ $< -o $@

# Only R_AARCH64_RELATIVE may remain: entry.S applies those and no other.
$(BUILD)/hypnest.elf: $(OBJS) $(BUILD)/hyp.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -T $(BUILD)/hyp.ld -o $@ $(OBJS) $(LIBFDT) $(LIBGCC)
	@if $(READELF) -rW $@ | grep R_AARCH64 | grep -v R_AARCH64_RELATIVE; then \
		echo "error: $@ has dynamic relocations other than RELATIVE" >&2; \
		rm -f $@; exit 1; fi

$(BUILD)/hypnest.bin: $(BUILD)/hypnest.elf scripts/set-image-size.py
	$(OBJCOPY) -O binary $< $@.tmp
	scripts/set-image-size.py $@.tmp $< $(CROSS)nm
	mv $@.tmp $@

QEMU_MACHINE := -M virt,virtualization=on,gic-version=3 -cpu max
QEMU_HYP = $(QEMU) $(QEMU_MACHINE) -smp $(SMP) -m $(MEM) -nodefaults \
	-display none -serial mon:stdio -semihosting-config enable=on,target=native \
	-kernel $(BUILD)/hypnest.bin
QEMU_CMD = $(QEMU_HYP) -append "$(APPEND)"

# The demo guest: Debian's Linux with the busybox initramfs
# (scripts/guest-assets.sh), staged in RAM by QEMU's loader where hypnest's
# command line says; hypnest copies them into the guest's own RAM.
ASSETS       ?= $(BUILD)/assets
# NESTED=1: three levels. The guest hypervisor L1 (L1_KERNEL) boots
# l1-initramfs.cpio, which holds QEMU and L2's kernel (L2_KERNEL) and
# initramfs; `run-l2` in L1's shell boots L2 with KVM on the same console
# (scripts/guest-assets.sh, docs/guest-assets.md).
ifeq ($(NESTED),1)
L1_KERNEL    ?= $(ASSETS)/Image-6.12
L2_KERNEL    ?= $(ASSETS)/Image-6.12
GUEST_KERNEL ?= $(L1_KERNEL)
GUEST_INITRD ?= $(if $(filter $(ASSETS)/Image-6.12,$(L2_KERNEL)),$(ASSETS)/l1-initramfs.cpio,$(BUILD)/nested/l1-initramfs-$(notdir $(L2_KERNEL)).cpio)
GUEST_MEM    ?= 1024
# above the L1 initramfs staged at INITRD_STAGE (~120 MB)
MODULE_STAGE ?= 0x80000000
endif
GUEST_KERNEL ?= $(ASSETS)/Image-6.12
GUEST_INITRD ?= $(ASSETS)/initramfs.cpio
GUEST_MEM    ?= 256
# The guest starts at virtual EL2 as a guest hypervisor (its KVM comes up):
# E2H=1 offers FEAT_VHE (Linux picks VHE), E2H=0 hides it (nVHE);
# GUEST_EL2=off starts it at EL1 as an ordinary guest.
E2H          ?= 1
GUEST_EL2    ?= $(if $(filter 0,$(E2H)),nvhe,vhe)
# panic=-1: a panicking guest resets at once (PSCI SYSTEM_RESET) instead
# of spinning, and hypnest reports its vCPUs and exits with status 4
GUEST_CMDLINE ?= console=ttyAMA0 earlycon rdinit=/init panic=-1
KERNEL_STAGE := 0x70000000
INITRD_STAGE := 0x74000000
size_of = $$(stat -c %s $(1))
RUN_APPEND = guest.kernel=$(KERNEL_STAGE):$(call size_of,$(GUEST_KERNEL)) \
	guest.initrd=$(INITRD_STAGE):$(call size_of,$(GUEST_INITRD)) \
	guest.mem=$(GUEST_MEM) guest.cpus=$(SMP) guest.el2=$(GUEST_EL2) \
	$(APPEND) -- $(GUEST_CMDLINE)

# Payloads for a guest hypervisor (multiboot modules): MODULES="kernel:FILE
# initrd:FILE ...", each staged by QEMU's -device guest-loader from
# MODULE_STAGE on (2 MiB apart), which describes it in /chosen of hypnest's
# DT; hypnest copies it into the guest's RAM and its guest's /chosen
# (README, "Guest hypervisors with payloads"). MODULE_ARGS: the kernel
# modules' bootargs (no double quotes; commas are doubled for QEMU here).
MODULES      ?=
MODULE_ARGS  ?=
MODULE_STAGE ?= 0x78000000
comma := ,
MODULE_ARGS_Q = $(subst $(comma),$(comma)$(comma),$(MODULE_ARGS))

# Linux under hypnest, its console on this terminal (Ctrl-A X quits QEMU);
# `poweroff` in the guest ends the run with status 0
run: setup all
	@scripts/guest-assets.sh
ifneq ($(filter $(abspath $(ASSETS)/Image-7),$(abspath $(GUEST_KERNEL) $(L2_KERNEL))),)
	@scripts/guest-assets.sh Image-7
endif
ifeq ($(NESTED),1)
	@scripts/guest-assets.sh --l1-initramfs $(L2_KERNEL) $(GUEST_INITRD)
endif
	@set --; addr=$$(($(MODULE_STAGE))); \
	for m in $(MODULES); do \
		kind=$${m%%:*}; file=$${m#*:}; args=; \
		case $$kind in \
		kernel) [ -z "$(MODULE_ARGS_Q)" ] || \
			args=",bootargs=$(MODULE_ARGS_Q)";; \
		initrd) ;; \
		*) echo "MODULES: $$m: expected kernel:FILE or initrd:FILE" >&2; \
			exit 1;; \
		esac; \
		[ -f "$$file" ] || { echo "MODULES: $$file: no such file" >&2; \
			exit 1; }; \
		set -- "$$@" -device \
			"guest-loader,addr=$$(printf 0x%x $$addr),$$kind=$$file$$args"; \
		addr=$$(( (addr + $$(stat -c %s "$$file") + 0x1fffff) / \
			0x200000 * 0x200000 )); \
	done; \
	set -x; $(QEMU_HYP) \
		-device loader,file=$(GUEST_KERNEL),addr=$(KERNEL_STAGE),force-raw=on \
		-device loader,file=$(GUEST_INITRD),addr=$(INITRD_STAGE),force-raw=on \
		"$$@" -append "$(RUN_APPEND)"

# hypnest alone: boots, reports, exits
run-bare: setup all
	$(QEMU_CMD)

debug: setup all
	@echo "QEMU waits for gdb on :1234. In another terminal:"
	@echo "  gdb-multiarch $(BUILD)/hypnest.elf -ex 'target remote :1234'"
	$(QEMU_CMD) -s -S

# host build of the arch-independent code, for the unit tests
HOST_CC     ?= gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Iharness/unit \
	-fsanitize=address,undefined -fno-sanitize-recover=all
HOST_LIBFDT := /usr/lib/$(shell uname -m)-linux-gnu/libfdt.so.1
HOST_COMMON := harness/unit/unit_main.c harness/unit/fake_arch.c hyp/fmt.c
HOST_TESTS  := test_palloc test_pgtable test_fmt test_log test_dt \
	test_bootargs test_features test_libc test_guest_image \
	test_vgic test_guest_dt
# per-subsystem fragments: each adds its tests to HOST_TESTS and their sources
include $(wildcard harness/unit/*.mk)
HOST_BINS   := $(addprefix $(BUILD)/host/,$(HOST_TESTS))

$(BUILD)/host/test_palloc: mm/palloc.c
$(BUILD)/host/test_pgtable: mm/pgtable.c
$(BUILD)/host/test_pgtable: HOST_EXTRA := -DPT_TEST_HOOKS
$(BUILD)/host/test_fmt:
$(BUILD)/host/test_log: hyp/log.c
$(BUILD)/host/test_dt: hyp/dt.c harness/unit/dtc.c
$(BUILD)/host/test_bootargs: hyp/bootargs.c
$(BUILD)/host/test_features: hyp/features.c
$(BUILD)/host/test_libc: hyp/libc.c
$(BUILD)/host/test_libc: HOST_EXTRA := -include harness/unit/rename_libc.h
$(BUILD)/host/test_dt: HOST_EXTRA := $(HOST_LIBFDT)
$(BUILD)/host/test_guest_image: vm/guest_image.c
$(BUILD)/host/test_guest_dt: vm/guest_dt.c harness/unit/dtc.c
$(BUILD)/host/test_guest_dt: HOST_EXTRA := $(HOST_LIBFDT)
$(BUILD)/host/test_vgic: vcpu/vgic.c vcpu/vgic_lr.c

$(HOST_BINS): $(BUILD)/host/%: harness/unit/%.c $(HOST_COMMON) $(wildcard include/hyp/*.h harness/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(filter %.c,$(filter-out $<,$^)) $(HOST_EXTRA)

host-tests: $(HOST_BINS)

# test assets the harness boots (boot shim for arbitrary x0)
# (x0-<hex>.elf enters hypnest's ELF at its link address with x0 = 0x<hex>)
$(BUILD)/shim/x0-%.elf: harness/shim/boot-shim.S include/hyp/config.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(ASFLAGS) -nostdlib -static -Wl,-N -Wl,-Ttext=0x40180000 \
		-Wl,--build-id=none -DSHIM_X0=0x$* -o $@ $<

# (poison.bin: an Image for -kernel that fills the EL2 registers hardware
# leaves UNKNOWN with junk, then enters hypnest's ELF; test_boot_state.py)
$(BUILD)/shim/poison.bin: harness/shim/poison-shim.S include/hyp/config.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(ASFLAGS) -nostdlib -static -Wl,-N -Wl,-Ttext=0x40080000 \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $(@:.bin=.elf) $<
	$(OBJCOPY) -O binary $(@:.bin=.elf) $@

FORMAT_SRCS = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_SRCS)

format-check:
	@scripts/check-format.sh $(FORMAT_SRCS)

test: setup
	$(PYTHON) -m pytest -c harness/pytest.ini harness

test-fast: setup
	$(PYTHON) -m pytest -c harness/pytest.ini -m "not slow" harness

bench: setup all
	$(PYTHON) harness/bench.py

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# bare-metal guest tests (guest-tests/): each an arm64 Image
GT_NAMES  := $(basename $(notdir $(wildcard guest-tests/*.c)))
GT_BINS   := $(addprefix $(BUILD)/guest-tests/,$(addsuffix .bin,$(GT_NAMES)))
GT_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-pie \
	-fno-stack-protector -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -nostdinc -Iinclude -isystem include/libc \
	-isystem $(CC_INC) -Iguest-tests/lib
GT_LIB    := guest-tests/lib/start.S guest-tests/lib/gt.c hyp/fmt.c hyp/libc.c

$(BUILD)/guest-tests/%.elf: guest-tests/%.c $(GT_LIB) $(wildcard guest-tests/lib/*.h) guest-tests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	@$(CROSS)gcc $(GT_CFLAGS) -nostdlib -static -no-pie \
		-Wl,-T,guest-tests/lib/guest.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-o $@ $< $(GT_LIB) $(LIBGCC)

# a variant that includes another test's source
$(BUILD)/guest-tests/crash_vel0_host.elf: guest-tests/crash.c

$(BUILD)/guest-tests/%.bin: $(BUILD)/guest-tests/%.elf
	@$(OBJCOPY) -O binary $< $@

guest-tests: $(GT_BINS)
.PHONY: guest-tests

# programs for a Linux guest's userspace (guest-tests/linux/), static and
# freestanding, in an initramfs overlay harness/test_linux.py appends to the
# guest assets' initramfs (each at /<name>)
LT_NAMES := $(basename $(notdir $(wildcard guest-tests/linux/*.c)))
LT_BINS  := $(addprefix $(BUILD)/linux-tests/,$(LT_NAMES))
$(BUILD)/linux-tests/%: guest-tests/linux/%.c guest-tests/linux/lkvm.h
	@mkdir -p $(dir $@)
	@echo "  LINUX   $@"
	@$(CROSS)gcc -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding \
		-fno-stack-protector -nostdlib -static -o $@ $<
$(BUILD)/linux-tests/overlay.cpio: $(LT_BINS)
	@cd $(dir $@) && printf '%s\n' $(LT_NAMES) | \
		cpio -o -H newc -R 0:0 --quiet > overlay.cpio
linux-tests: $(BUILD)/linux-tests/overlay.cpio
.PHONY: linux-tests
