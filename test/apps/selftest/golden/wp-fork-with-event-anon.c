// SPDX-License-Identifier: MIT
/*
 * wp-fork-with-event: anon
 * from: tools/testing/selftests/mm/uffd-unit-tests.c: wp-fork-with-event (anon)
 * Written by `ptelab selftest` from examples/scenarios/2-wp-fork.scn:83; regenerate it rather than edit it.
 *
 * Each step runs on the kernel and prints "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)";
 * the test fails on an expectation the kernel contradicts, and is skipped when a kernel event could not
 * be forced (the expectations after it are not run). Build with make, run as root with swap on; set
 * PTELAB_SWAPFILE to a swapfile the test may turn off and on again when the scenario has a swapoff.
 */
#include "ptelab_selftest.h"

enum { MM_A, MM_B, MM_C };

int main(void)
{
	struct pt_test t;

	pt_init(&t, "wp-fork-with-event: anon", 20);
	if (!pt_require(&t, PT_NEEDS_SWAP))
		return KSFT_SKIP;

	step_mm(&t, 0, "mm A", MM_A, "A");
	step_map_anon(&t, 1, "A map anon at 0 pages 1", MM_A, 0, 1, EXPECT_NONE);
	step_uffd(&t, 2, "A uffd features event_fork", MM_A, PT_EVENT_FORK, EXPECT_NONE);
	step_register(&t, 3, "A register 0", MM_A, 0, 1, PT_MODE_WP, EXPECT_NONE);
	step_write(&t, 4, "A write 0 = 1", MM_A, 0, 1, EXPECT_NONE);
	step_protect(&t, 5, "A protect 0", MM_A, 0, 1, EXPECT_NONE);
	step_fork(&t, 6, "A fork B", MM_A, MM_B, "B", EXPECT_NONE);
	step_write(&t, 7, "B write 0 = 2", MM_B, 0, 2, EXPECT_USERFAULT_WP);
	step_pagemap(&t, 8, "B pagemap 0", MM_B, 0, EXPECT_PAGEMAP(1));
	step_exit(&t, 9, "B exit", MM_B, EXPECT_NONE);
	step_madv_pageout(&t, 10, "A madvise pageout 0", MM_A, 0, 1, EXPECT_NONE);
	step_fork(&t, 11, "A fork C", MM_A, MM_C, "C", EXPECT_NONE);
	step_write(&t, 12, "C write 0 = 3", MM_C, 0, 3, EXPECT_USERFAULT_WP);
	step_read(&t, 13, "C read 0", MM_C, 0, EXPECT_VALUE(1));
	step_pagemap(&t, 14, "C pagemap 0", MM_C, 0, EXPECT_PAGEMAP(1));
	step_exit(&t, 15, "C exit", MM_C, EXPECT_NONE);
	step_pagemap(&t, 16, "A pagemap 0", MM_A, 0, EXPECT_PAGEMAP(1));
	step_resolve(&t, 17, "A resolve 0", MM_A, 0, 1, EXPECT_NONE);
	step_write(&t, 18, "A write 0 = 2", MM_A, 0, 2, EXPECT_OK);
	step_exit(&t, 19, "A exit", MM_A, EXPECT_NONE);

	return pt_finish(&t);
}
