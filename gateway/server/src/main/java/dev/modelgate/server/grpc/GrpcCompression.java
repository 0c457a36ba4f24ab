package dev.modelgate.server.grpc;

import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * gRPC message compression as tritonclient and grpcio use it: gzip (grpc-java's own codec) and
 * deflate (zlib, as gRPC core names it; grpc-java ships no codec for it, so it is here). A call
 * whose request came compressed is answered with the same codec, when the client accepts it (gRPC
 * falls back to none otherwise), as a client that compresses expects compressed answers.
 */
final class GrpcCompression implements ServerInterceptor {
    private static final Metadata.Key<String> ENCODING =
            Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> ANSWERED = Set.of("gzip", "deflate");

    /** The codecs to compress with: identity, gzip and deflate. */
    static CompressorRegistry compressors() {
        CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
        registry.register(Codec.Identity.NONE);
        registry.register(new Codec.Gzip());
        registry.register(Deflate.INSTANCE);
        return registry;
    }

    /** The codecs to decompress with, all advertised in {@code grpc-accept-encoding}. */
    static DecompressorRegistry decompressors() {
        return DecompressorRegistry.getDefaultInstance().with(Deflate.INSTANCE, true);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String encoding = headers.get(ENCODING);
        if (encoding != null && ANSWERED.contains(encoding)) {
            call.setCompression(encoding);
        }
        return next.startCall(call, headers);
    }

    /** zlib-wrapped deflate, gRPC's {@code deflate} message encoding. */
    static final class Deflate implements Codec {
        static final Deflate INSTANCE = new Deflate();

        @Override
        public String getMessageEncoding() {
            return "deflate";
        }

        @Override
        public OutputStream compress(OutputStream os) {
            return new DeflaterOutputStream(os);
        }

        @Override
        public InputStream decompress(InputStream is) {
            return new InflaterInputStream(is);
        }
    }
}
