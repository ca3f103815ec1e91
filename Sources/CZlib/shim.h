#ifndef NN_CZLIB_SHIM_H
#define NN_CZLIB_SHIM_H
// zlib for the deflated members of .npz archives (ZIP): raw inflate and CRC-32 only.
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call: raw deflate data, no zlib header.
static inline int nn_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}
#endif
