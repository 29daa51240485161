HOST_TESTS += test_vmid
$(BUILD)/host/test_vmid: mm/vmid.c
