package dev.modelgate.server.http;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import java.util.Locale;
import java.util.Set;

/**
 * Decompresses request bodies sent with {@code Content-Encoding: gzip} or {@code deflate} (what
 * tritonclient sends when asked), and only those: any other encoding is left as it came, and the
 * dispatch step answers it 415. It sits before the aggregator, so the limit there
 * (max-request-size) counts decompressed bytes and a zip bomb is cut off with a 413 as soon as it
 * passes the limit. Memory stays bounded on the way there: the codec hands over the body in
 * chunks of at most 8 KiB and deflate expands at most about 1032:1, so one chunk inflates to at
 * most about 8.5 MB before the aggregator counts it (a per-chunk {@code maxAllocation} would fail
 * the connection with a reset instead of answering 413, so none is set).
 */
final class ContentDecodingHandler extends HttpContentDecompressor {
    /** The encodings decompressed here; {@code identity} needs nothing. */
    static final Set<String> SUPPORTED = Set.of("gzip", "x-gzip", "deflate", "x-deflate", "identity");

    ContentDecodingHandler() {
        super(false, 0);
    }

    @Override
    protected EmbeddedChannel newContentDecoder(String contentEncoding) throws Exception {
        String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return SUPPORTED.contains(encoding) ? super.newContentDecoder(encoding) : null;
    }
}
