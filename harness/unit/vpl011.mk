HOST_TESTS += test_vpl011
$(BUILD)/host/test_vpl011: vcpu/vpl011.c
