package dev.modelgate.server.shm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.function.Consumer;

/**
 * Java 17 has no public way to unmap a {@code MappedByteBuffer} before it is garbage collected;
 * {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, no flags needed) is the
 * one the JDK itself points to. It is only safe once nothing can touch the buffer again, which
 * {@link MappedRegion}'s lease count guarantees. Where it cannot be found, the mapping is left to
 * the collector: memory stays mapped longer, never too short.
 */
final class Unmapper {
    private Unmapper() {
    }

    static Consumer<MappedByteBuffer> system() {
        MethodHandle cleaner = cleaner();
        if (cleaner == null) {
            return buffer -> { };
        }
        return buffer -> {
            try {
                cleaner.invoke((ByteBuffer) buffer);
            } catch (Throwable e) {
                // Left to the collector, as above.
            }
        };
    }

    private static MethodHandle cleaner() {
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            return MethodHandles.lookup().findVirtual(type, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class)).bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
