// include/linux/mm.h GUP_PIN_COUNTING_BIAS (1U << 10): a FOLL_PIN reference counts this much in a small folio's
// refcount (runtime/uffd/pin.ts). Its own module so that machine.ts and the invariants read it without the ops.
export const GUP_PIN_COUNTING_BIAS = 1024;
