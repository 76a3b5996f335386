#ifndef ANTENNE_CSRT_SHIM_H
#define ANTENNE_CSRT_SHIM_H

// libsrt (Debian's libsrt-openssl-dev): the SRT protocol, its listener callback and statistics.
#include <srt/srt.h>
#include <srt/access_control.h>

#endif
