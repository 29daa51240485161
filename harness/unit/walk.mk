HOST_TESTS += test_walk
$(BUILD)/host/test_walk: mm/walk.c
