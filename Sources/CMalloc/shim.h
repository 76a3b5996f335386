#ifndef ANTENNE_CMALLOC_SHIM_H
#define ANTENNE_CMALLOC_SHIM_H

// glibc's allocator settings (mallopt(3)), which Swift's Glibc module does not carry.
#include <malloc.h>

#endif
