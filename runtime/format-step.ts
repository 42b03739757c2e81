// The scenario-language text of an op (docs/scenarios.md, runtime/scenario/parser.ts): for reports and traces.
import type { Op } from './scenario/types.js';

function range(addr: number, pages: number): string {
  return pages === 1 ? `${addr}` : `${addr} pages ${pages}`;
}

export function formatStep(op: Op): string {
  const text = formatOp(op);
  // `via NAME` (several userfaultfds per mm); the open and the close carry the name after `uffd`
  if (op.op === 'uffd_open' || op.op === 'uffd_close' || !('uffd' in op) || op.uffd === undefined) return text;
  return `${text} via ${op.uffd}`;
}

function formatOp(op: Op): string {
  switch (op.op) {
    case 'file':
      return `file ${op.name} pages ${op.pages}${op.hugetlb ? ' hugetlb' : ''}${op.huge ? ' huge' : ''}`;
    case 'mm':
      return `mm ${op.name}`;
    case 'mmap': {
      const v = op.vma;
      if (v.type === 'anon') return `${op.mm} map anon at ${v.start} pages ${v.pages}${v.hugepage ? ' hugepage' : ''}`;
      return `${op.mm} map ${v.file} ${v.shared ? 'shared' : 'private'} at ${v.start} pages ${v.pages}${v.pgoff ? ` pgoff ${v.pgoff}` : ''}`;
    }
    case 'munmap':
      return `${op.mm} munmap ${range(op.addr, op.pages)}`;
    case 'read':
      return `${op.mm} read ${op.addr}`;
    case 'write':
      return `${op.mm} write ${op.addr} = ${op.value}`;
    case 'fork':
      return `${op.mm} fork ${op.child}`;
    case 'exit':
      return `${op.mm} exit`;
    case 'uffd_open':
      return `${op.mm} uffd${op.uffd ? ` ${op.uffd}` : ''}${op.features.length ? ` features ${op.features.join(', ')}` : ''}`;
    case 'uffd_copy':
      return `${op.mm} copy ${range(op.addr, op.pages)} = ${op.value}${ioctlModes(op.wp, op.dontwake)}`;
    case 'uffd_zeropage':
    case 'uffd_continue':
      return `${op.mm} ${op.op.slice('uffd_'.length)} ${range(op.addr, op.pages)}${ioctlModes(op.wp, op.dontwake)}`;
    case 'uffd_wake':
      return `${op.mm} wake ${range(op.addr, op.pages)}`;
    case 'uffd_move': {
      const modes = [...(op.allowSrcHoles ? ['allow_src_holes'] : []), ...(op.dontwake ? ['dontwake'] : [])];
      return `${op.mm} move ${range(op.src, op.pages)} to ${op.addr}${modes.length ? ` mode ${modes.join(', ')}` : ''}`;
    }
    case 'register':
      return `${op.mm} register ${range(op.addr, op.pages)}${op.modes ? ` mode ${op.modes.join(', ')}` : ''}`;
    case 'unregister':
    case 'protect':
    case 'resolve':
      return `${op.mm} ${op.op} ${range(op.addr, op.pages)}`;
    case 'uffd_close':
      return `${op.mm} close uffd${op.uffd ? ` ${op.uffd}` : ''}`;
    case 'mprotect':
      return `${op.mm} mprotect ${range(op.addr, op.pages)} ${op.none ? 'none' : op.writable ? 'rw' : 'ro'}`;
    case 'madv_dontneed':
      return `${op.mm} madvise dontneed ${range(op.addr, op.pages)}`;
    case 'madv_pageout':
      return `${op.mm} madvise pageout ${range(op.addr, op.pages)}`;
    case 'punch_hole':
      return `punch ${op.file} ${range(op.index, op.pages)}`;
    case 'mremap':
      if (op.shrink !== undefined) return `${op.mm} mremap ${range(op.addr, op.pages)} shrink ${op.shrink}`;
      return `${op.mm} mremap ${range(op.addr, op.pages)} to ${op.to}${op.dontunmap ? ' dontunmap' : ''}`;
    case 'pagemap':
      return `${op.mm} pagemap ${op.addr}`;
    case 'reclaim':
      return `reclaim ${op.mm} ${op.addr}`;
    case 'evict':
      return `evict ${op.file} ${op.index}`;
    case 'migrate':
      return `migrate ${op.mm} ${op.addr}`;
    case 'numa_scan':
      return `numa ${op.mm} ${range(op.addr, op.pages)}`;
    case 'swapoff':
      return 'swapoff';
    case 'uffd_poison':
      return `${op.mm} poison ${range(op.addr, op.pages)}`;
    case 'madv_hwpoison':
      return `${op.mm} madvise hwpoison ${range(op.addr, op.pages)}`;
    case 'madv_guard_install':
      return `${op.mm} madvise guard_install ${range(op.addr, op.pages)}`;
    case 'madv_guard_remove':
      return `${op.mm} madvise guard_remove ${range(op.addr, op.pages)}`;
    case 'swap_error':
      return `swap_error ${op.mm} ${op.addr}`;
    case 'pagemap_scan': {
      const m = [...(op.wp ? ['wp'] : []), ...(op.check ? ['check'] : [])];
      return `${op.mm} scan ${range(op.addr, op.pages)}${m.length ? ` mode ${m.join(', ')}` : ''}`;
    }
    case 'pin':
    case 'unpin':
      return `${op.mm} ${op.op} ${op.addr}`;
    case 'collapse':
      return `collapse ${op.mm} ${op.addr}`;
  }
}

function ioctlModes(wp: boolean, dontwake: boolean): string {
  const m = [...(wp ? ['wp'] : []), ...(dontwake ? ['dontwake'] : [])];
  return m.length ? ` mode ${m.join(', ')}` : '';
}
