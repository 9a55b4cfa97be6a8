#ifndef NPQ_CMEMORY_H
#define NPQ_CMEMORY_H

/// Gives the heap's free memory back to the kernel: glibc's malloc_trim(0), which walks every arena (each thread that
/// allocates may have one of its own) and releases the whole free pages inside them, not only those at their tops.
/// Swift's Glibc module does not declare malloc_trim (it leaves out malloc.h), hence this wrapper.
/// Returns 1 when some memory was released, 0 when none was, or when the C library is not glibc.
int npq_release_free_heap(void);

#endif
