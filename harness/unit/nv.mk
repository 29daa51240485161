# nv/ (virtual EL2) host builds: unit tests and the nvmap tool that
# harness/test_nv_map.py drives. Included by the top Makefile.
NV_HOST_SRCS := nv/el2_map.c nv/el2_translate.c nv/sysreg_access.c \
	nv/eret.c nv/exception.c nv/forward.c nv/ich_status.c nv/ich_nested.c \
	nv/debug.c nv/hcr.c nv/el2_hw.c nv/level.c vcpu/stats.c hyp/log.c \
	sysreg/table.c \
	harness/unit/fake_sysregs.c
NV_HOST_DEPS := include/arch/vncr.h include/arch/sysreg_enc.h \
	include/hyp/nv.h include/hyp/nv_hcr.h include/hyp/nv_state.h \
	include/hyp/sysregs.def include/hyp/sysreg_table.h \
	include/hyp/el2_hw.h include/hyp/nv_ich.h \
	harness/unit/fake_sysregs.h

HOST_TESTS += test_nv_map test_nv_access test_nv_eret test_nv_forward \
	test_sysreg_table test_nv_ich test_nv_debug test_nv_hcr
$(BUILD)/host/test_nv_map: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
$(BUILD)/host/test_nv_access: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
# the GIC status registers (nv/ich_status.c)
$(BUILD)/host/test_nv_ich: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
# the nested vGIC: a guest hypervisor's virtual interface loaded and
# folded back (nv/ich_nested.c)
HOST_TESTS += test_nv_ich_nested
$(BUILD)/host/test_nv_ich_nested: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
# self-hosted debug at vEL2 (nv/debug.c)
$(BUILD)/host/test_nv_debug: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
# the emulated ERET and exception entry into vEL2 (nv/eret.c, exception.c)
$(BUILD)/host/test_nv_eret: $(NV_HOST_SRCS) $(NV_HOST_DEPS) include/arch/esr.h \
		vcpu/inject.c

# build/host/nvmap: reads commands on stdin (harness/unit/nvmap.c)
$(BUILD)/host/nvmap: harness/unit/nvmap.c $(NV_HOST_SRCS) $(NV_HOST_DEPS) \
		hyp/fmt.c harness/unit/fake_arch.c \
		$(wildcard include/hyp/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

host-tests: $(BUILD)/host/nvmap
$(BUILD)/host/test_nv_forward: $(NV_HOST_SRCS) $(NV_HOST_DEPS) include/arch/esr.h
# the register table: lookup by encoding, trap groups (sysreg/table.c)
$(BUILD)/host/test_sysreg_table: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
# the guest's HCR_EL2 bit by bit, and the real one (nv/hcr.c)
$(BUILD)/host/test_nv_hcr: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
# the real EL2 registers for the level, the CNTHCTL/CPTR/MDCR traps
HOST_TESTS += test_nv_el2_hw
$(BUILD)/host/test_nv_el2_hw: $(NV_HOST_SRCS) $(NV_HOST_DEPS) include/arch/esr.h
# the per-level exit accounting and its episodes (vcpu/stats.c, nv/level.c)
HOST_TESTS += test_stats
$(BUILD)/host/test_stats: $(NV_HOST_SRCS) $(NV_HOST_DEPS) include/arch/esr.h \
	include/hyp/stats.h
