# nv/ (virtual EL2) host builds: unit tests and the nvmap tool that
# harness/test_nv_map.py drives. Included by the top Makefile.
NV_HOST_SRCS := nv/el2_map.c nv/el2_translate.c nv/sysreg_access.c \
	nv/eret.c nv/exception.c nv/forward.c nv/el2_hw.c \
	harness/unit/fake_sysregs.c
NV_HOST_DEPS := include/arch/vncr.h include/arch/sysreg_enc.h \
	include/hyp/nv.h include/hyp/nv_state.h include/hyp/el2_hw.h \
	harness/unit/fake_sysregs.h

HOST_TESTS += test_nv_map test_nv_access test_nv_eret test_nv_forward
$(BUILD)/host/test_nv_map: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
$(BUILD)/host/test_nv_access: $(NV_HOST_SRCS) $(NV_HOST_DEPS)
# the emulated ERET and exception entry into vEL2 (nv/eret.c, exception.c)
$(BUILD)/host/test_nv_eret: $(NV_HOST_SRCS) $(NV_HOST_DEPS) include/arch/esr.h

# build/host/nvmap: reads commands on stdin (harness/unit/nvmap.c)
$(BUILD)/host/nvmap: harness/unit/nvmap.c $(NV_HOST_SRCS) $(NV_HOST_DEPS) \
		$(wildcard include/hyp/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

host-tests: $(BUILD)/host/nvmap
$(BUILD)/host/test_nv_forward: $(NV_HOST_SRCS) $(NV_HOST_DEPS) include/arch/esr.h
# the real EL2 registers for the level, the CNTHCTL/CPTR/MDCR traps
HOST_TESTS += test_nv_el2_hw
$(BUILD)/host/test_nv_el2_hw: $(NV_HOST_SRCS) $(NV_HOST_DEPS) include/arch/esr.h
