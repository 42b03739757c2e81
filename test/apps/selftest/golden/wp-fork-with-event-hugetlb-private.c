// SPDX-License-Identifier: MIT
/*
 * wp-fork-with-event: hugetlb-private
 * from: tools/testing/selftests/mm/uffd-unit-tests.c: wp-fork-with-event (hugetlb-private)
 * Written by `ptelab selftest` from examples/scenarios/15-hugetlb.scn:82; regenerate it rather than edit it.
 *
 * Each step runs on the kernel and prints "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)";
 * the test fails on an expectation the kernel contradicts, and is skipped when a kernel event could not
 * be forced (the expectations after it are not run). Build with make, run as root with swap on; set
 * PTELAB_SWAPFILE to a swapfile the test may turn off and on again when the scenario has a swapoff.
 * Every page is a huge page: needs 6 free huge pages (raise vm.nr_hugepages), else it is skipped.
 */
#include "ptelab_selftest.h"

enum { MM_A, MM_B, MM_C };
enum { FILE_H };

int main(void)
{
	struct pt_test t;

	pt_init(&t, "wp-fork-with-event: hugetlb-private", 23);
	/* every model page is a huge page; the free huge pages the files and every private copy can need */
	if (!pt_hugetlb(&t, 6))
		return KSFT_SKIP;
	pt_file(&t, FILE_H, 1);
	if (!pt_require(&t, 0))
		return KSFT_SKIP;

	step_file(&t, 0, "file H pages 1 hugetlb");
	step_mm(&t, 1, "mm A", MM_A, "A");
	step_map_file(&t, 2, "A map H private at 0 pages 1", MM_A, FILE_H, false, 0, 1, 0, EXPECT_NONE);
	step_uffd(&t, 3, "A uffd features event_fork", MM_A, PT_EVENT_FORK, EXPECT_NONE);
	step_register(&t, 4, "A register 0", MM_A, 0, 1, PT_MODE_WP, EXPECT_NONE);
	step_write(&t, 5, "A write 0 = 1", MM_A, 0, 1, EXPECT_NONE);
	step_protect(&t, 6, "A protect 0", MM_A, 0, 1, EXPECT_NONE);
	step_fork(&t, 7, "A fork B", MM_A, MM_B, "B", EXPECT_NONE);
	step_write(&t, 8, "B write 0 = 2", MM_B, 0, 2, EXPECT_USERFAULT_WP);
	step_read(&t, 9, "B read 0", MM_B, 0, EXPECT_VALUE(1));
	step_pagemap(&t, 10, "B pagemap 0", MM_B, 0, EXPECT_PAGEMAP(1));
	step_exit(&t, 11, "B exit", MM_B, EXPECT_NONE);
	step_madv_dontneed(&t, 12, "A madvise dontneed 0", MM_A, 0, 1, EXPECT_NONE);
	step_pagemap(&t, 13, "A pagemap 0", MM_A, 0, EXPECT_PAGEMAP(1));
	step_fork(&t, 14, "A fork C", MM_A, MM_C, "C", EXPECT_NONE);
	step_write(&t, 15, "C write 0 = 3", MM_C, 0, 3, EXPECT_USERFAULT_WP);
	step_read(&t, 16, "C read 0", MM_C, 0, EXPECT_VALUE(0));
	step_pagemap(&t, 17, "C pagemap 0", MM_C, 0, EXPECT_PAGEMAP(1));
	step_exit(&t, 18, "C exit", MM_C, EXPECT_NONE);
	step_resolve(&t, 19, "A resolve 0", MM_A, 0, 1, EXPECT_NONE);
	step_write(&t, 20, "A write 0 = 2", MM_A, 0, 2, EXPECT_OK);
	step_read(&t, 21, "A read 0", MM_A, 0, EXPECT_VALUE(2));
	step_exit(&t, 22, "A exit", MM_A, EXPECT_NONE);

	return pt_finish(&t);
}
