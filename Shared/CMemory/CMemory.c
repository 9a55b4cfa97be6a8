#include <stdlib.h>

#include "CMemory.h"

#if defined(__GLIBC__)
#include <malloc.h>

int npq_release_free_heap(void) { return malloc_trim(0); }
#else
int npq_release_free_heap(void) { return 0; }
#endif
