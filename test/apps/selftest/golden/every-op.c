// SPDX-License-Identifier: MIT
/*
 * every op
 * from: docs/scenarios.md: the example, line by line
 * Written by `ptelab selftest` from test/apps/selftest/fixtures/every-op.scn:4; regenerate it rather than edit it.
 *
 * Each step runs on the kernel and prints "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)";
 * the test fails on an expectation the kernel contradicts, and is skipped when a kernel event could not
 * be forced (the expectations after it are not run). Build with make, run as root with swap on; set
 * PTELAB_SWAPFILE to a swapfile the test may turn off and on again when the scenario has a swapoff.
 */
#include "ptelab_selftest.h"

enum { MM_A, MM_B, MM_C };
enum { FILE_F };

int main(void)
{
	struct pt_test t;

	pt_init(&t, "every op", 44);
	pt_file(&t, FILE_F, 2);
	if (!pt_require(&t, PT_NEEDS_SWAP | PT_NEEDS_SWAPFILE))
		return KSFT_SKIP;

	step_file(&t, 0, "file F pages 2");
	step_mm(&t, 1, "mm A", MM_A, "A");
	step_map_file(&t, 2, "A map F shared at 0 pages 2", MM_A, FILE_F, true, 0, 2, 0, EXPECT_NONE);
	step_map_anon(&t, 3, "A map anon at 4 pages 2", MM_A, 4, 2, EXPECT_NONE);
	step_uffd(&t, 4, "A uffd features event_fork, wp_unpopulated", MM_A, PT_EVENT_FORK | PT_WP_UNPOPULATED, EXPECT_NONE);
	step_register(&t, 5, "A register 0 pages 2", MM_A, 0, 2, PT_MODE_WP, EXPECT_NONE);
	step_write(&t, 6, "A write 0 = 1", MM_A, 0, 1, EXPECT_NONE);
	step_protect(&t, 7, "A protect 0", MM_A, 0, 1, EXPECT_NONE);
	step_evict(&t, 8, "evict F 0", FILE_F, 0, EXPECT_NONE);
	step_write(&t, 9, "A write 0 = 2", MM_A, 0, 2, EXPECT_USERFAULT_WP);
	step_read(&t, 10, "A read 0", MM_A, 0, EXPECT_VALUE(1));
	step_pagemap(&t, 11, "A pagemap 0", MM_A, 0, EXPECT_PAGEMAP(1));
	step_fork(&t, 12, "A fork B", MM_A, MM_B, "B", EXPECT_NONE);
	step_read(&t, 13, "B read 0", MM_B, 0, EXPECT_VALUE(1));
	step_resolve(&t, 14, "A resolve 0", MM_A, 0, 1, EXPECT_NONE);
	step_unregister(&t, 15, "A unregister 0", MM_A, 0, 1, EXPECT_NONE);
	step_mprotect(&t, 16, "A mprotect 0 ro", MM_A, 0, 1, false, EXPECT_NONE);
	step_madv_dontneed(&t, 17, "A madvise dontneed 0", MM_A, 0, 1, EXPECT_NONE);
	step_madv_pageout(&t, 18, "A madvise pageout 0", MM_A, 0, 1, EXPECT_NONE);
	step_punch(&t, 19, "punch F 0", FILE_F, 0, 1, EXPECT_NONE);
	step_mremap(&t, 20, "A mremap 0 to 8", MM_A, 0, 1, 8, EXPECT_NONE);
	step_reclaim(&t, 21, "reclaim A 8", MM_A, 8, EXPECT_NONE);
	step_migrate(&t, 22, "migrate A 8", MM_A, 8, EXPECT_NONE);
	step_numa(&t, 23, "numa A 4 pages 2", MM_A, 4, 2, EXPECT_NONE);
	step_swapoff(&t, 24, "swapoff", EXPECT_NONE);
	step_munmap(&t, 25, "A munmap 8", MM_A, 8, 1, EXPECT_NONE);
	step_close_uffd(&t, 26, "A close uffd", MM_A, EXPECT_NONE);
	step_register(&t, 27, "A register 0", MM_A, 0, 1, PT_MODE_WP, EXPECT_ERRNO(EBADF));
	step_mm(&t, 28, "mm C", MM_C, "C");
	step_map_anon(&t, 29, "C map anon at 0 pages 2", MM_C, 0, 2, EXPECT_NONE);
	step_uffd(&t, 30, "C uffd features sigbus, event_remap", MM_C, PT_SIGBUS_FEATURE | PT_EVENT_REMAP, EXPECT_NONE);
	step_register(&t, 31, "C register 0 pages 2 mode missing, wp", MM_C, 0, 2, PT_MODE_MISSING | PT_MODE_WP, EXPECT_IOCTLS((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | (1ULL << _UFFDIO_ZEROPAGE) | (1ULL << _UFFDIO_MOVE) | (1ULL << _UFFDIO_WRITEPROTECT)));
	step_uffd_copy(&t, 32, "C copy 0 = 3 mode wp", MM_C, 0, 1, 3, UFFDIO_COPY_MODE_WP, EXPECT_OK);
	step_uffd_zeropage(&t, 33, "C zeropage 1 mode dontwake", MM_C, 1, 1, UFFDIO_ZEROPAGE_MODE_DONTWAKE, EXPECT_OK);
	step_uffd_wake(&t, 34, "C wake 0 pages 2", MM_C, 0, 2, EXPECT_NONE);
	step_uffd_poison(&t, 35, "C poison 1", MM_C, 1, 1, EXPECT_ERRNO(EEXIST));
	step_guard_install(&t, 36, "C madvise guard_install 0", MM_C, 0, 1, EXPECT_OK);
	step_pagemap(&t, 37, "C pagemap 0", MM_C, 0, EXPECT_GUARD(1));
	step_guard_remove(&t, 38, "C madvise guard_remove 0", MM_C, 0, 1, EXPECT_NONE);
	step_madv_hwpoison(&t, 39, "C madvise hwpoison 1", MM_C, 1, 1, EXPECT_NONE);
	step_read(&t, 40, "C read 1", MM_C, 1, EXPECT_HWPOISON);
	step_exit(&t, 41, "C exit", MM_C, EXPECT_NONE);
	step_exit(&t, 42, "B exit", MM_B, EXPECT_NONE);
	step_exit(&t, 43, "A exit", MM_A, EXPECT_NONE);

	return pt_finish(&t);
}
